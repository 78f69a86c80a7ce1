import type { ResourceHandle } from '../engine/model';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, boolOf, describe, textOf } from '../engine/values';
import { existing, literal, perApp, pointees, where } from '../operations/common';
import { isAllowedRegion } from './StackRegionsAllowed';

/** The region of an ARN (`arn:aws:backup:eu-central-1:…`); undefined when the field is empty or not literal. */
export function regionOfArn(arn: string): string | undefined {
  const parts = arnFields(arn);
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const region = parts[3];
  return region !== '' && !region.includes('${') ? region : undefined;
}

/** The `:`-separated fields of an ARN text; `${AWS::Partition}`-style placeholders stay whole. */
function arnFields(text: string): string[] {
  const held: string[] = [];
  const masked = text.replace(/\$\{[^}]*\}/g, (m) => `\u0000${held.push(m) - 1}\u0000`);
  return masked.split(':').map((f) => f.replace(/\u0000(\d+)\u0000/g, (_, i: string) => held[Number(i)]));
}

/** Where a replica goes: a region, the stack's own region, or unknown (with why). */
type Destination = { region: string; via: string } | { own: true } | { unknown: string };

const bucketsByName = perApp((app) => {
  const m = new Map<string, ResourceHandle>();
  for (const b of app.resourcesOfType('AWS::S3::Bucket')) for (const a of b.stack.resolver.get(b, 'BucketName')) if (literal(a)) m.set(literal(a)!, b);
  return m;
});

function stackRegionOf(target: ResourceHandle): Destination {
  return target.stack.region !== undefined
    ? { region: target.stack.region, via: where(target) }
    : { unknown: `${where(target)} sits in a stack that does not fix its region` };
}

function s3Destination(owner: ResourceHandle, a: Alt): Destination {
  const app = owner.stack.app;
  const target = pointees(owner.stack, a).find((p) => p.type === 'AWS::S3::Bucket');
  if (target) return stackRegionOf(target);
  const text = textOf(a);
  // A literal bucket name, with a literal partition or the partition pseudo parameter (fromBucketName writes it so).
  const m = text !== undefined ? /^arn:(?:[a-z-]*|\$\{AWS::Partition\}):s3:::([^/$]+)$/.exec(text) : null;
  if (m && (a.kind === 'value' || a.kind === 'unknown')) {
    const b = bucketsByName(app).get(m[1]);
    return b ? stackRegionOf(b) : { unknown: `destination bucket ${m[1]} is not defined in the app, and an S3 ARN does not name its region` };
  }
  return { unknown: `the destination bucket is ${describe(a)}` };
}

function regionValue(a: Alt, what: string): Destination {
  const s = literal(a);
  if (s !== undefined) return { region: s, via: what };
  if (a.kind === 'unknown' && a.text === '${AWS::Region}') return { own: true };
  return { unknown: `${what} is ${describe(a)}` };
}

function vaultDestination(owner: ResourceHandle, a: Alt): Destination {
  const vault = pointees(owner.stack, a).find((p) => p.type === 'AWS::Backup::BackupVault' || p.type === 'AWS::Backup::LogicallyAirGappedBackupVault');
  if (vault) return stackRegionOf(vault);
  const text = textOf(a);
  if (text !== undefined && text.startsWith('arn:')) {
    if (arnFields(text)[3] === '${AWS::Region}') return { own: true };
    const r = regionOfArn(text);
    if (r !== undefined) return { region: r, via: `vault ${text}` };
  }
  return { unknown: `the destination vault ARN is ${describe(a)}` };
}

/**
 * SRM-IIP-MGT-03 (replicas): every place data is replicated to lies in an
 * allowed region: S3 replication destinations (through the destination
 * bucket's stack), DynamoDB global table replicas, backup copy actions
 * (region of the destination vault ARN), ECR replication and Secrets Manager
 * replica regions, and KMS replica keys (the region of their stack). A
 * multi-Region KMS key is unverifiable: replicas of it can be created outside
 * the template in any region.
 */
