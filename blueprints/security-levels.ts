/**
 * Security levels in the sense of IEC 62443-3-3 (SL1–SL4) and what each one
 * tightens in an IipPlatform. Pure data and pure functions: no constructs
 * here, so the profile can be read, documented and tested on its own.
 */
import { AuditFrequency } from '../constructs/IipDeviceFleet';
import { FindingSeverity } from '../constructs/defaults/monitoring-defaults';
import { SrmIipError } from '../rules/errors';

/**
 * Target security level of a platform (IEC 62443-3-3, SL-T).
 *
 * SL1 and SL2 get the kit's secure defaults, which already pass every
 * automated SRM-IIP control; SL3 and SL4 tighten them further.
 */
export enum SecurityLevel {
  /** Protection against casual or coincidental violation. */
  SL1 = 'SL1',
  /** Protection against intentional violation using simple means with low resources. */
  SL2 = 'SL2',
  /** Protection against intentional violation using sophisticated means with moderate resources. */
  SL3 = 'SL3',
  /** Protection against intentional violation using sophisticated means with extended resources. */
  SL4 = 'SL4',
}

/**
 * What a security level sets in the platform. Every value is at least as
 * strict as the kit's construct defaults; the levels only tighten.
 */
export interface SecurityLevelProfile {
  /** The level this profile belongs to. */
  readonly level: SecurityLevel;
  /**
   * Every internet entry point of the platform's stacks (API Gateway stage, load balancer,
   * CloudFront distribution, AppSync API) must be associated with a WAFv2 web ACL; the platform
   * fails synthesis when one is not. The API ingress always has one.
   * @see SRM-IIP-NET-07
   */
  readonly wafOnEveryEntryPoint: boolean;
  /**
   * EC2 instances and launch templates at the top classification level get dedicated tenancy
   * (set where they leave it open; an explicit shared tenancy fails synthesis).
   * @see SRM-IIP-PHY-03
   */
  readonly dedicatedTenancyForTopLevel: boolean;
  /**
   * Lifetime of the AWS credentials the edge gateways' token-exchange role alias hands out.
   * @see SRM-IIP-ACC-02
   */
  readonly edgeCredentialDurationSeconds: number;
  /**
   * Longest session a partner role may hold, in hours (IAM's minimum is 1).
   * @see SRM-IIP-ACC-08
   */
  readonly partnerMaxSessionDurationHours: number;
  /**
   * Automatic rotation period of every key of the key ring, in days.
   * @see SRM-IIP-SYS-02
   */
  readonly keyRotationPeriodDays: number;
  /**
   * Lowest GuardDuty / Security Hub finding severity that raises an alert.
   * @see SRM-IIP-OPS-04
   */
  readonly alertSeverity: FindingSeverity;
  /**
   * Minimum password length of the API ingress's user pool.
   * @see SRM-IIP-ACC-05
   */
  readonly minPasswordLength: number;
  /**
   * Requests one client IP may send in five minutes before the API's web ACL blocks it.
   * @see SRM-IIP-NET-07
   */
  readonly apiRateLimitPer5Minutes: number;
  /**
   * The least log retention the platform accepts, in days (`logRetentionDays` below it is refused).
   * @see SRM-IIP-OPS-02
   */
  readonly logRetentionFloorDays: number;
  /**
   * Log retention when `logRetentionDays` is not given, in days.
   * @see SRM-IIP-OPS-02
   */
  readonly defaultLogRetentionDays: number;
  /**
   * Days a daily recovery point is kept.
   * @see SRM-IIP-OPS-05
   */
  readonly backupDailyRetentionDays: number;
  /**
   * Days a monthly recovery point is kept.
   * @see SRM-IIP-OPS-05
   */
  readonly backupMonthlyRetentionDays: number;
  /**
   * How often Device Defender audits the IoT configuration.
   * @see SRM-IIP-OPS-03
   */
  readonly deviceAuditFrequency: AuditFrequency;
}

const BASELINE: Omit<SecurityLevelProfile, 'level'> = {
  wafOnEveryEntryPoint: false,
  dedicatedTenancyForTopLevel: false,
  edgeCredentialDurationSeconds: 3600,
  partnerMaxSessionDurationHours: 1,
  keyRotationPeriodDays: 365,
  alertSeverity: FindingSeverity.HIGH,
  minPasswordLength: 14,
  apiRateLimitPer5Minutes: 2000,
  logRetentionFloorDays: 365,
  defaultLogRetentionDays: 365,
  backupDailyRetentionDays: 35,
  backupMonthlyRetentionDays: 365,
  deviceAuditFrequency: AuditFrequency.WEEKLY,
};

const PROFILES: Record<SecurityLevel, SecurityLevelProfile> = {
  [SecurityLevel.SL1]: { level: SecurityLevel.SL1, ...BASELINE },
  [SecurityLevel.SL2]: { level: SecurityLevel.SL2, ...BASELINE },
  [SecurityLevel.SL3]: {
    ...BASELINE,
    level: SecurityLevel.SL3,
    wafOnEveryEntryPoint: true,
    dedicatedTenancyForTopLevel: true,
    edgeCredentialDurationSeconds: 900,
    keyRotationPeriodDays: 180,
    alertSeverity: FindingSeverity.MEDIUM,
    minPasswordLength: 16,
    apiRateLimitPer5Minutes: 1000,
    backupMonthlyRetentionDays: 730,
    deviceAuditFrequency: AuditFrequency.DAILY,
  },
  [SecurityLevel.SL4]: {
    ...BASELINE,
    level: SecurityLevel.SL4,
    wafOnEveryEntryPoint: true,
    dedicatedTenancyForTopLevel: true,
    edgeCredentialDurationSeconds: 900,
    keyRotationPeriodDays: 90,
    alertSeverity: FindingSeverity.MEDIUM,
    minPasswordLength: 16,
    apiRateLimitPer5Minutes: 500,
    logRetentionFloorDays: 731,
    defaultLogRetentionDays: 731,
    backupMonthlyRetentionDays: 1096,
    deviceAuditFrequency: AuditFrequency.DAILY,
  },
};

/** The security levels, lowest first. */
export const SECURITY_LEVELS: readonly SecurityLevel[] = [SecurityLevel.SL1, SecurityLevel.SL2, SecurityLevel.SL3, SecurityLevel.SL4];

/**
 * What the given security level sets in an IipPlatform (see the table in
 * docs/blueprints/IipPlatform.md). Pure; a value that is not a SecurityLevel
 * (a string cast from configuration) fails with SrmIipError.
 */
export function securityLevelProfile(level: SecurityLevel): SecurityLevelProfile {
  const p = Object.prototype.hasOwnProperty.call(PROFILES, level) ? PROFILES[level] : undefined;
  if (!p) throw new SrmIipError(`securityLevel must be one of ${SECURITY_LEVELS.join(', ')}, got '${String(level)}'`);
  return { ...p };
}
