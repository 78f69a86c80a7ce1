import { Token } from 'aws-cdk-lib';
import * as iot from 'aws-cdk-lib/aws-iot';
import { Construct, IConstruct } from 'constructs';
import { SrmIipError } from '../../rules/errors';
import { CSR_PATTERN, THING_NAME_PATTERN } from '../defaults/iot-defaults';
import type { DeviceSpec } from '../IipDeviceFleet';

/**
 * Devices declared at deployment time (IipDeviceFleet `devices`, IipEdgeGateway `coreDevices`):
 * valid thing names, unique, each with a PEM CSR.
 */
export function validateDevices(scope: IConstruct, name: string, devices: readonly DeviceSpec[]): void {
  const seen = new Set<string>();
  devices.forEach((d, i) => {
    if (!Token.isUnresolved(d.name)) {
      if (!THING_NAME_PATTERN.test(d.name)) {
        throw new SrmIipError(`${name}[${i}].name must be a thing name of 1..128 letters, digits, ':', '_' or '-', got '${d.name}'`, scope.node.path);
      }
      if (seen.has(d.name)) throw new SrmIipError(`${name}[${i}].name '${d.name}' is declared twice; each device needs its own thing and certificate`, scope.node.path);
      seen.add(d.name);
    }
    if (d.csr === undefined || (!Token.isUnresolved(d.csr) && !CSR_PATTERN.test(d.csr))) {
      const text = (d.csr ?? '').trim().replace(/\s+/g, ' ');
      const shown = d.csr === undefined ? 'none' : `'${text.slice(0, 40)}${text.length > 40 ? '…' : ''}'`;
      throw new SrmIipError(
        `${name}[${i}].csr must be a PEM certificate signing request (-----BEGIN CERTIFICATE REQUEST----- … -----END CERTIFICATE REQUEST-----) generated on device '${d.name}', got ${shown}`,
        scope.node.path,
      );
    }
  });
}

/**
 * One thing and one certificate per device, from the device's own CSR, the certificate attached
 * exclusively to its thing and given `policy` (SRM-IIP-ACC-03). Construct IDs are `<idPrefix><i>`,
 * `<idPrefix><i>Certificate`, `<idPrefix><i>Attachment` and `<idPrefix><i>Policy`.
 */
export function registerDevices(
  scope: Construct,
  idPrefix: string,
  devices: readonly DeviceSpec[],
  policy: iot.CfnPolicy,
  revoked: boolean,
): { things: iot.CfnThing[]; certificates: iot.CfnCertificate[] } {
  const things: iot.CfnThing[] = [];
  const certificates: iot.CfnCertificate[] = [];
  devices.forEach((d, i) => {
    const thing = new iot.CfnThing(scope, `${idPrefix}${i}`, { thingName: d.name });
    const cert = new iot.CfnCertificate(scope, `${idPrefix}${i}Certificate`, { certificateSigningRequest: d.csr, status: revoked ? 'REVOKED' : 'ACTIVE' });
    new iot.CfnThingPrincipalAttachment(scope, `${idPrefix}${i}Attachment`, { thingName: thing.ref, principal: cert.attrArn, thingPrincipalType: 'EXCLUSIVE_THING' });
    new iot.CfnPolicyPrincipalAttachment(scope, `${idPrefix}${i}Policy`, { policyName: policy.ref, principal: cert.attrArn });
    things.push(thing);
    certificates.push(cert);
  });
  return { things, certificates };
}
