import { Names, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SrmIipError } from '../rules/errors';
import {
  BACKUP_SERVICE_POLICY,
  dailyRule,
  DEFAULT_DAILY_RETENTION_DAYS,
  DEFAULT_LOCK_CHANGEABLE_FOR_DAYS,
  DEFAULT_MONTHLY_RETENTION_DAYS,
  kitTagConditions,
  monthlyRule,
  RETENTION_FLOOR_DAYS,
  s3Exclusion,
  S3_BACKUP_SERVICE_POLICY,
  vaultLock,
} from './defaults/backup-defaults';
import { createSecureKey } from './defaults/kms-defaults';
import { warnWeakened } from './private/annotations';
import { awsManagedPolicyRole, AwsManagedPolicyUse } from './private/roles';
import { allowedRegionsText, resolveAllowedRegions, validateLevel, validateNonEmpty, validateRange } from './private/validate';
import { applyIipTags, IipTaggingProps } from './tagging';

/** How the vault lock can be undone. */
export enum VaultLockMode {
  /**
   * After a grace period of `lockChangeableForDays` nobody, not even the account root or AWS,
   * can remove the lock or shorten a retention; the vault cannot be deleted while it holds
   * recovery points.
   */
  COMPLIANCE = 'compliance',
  /** Principals with backup:DeleteBackupVaultLockConfiguration can remove the lock at any time. */
  GOVERNANCE = 'governance',
}

export interface IipBackupPlanProps extends IipTaggingProps {
  /**
   * Customer-managed key of the vault's recovery points.
   * @default - a new key with rotation on, a 30-day deletion window and RETAIN
   * @see SRM-IIP-SYS-01
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Days a daily recovery point is kept, 1..36500. Less than 35 is reported.
   * @default 35
   * @see SRM-IIP-OPS-05
   */
  readonly dailyRetentionDays?: number;
  /**
   * Days a monthly recovery point is kept, 1..36500. Less than 35 is reported.
   * @default 365
   * @see SRM-IIP-OPS-05
   */
  readonly monthlyRetentionDays?: number;
  /**
   * Mode of the vault lock. GOVERNANCE lets privileged principals remove the lock and is reported.
   * @default VaultLockMode.COMPLIANCE
   * @see SRM-IIP-OPS-05
   */
  readonly lockMode?: VaultLockMode;
  /**
   * Days a compliance-mode lock can still be changed or removed after deployment, 3..36500.
   * Only with VaultLockMode.COMPLIANCE.
   * @default 3
   * @see SRM-IIP-OPS-05
   */
  readonly lockChangeableForDays?: number;
  /**
   * The least retention the vault accepts, 1..36500 and at most every rule's retention (a
   * shorter-lived recovery point would be refused).
   * @default - the shortest retention of the plan's rules (35); 1 when a retention is a token
   * @see SRM-IIP-OPS-05
   */
  readonly lockMinRetentionDays?: number;
  /**
   * The longest retention the vault accepts, above `lockMinRetentionDays`, at least every rule's
   * retention, and at most 36500.
   * @default - no maximum
   */
  readonly lockMaxRetentionDays?: number;
  /**
   * Vaults in other regions (or accounts) that receive a copy of every recovery point, kept as
   * long as the original. Each vault's region (from its ARN or stack) must be in
   * `allowedRegions`; a region that is a token is checked at synthesis by the kit's pack.
   * @default - no copies
   * @see SRM-IIP-MGT-03
   */
  readonly copyToVaults?: backup.IBackupVault[];
  /**
   * Regions recovery points may be copied to.
   * @default - the stack's own region only
   * @see SRM-IIP-MGT-03
   */
  readonly allowedRegions?: string[];
  /**
   * Back up only resources in these zones (srm-iip:zone).
   * @default - every zone
   */
  readonly includeZones?: string[];
  /**
   * Back up only resources at these classification levels (srm-iip:level).
   * @default - every level
   */
  readonly includeClassificationLevels?: number[];
  /**
   * Back up S3 buckets too. The backup role then gets AWSBackupServiceRolePolicyForS3Backup;
   * AWS Backup for S3 needs versioned buckets and the S3 resource type opted in.
   * @default false
   */
  readonly includeS3Buckets?: boolean;
}

/**
 * Restorable data (SRM-IIP-OPS-05): an AWS Backup vault encrypted with a
 * customer-managed key and locked (compliance mode after a 3-day grace
 * period by default), a plan with a daily (35 days) and a monthly (365 days)
 * rule, copies only to vaults in allowed regions, and a selection of every
 * resource the kit tagged as in use (srm-iip:stage = utilization-support),
 * optionally narrowed to zones and classification levels.
 */
