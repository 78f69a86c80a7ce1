import type { ResourceHandle } from '../engine/model';
import { judgeAlts, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, isPlainObject, numberOf, Verdict } from '../engine/values';
import { existing, judgeIsSet, literal, perApp, pointees, shown } from './common';

/** Whether a vault lock keeps recovery points at least a day (plain values in). */
export function isLockedVault(minRetentionDays: number | undefined): boolean {
  return minRetentionDays !== undefined && Number.isFinite(minRetentionDays) && minRetentionDays >= 1;
}

/** Vault types that are locked and encrypted by design. */
const LOCKED_BY_DESIGN = new Set(['AWS::Backup::LogicallyAirGappedBackupVault']);

const vaultsByName = perApp((app) => {
  const m = new Map<string, ResourceHandle>();
  for (const v of app.resourcesOfType('AWS::Backup::BackupVault', 'AWS::Backup::LogicallyAirGappedBackupVault')) {
    for (const a of v.stack.resolver.get(v, 'BackupVaultName')) if (literal(a)) m.set(literal(a)!, v);
  }
  return m;
});

function checkVault(v: ResourceHandle): RuleIssue[] {
  const res = v.stack.resolver;
  return [
    ...judgeAlts(v, res.get(v, 'EncryptionKeyArn'), 'EncryptionKeyArn', judgeIsSet, (a) =>
      a.kind === 'absent'
        ? 'the backup vault is not encrypted with a customer-managed KMS key (EncryptionKeyArn is not set; AWS Backup then uses an AWS managed key)'
        : `the backup vault's EncryptionKeyArn is ${shown(a)}, not a KMS key`,
    ),
    ...judgeAlts(
      v,
      res.get(v, 'LockConfiguration'),
      'LockConfiguration',
      (a: Alt): Verdict => {
        if (a.kind === 'absent') return 'fail';
        if (a.kind !== 'value') return 'unknown';
        if (!isPlainObject(a.value)) return 'fail';
        let verdict: Verdict = 'pass';
        for (const d of res.path(v.stack, [a], ['MinRetentionDays'])) {
          if (d.kind === 'value') {
            if (!isLockedVault(numberOf(d))) return 'fail';
          } else if (d.kind === 'absent') return 'fail';
          else verdict = 'unknown';
        }
        return verdict;
      },
      (a) =>
        a.kind === 'absent'
          ? 'the backup vault is not locked (LockConfiguration is not set), so recovery points can be deleted before they expire'
          : `the backup vault lock is incomplete: LockConfiguration is ${shown(a)} (needs MinRetentionDays of at least 1)`,
    ),
  ];
}

/**
 * SRM-IIP-OPS-05 (vaults): every AWS::Backup::BackupVault is encrypted with a
 * KMS key (EncryptionKeyArn) and locked (LockConfiguration with
 * MinRetentionDays); a backup plan rule that targets a vault outside the app
 * (the `Default` vault, a literal name) cannot be verified.
 */
export const BackupVaultEncryptedAndLocked: SrmIipRule = {
  id: 'BackupVaultEncryptedAndLocked',
  controlId: 'SRM-IIP-OPS-05',
  summary: 'Backup vaults are encrypted with a KMS key and locked with a minimum retention',
  resourceTypes: ['AWS::Backup::BackupVault', 'AWS::Backup::BackupPlan'],
  checkApp(ctx) {
    const issues: RuleIssue[] = existing(ctx.app, 'AWS::Backup::BackupVault').flatMap(checkVault);
    const names = vaultsByName(ctx.app);
    for (const plan of existing(ctx.app, 'AWS::Backup::BackupPlan')) {
      const res = plan.stack.resolver;
      const seen = new Set<string>();
      for (const rule of res.items(plan.stack, res.get(plan, 'BackupPlan', 'BackupPlanRule'))) {
        const ruleName = res.path(plan.stack, [rule], ['RuleName']).map(literal).find((n) => n !== undefined) ?? '(unnamed)';
        for (const target of res.path(plan.stack, [rule], ['TargetBackupVault'])) {
          const n = literal(target);
          const found = n !== undefined ? names.get(n) : pointees(plan.stack, target).find((p) => p.type === 'AWS::Backup::BackupVault' || LOCKED_BY_DESIGN.has(p.type));
          if (found) continue;
          const key = `${ruleName}|${shown(target)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          issues.push({
            resource: plan,
            kind: 'unverifiable',
            location: 'BackupPlan.BackupPlanRule.TargetBackupVault',
            message:
              n !== undefined
                ? `backup rule ${ruleName} stores recovery points in vault '${n}', which is not defined in the app, so its encryption and lock cannot be verified`
                : `cannot verify the vault of backup rule ${ruleName}: TargetBackupVault is ${shown(target)}`,
          });
        }
      }
    }
    return issues;
  },
};