export const ReplicationTargetsAllowed: SrmIipRule = {
  id: 'ReplicationTargetsAllowed',
  controlId: 'SRM-IIP-MGT-03',
  summary: 'Every replication target (S3, DynamoDB, backup copies, ECR, secrets, multi-Region keys) is in an allowed region',
  resourceTypes: ['AWS::S3::Bucket', 'AWS::DynamoDB::GlobalTable', 'AWS::KMS::Key', 'AWS::KMS::ReplicaKey', 'AWS::Backup::BackupPlan', 'AWS::ECR::ReplicationConfiguration', 'AWS::SecretsManager::Secret'],
  checkApp(ctx) {
    const allowed = ctx.settings.allowedRegions;
    if (allowed.length === 0) return []; // StackRegionsAllowed reports the missing list once
    const app = ctx.app;
    const issues: RuleIssue[] = [];
    const judge = (r: ResourceHandle, location: string, what: string, d: Destination) => {
      if ('own' in d) return;
      if ('unknown' in d) {
        issues.push({ resource: r, kind: 'unverifiable', location, message: `cannot verify the region of ${what}: ${d.unknown}` });
      } else if (!isAllowedRegion(d.region, allowed)) {
        issues.push({ resource: r, kind: 'violation', location, message: `${what} goes to ${d.region} (${d.via}), which is not an allowed region (${allowed.join(', ')})` });
      }
    };

    for (const b of existing(app, 'AWS::S3::Bucket')) {
      const res = b.stack.resolver;
      for (const rule of res.items(b.stack, res.get(b, 'ReplicationConfiguration', 'Rules'))) {
        for (const dest of res.path(b.stack, [rule], ['Destination', 'Bucket'])) {
          if (dest.kind === 'absent') continue;
          judge(b, 'ReplicationConfiguration.Rules.Destination.Bucket', 'S3 replication', s3Destination(b, dest));
        }
      }
    }
    for (const t of existing(app, 'AWS::DynamoDB::GlobalTable')) {
      const res = t.stack.resolver;
      for (const replica of res.items(t.stack, res.get(t, 'Replicas'))) {
        for (const region of res.path(t.stack, [replica], ['Region'])) judge(t, 'Replicas.Region', 'a global table replica', regionValue(region, 'Replicas.Region'));
      }
    }
    for (const plan of existing(app, 'AWS::Backup::BackupPlan')) {
      const res = plan.stack.resolver;
      for (const rule of res.items(plan.stack, res.get(plan, 'BackupPlan', 'BackupPlanRule'))) {
        for (const copy of res.items(plan.stack, res.path(plan.stack, [rule], ['CopyActions']))) {
          for (const arn of res.path(plan.stack, [copy], ['DestinationBackupVaultArn'])) {
            if (arn.kind === 'absent') continue;
            judge(plan, 'BackupPlan.BackupPlanRule.CopyActions.DestinationBackupVaultArn', 'a backup copy', vaultDestination(plan, arn));
          }
        }
      }
    }
    for (const ecr of existing(app, 'AWS::ECR::ReplicationConfiguration')) {
      const res = ecr.stack.resolver;
      for (const rule of res.items(ecr.stack, res.get(ecr, 'ReplicationConfiguration', 'Rules'))) {
        for (const dest of res.items(ecr.stack, res.path(ecr.stack, [rule], ['Destinations']))) {
          for (const region of res.path(ecr.stack, [dest], ['Region'])) judge(ecr, 'ReplicationConfiguration.Rules.Destinations.Region', 'ECR image replication', regionValue(region, 'Destinations.Region'));
        }
      }
    }
    for (const secret of existing(app, 'AWS::SecretsManager::Secret')) {
      const res = secret.stack.resolver;
      for (const replica of res.items(secret.stack, res.get(secret, 'ReplicaRegions'))) {
        for (const region of res.path(secret.stack, [replica], ['Region'])) judge(secret, 'ReplicaRegions.Region', 'a secret replica', regionValue(region, 'ReplicaRegions.Region'));
      }
    }
    // A replica key lives in the region of its own stack.
    for (const replica of existing(app, 'AWS::KMS::ReplicaKey')) judge(replica, 'PrimaryKeyArn', 'a KMS replica key', stackRegionOf(replica));
    for (const key of existing(app, 'AWS::KMS::Key')) {
      const multi = key.stack.resolver.get(key, 'MultiRegion');
      const isMulti = multi.some((a) => boolOf(a) === true);
      const maybeMulti = multi.some((a) => a.kind === 'unknown' || a.kind === 'ref');
      if (!isMulti && !maybeMulti) continue;
      issues.push({
        resource: key,
        kind: 'unverifiable',
        location: 'MultiRegion',
        message: isMulti
          ? `the key is multi-Region (MultiRegion true): replicas of it can be created in any region outside this template, so it cannot be shown to stay in ${allowed.join(', ')}; use a single-Region key unless the replicas are governed elsewhere`
          : `cannot verify whether the key is multi-Region: MultiRegion is ${describe(multi.find((a) => a.kind !== 'value')!)}`,
      });
    }
    return issues;
  },
};
