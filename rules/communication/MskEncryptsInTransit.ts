import { checkProperty, SrmIipRule } from '../engine/rule';
import { describe, expectBool, stringOf, Verdict } from '../engine/values';

/** Client-broker encryption setting that refuses plaintext clients (`TLS_PLAINTEXT` and `PLAINTEXT` accept them). */
export function isTlsOnlyClientBroker(setting: string): boolean {
  return setting.toUpperCase() === 'TLS';
}

/**
 * SRM-IIP-COM-04: MSK clusters accept TLS clients only and encrypt traffic
 * between brokers. Absent settings are the service defaults: ClientBroker
 * TLS, InCluster true.
 */
export const MskEncryptsInTransit: SrmIipRule = {
  id: 'MskEncryptsInTransit',
  controlId: 'SRM-IIP-COM-04',
  summary: 'MSK clusters use TLS only between clients and brokers and encrypt traffic inside the cluster',
  resourceTypes: ['AWS::MSK::Cluster'],
  check(r) {
    const base = ['EncryptionInfo', 'EncryptionInTransit'];
    return [
      ...checkProperty(
        r,
        [...base, 'ClientBroker'],
        (a): Verdict => {
          if (a.kind === 'absent') return 'pass'; // MSK default: TLS
          if (a.kind !== 'value') return 'unknown';
          const s = stringOf(a);
          return s !== undefined && isTlsOnlyClientBroker(s) ? 'pass' : 'fail';
        },
        (a) => `ClientBroker is ${describe(a)}: clients may talk to the brokers in plaintext; set TLS`,
      ),
      ...checkProperty(r, [...base, 'InCluster'], (a) => expectBool(a, true, true), (a) => `InCluster is ${describe(a)}: brokers replicate data to each other in plaintext; remove it or set true`),
    ];
  },
};