export class IipBackupPlan extends Construct {
  /** The backup plan. */
  public readonly plan: backup.BackupPlan;
  /** The locked vault the plan stores recovery points in. */
  public readonly vault: backup.BackupVault;
  /** The key of the vault. */
  public readonly encryptionKey: kms.IKey;
  /** The role AWS Backup creates recovery points with. */
  public readonly role: iam.Role;
  /** The tag-based selections (one per zone and level combination). */
  public readonly selections: backup.CfnBackupSelection[] = [];

  constructor(scope: Construct, id: string, props: IipBackupPlanProps = {}) {
    super(scope, id);

    // ------------------------------------------------------------ validation
    const daily = props.dailyRetentionDays ?? DEFAULT_DAILY_RETENTION_DAYS;
    const monthly = props.monthlyRetentionDays ?? DEFAULT_MONTHLY_RETENTION_DAYS;
    validateRange(this, 'dailyRetentionDays', daily, 1, 36500);
    validateRange(this, 'monthlyRetentionDays', monthly, 1, 36500);
    const lockMode = props.lockMode ?? VaultLockMode.COMPLIANCE;
    if (lockMode === VaultLockMode.GOVERNANCE && props.lockChangeableForDays !== undefined) {
      throw new SrmIipError(`lockChangeableForDays applies to VaultLockMode.COMPLIANCE only, got lockChangeableForDays: ${props.lockChangeableForDays} with lockMode: governance`, this.node.path);
    }
    const changeable = lockMode === VaultLockMode.COMPLIANCE ? props.lockChangeableForDays ?? DEFAULT_LOCK_CHANGEABLE_FOR_DAYS : undefined;
    validateRange(this, 'lockChangeableForDays', changeable, 3, 36500);
    const retentions = [
      { name: 'dailyRetentionDays', days: daily },
      { name: 'monthlyRetentionDays', days: monthly },
    ];
    const ruleRetentions = retentions.filter((r) => !Token.isUnresolved(r.days));
    // A retention known only at deploy time may be short: the default lock then refuses nothing.
    const minDays = props.lockMinRetentionDays ?? (ruleRetentions.length === retentions.length ? Math.min(...ruleRetentions.map((r) => r.days)) : 1);
    validateRange(this, 'lockMinRetentionDays', minDays, 1, 36500);
    validateRange(this, 'lockMaxRetentionDays', props.lockMaxRetentionDays, 1, 36500);
    this.validateLockFitsRules(minDays, props.lockMaxRetentionDays, ruleRetentions);
    const copyTo = props.copyToVaults ?? [];
    this.validateCopies(copyTo, props.allowedRegions);
    const zones = this.validateZones(props.includeZones);
    const levels = this.validateLevels(props.includeClassificationLevels);

    for (const r of ruleRetentions) {
      if (r.days < RETENTION_FLOOR_DAYS) {
        warnWeakened(this, 'SRM-IIP-OPS-05', `recovery points are kept ${r.days} days (${r.name}), less than the ${RETENTION_FLOOR_DAYS} days the kit keeps by default; a problem found later than that cannot be restored from this rule`);
      }
    }
    if (lockMode === VaultLockMode.GOVERNANCE) {
      warnWeakened(this, 'SRM-IIP-OPS-05', 'the vault lock is in governance mode (lockMode: governance); principals with backup:DeleteBackupVaultLockConfiguration can remove it and then delete recovery points early');
    }

    // ------------------------------------------------------------ resources
    applyIipTags(this, props, 'cloud-infrastructure');
    this.encryptionKey = props.encryptionKey ?? createSecureKey(this, 'Key', `SRM-IIP backup vault key of ${this.node.path}`);
    this.vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: this.encryptionKey,
      lockConfiguration: vaultLock(minDays, props.lockMaxRetentionDays, changeable),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const name = Names.uniqueResourceName(this, { maxLength: 40, separator: '-' });
    this.plan = new backup.BackupPlan(this, 'Resource', {
      // CDK would name the plan after its construct id, 'Resource', in every stack.
      backupPlanName: name,
      backupVault: this.vault,
      backupPlanRules: [dailyRule(this.vault, daily, copyTo), monthlyRule(this.vault, monthly, copyTo)],
    });

    const includeS3 = props.includeS3Buckets ?? false;
    const managedPolicies: AwsManagedPolicyUse[] = [
      {
        name: BACKUP_SERVICE_POLICY,
        reason:
          'AWSBackupServiceRolePolicyForBackup is the service-role policy AWS Backup documents for the role it backs up with; AWS maintains it as services join AWS Backup, and its KMS grants are limited to AWS resources (kms:GrantIsForAWSResource); only backup.amazonaws.com can assume this role',
      },
    ];
    if (includeS3) {
      managedPolicies.push({
        name: S3_BACKUP_SERVICE_POLICY,
        reason:
          'AWSBackupServiceRolePolicyForS3Backup is the policy AWS Backup documents for backing up S3 buckets (includeS3Buckets: true); AWS maintains it with the S3 actions AWS Backup for S3 needs; only backup.amazonaws.com can assume this role',
      });
    }
    this.role = awsManagedPolicyRole(
      this,
      'Role',
      {
        description: `SRM-IIP backups of ${this.node.path}: AWS Backup creates recovery points of the selected resources with it`,
        assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      },
      managedPolicies,
    );

    const combos: Array<{ zone?: string; level?: number }> = [];
    for (const zone of zones ?? [undefined]) for (const level of levels ?? [undefined]) combos.push({ zone, level });
    combos.forEach((c, i) => {
      const sid = combos.length === 1 ? 'Selection' : `Selection${i + 1}`;
      this.selections.push(
        new backup.CfnBackupSelection(this, sid, {
          backupPlanId: this.plan.backupPlanId,
          backupSelection: {
            selectionName: combos.length === 1 ? name : `${name}-${i + 1}`,
            iamRoleArn: this.role.roleArn,
            resources: ['*'],
            notResources: includeS3 ? undefined : s3Exclusion(),
            conditions: kitTagConditions(c.zone, c.level),
          },
        }),
      );
    });
  }

