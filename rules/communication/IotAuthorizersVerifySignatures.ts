import { checkProperty, SrmIipRule } from '../engine/rule';
import { describe, expectBool } from '../engine/values';

/**
 * SRM-IIP-COM-03: IoT custom authorizers verify the token signature, so a
 * device cannot present a forged token. `SigningDisabled` defaults to false.
 */
export const IotAuthorizersVerifySignatures: SrmIipRule = {
  id: 'IotAuthorizersVerifySignatures',
  controlId: 'SRM-IIP-COM-03',
  summary: 'IoT custom authorizers keep token signing enabled (SigningDisabled is not true)',
  resourceTypes: ['AWS::IoT::Authorizer'],
  check(r) {
    return checkProperty(
      r,
      ['SigningDisabled'],
      (a) => expectBool(a, false, false),
      (a) => `SigningDisabled is ${describe(a)}: the authorizer accepts unsigned tokens, so any client can present a forged token; remove SigningDisabled and set TokenSigningPublicKeys`,
    );
  },
};
