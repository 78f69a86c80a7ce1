import { checkProperty, SrmIipRule } from '../engine/rule';
import { describe, stringOf, Verdict } from '../engine/values';

/** The policy AWS IoT Core applies to a new domain configuration that sets none (TLS 1.2 and 1.3). */
export const IOT_DEFAULT_SECURITY_POLICY = 'IoTSecurityPolicy_TLS13_1_2_2022_10';

/**
 * An AWS IoT Core TLS security policy whose minimum protocol is TLS 1.2:
 * `IoTSecurityPolicy_TLS13_1_3_*`, `IoTSecurityPolicy_TLS13_1_2_*` and
 * `IoTSecurityPolicy_TLS12_1_2_*`. The `IoTSecurityPolicy_TLS12_1_0_*`
 * policies (2015-01, 2016-01) still accept TLS 1.0 and 1.1.
 */
export function isModernIotSecurityPolicy(name: string): boolean {
  return /^IoTSecurityPolicy_TLS1[23]_1_[23](_|$)/.test(name);
}

/**
 * SRM-IIP-COM-03: IoT Core domain configurations (the endpoints devices
 * connect to) accept TLS 1.2 or newer only.
 */
export const IotDomainConfigurationsUseModernTls: SrmIipRule = {
  id: 'IotDomainConfigurationsUseModernTls',
  controlId: 'SRM-IIP-COM-03',
  summary: 'IoT Core domain configurations use a TLS 1.2+ security policy (absent means the service default IoTSecurityPolicy_TLS13_1_2_2022_10)',
  resourceTypes: ['AWS::IoT::DomainConfiguration'],
  check(r) {
    return checkProperty(
      r,
      ['TlsConfig', 'SecurityPolicy'],
      (a): Verdict => {
        if (a.kind === 'absent') return isModernIotSecurityPolicy(IOT_DEFAULT_SECURITY_POLICY) ? 'pass' : 'fail';
        if (a.kind !== 'value') return 'unknown';
        const s = stringOf(a);
        return s !== undefined && isModernIotSecurityPolicy(s) ? 'pass' : 'fail';
      },
      (a) => `TlsConfig.SecurityPolicy is ${describe(a)}, which lets devices connect with TLS older than 1.2; use ${IOT_DEFAULT_SECURITY_POLICY} or IoTSecurityPolicy_TLS13_1_3_2022_10`,
    );
  },
};