  private validateLockFitsRules(minDays: number, maxDays: number | undefined, rules: ReadonlyArray<{ name: string; days: number }>): void {
    if (!Token.isUnresolved(minDays)) {
      const shorter = rules.find((r) => r.days < minDays);
      if (shorter) {
        throw new SrmIipError(`lockMinRetentionDays must not exceed any rule's retention (the vault would refuse its recovery points): ${shorter.name} is ${shorter.days}, got lockMinRetentionDays ${minDays}`, this.node.path);
      }
    }
    if (maxDays === undefined || Token.isUnresolved(maxDays)) return;
    if (!Token.isUnresolved(minDays) && maxDays <= minDays) {
      throw new SrmIipError(`lockMaxRetentionDays must be greater than lockMinRetentionDays (${minDays}), got ${maxDays}`, this.node.path);
    }
    const longer = rules.find((r) => r.days > maxDays);
    if (longer) {
      throw new SrmIipError(`lockMaxRetentionDays must be at least every rule's retention (the vault would refuse its recovery points): ${longer.name} is ${longer.days}, got lockMaxRetentionDays ${maxDays}`, this.node.path);
    }
  }

  private validateCopies(copyTo: readonly backup.IBackupVault[], allowedRegions: readonly string[] | undefined): void {
    const allowed = resolveAllowedRegions(this, allowedRegions);
    copyTo.forEach((vault, i) => {
      const region = vault.env.region;
      if (Token.isUnresolved(region)) return;
      if (allowed === undefined) {
        throw new SrmIipError(`copyToVaults[${i}] is in region '${region}', which cannot be checked: the stack has no region, so allowedRegions must list the regions recovery points may be copied to`, this.node.path);
      }
      if (!allowed.includes(region)) {
        throw new SrmIipError(
          `copyToVaults[${i}] is in region '${region}', which is not an allowed region; ${allowedRegionsText(allowed, allowedRegions)}`,
          this.node.path,
        );
      }
    });
  }

  private validateZones(zones: readonly string[] | undefined): readonly string[] | undefined {
    if (zones === undefined) return undefined;
    if (zones.length === 0) throw new SrmIipError('includeZones must name at least one zone (leave it unset to back up every zone), got []', this.node.path);
    zones.forEach((z, i) => validateNonEmpty(this, `includeZones[${i}]`, z));
    const dup = zones.find((z, i) => zones.indexOf(z) !== i);
    if (dup !== undefined) throw new SrmIipError(`includeZones: zone '${dup}' is listed twice`, this.node.path);
    return zones;
  }

  private validateLevels(levels: readonly number[] | undefined): readonly number[] | undefined {
    if (levels === undefined) return undefined;
    if (levels.length === 0) throw new SrmIipError('includeClassificationLevels must name at least one level (leave it unset to back up every level), got []', this.node.path);
    levels.forEach((l, i) => validateLevel(this, `includeClassificationLevels[${i}]`, l));
    const dup = levels.find((l, i) => levels.indexOf(l) !== i);
    if (dup !== undefined) throw new SrmIipError(`includeClassificationLevels: level ${dup} is listed twice`, this.node.path);
    return levels;
  }
}
