import type { ResourceHandle } from '../engine/model';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { describe } from '../engine/values';
import { AccessPolicySource, altIsWildcard, problemsToIssues, publicGrantProblems, readAccessPolicy, unresolvedProblem } from './policy-checks';

/** Lambda::Permission properties that bound who may invoke through a `*` principal. */
export const LAMBDA_PERMISSION_SCOPING_PROPERTIES = ['SourceAccount', 'SourceArn', 'PrincipalOrgID'] as const;

/**
 * Condition keys that bound a public principal for one policy type only:
 * EFS access through a mount target needs network reach into the VPC.
 */
const EXTRA_SCOPING_KEYS: Record<string, readonly string[]> = {
  'AWS::EFS::FileSystem': ['elasticfilesystem:accessedviamounttarget'],
};

/** The resource policies a resource holds, by type. */
export function resourcePolicySources(r: ResourceHandle): AccessPolicySource[] {
  const res = r.stack.resolver;
  const one = (...path: string[]) => [{ location: path.join('.'), alts: res.get(r, ...path) }];
  switch (r.type) {
    case 'AWS::S3::BucketPolicy':
    case 'AWS::SQS::QueuePolicy':
    case 'AWS::SQS::QueueInlinePolicy':
    case 'AWS::SNS::TopicPolicy':
    case 'AWS::SNS::TopicInlinePolicy':
      return one('PolicyDocument');
    case 'AWS::KMS::Key':
    case 'AWS::KMS::ReplicaKey':
      return one('KeyPolicy');
    case 'AWS::SecretsManager::ResourcePolicy':
      return one('ResourcePolicy');
    case 'AWS::EFS::FileSystem':
      return one('FileSystemPolicy');
    case 'AWS::DynamoDB::Table':
      return one('ResourcePolicy', 'PolicyDocument');
    case 'AWS::DynamoDB::GlobalTable':
      return res.items(r.stack, res.get(r, 'Replicas')).map((rep, i) => ({
        location: `Replicas.${i}.ResourcePolicy.PolicyDocument`,
        alts: res.path(r.stack, [rep], ['ResourcePolicy', 'PolicyDocument']),
      }));
    default:
      return [];
  }
}

/**
 * SRM-IIP-ACC-06 (resource policies): no bucket, queue, topic, key, secret,
 * file-system or table policy, and no Lambda permission, allows a public
 * principal (`*`, `{AWS: '*'}`, NotPrincipal) without a condition that
 * bounds it to an organization, a VPC endpoint, a VPC or an account
 * (`aws:PrincipalOrgID`, `aws:SourceVpce`, `aws:SourceVpc`,
 * `aws:SourceAccount`, `aws:SourceArn`, `kms:CallerAccount`, …). `Deny` to
 * `*` is fine: TLS-only policies are written so. A principal or condition
 * that cannot be resolved is unverifiable.
 *
 * Key policies are also read by KmsKeyPolicyNotPublic (SRM-IIP-ACC-07),
 * which flags a `*` principal with no condition at all; an unscoped public
 * key policy therefore breaks both controls.
 */
export const ResourcePolicyNotPublic: SrmIipRule = {
  id: 'ResourcePolicyNotPublic',
  controlId: 'SRM-IIP-ACC-06',
  summary: 'Bucket, queue, topic, key, secret, file-system and table policies and Lambda permissions grant no public principal without an org, VPC-endpoint, VPC or account condition',
  resourceTypes: [
    'AWS::S3::BucketPolicy',
    'AWS::SQS::QueuePolicy',
    'AWS::SQS::QueueInlinePolicy',
    'AWS::SNS::TopicPolicy',
    'AWS::SNS::TopicInlinePolicy',
    'AWS::KMS::Key',
    'AWS::KMS::ReplicaKey',
    'AWS::SecretsManager::ResourcePolicy',
    'AWS::EFS::FileSystem',
    'AWS::DynamoDB::Table',
    'AWS::DynamoDB::GlobalTable',
    'AWS::Lambda::Permission',
  ],
  check(r) {
    if (r.type === 'AWS::Lambda::Permission') return checkLambdaPermission(r);
    const issues: RuleIssue[] = [];
    for (const src of resourcePolicySources(r)) {
      const view = readAccessPolicy(r.stack, src.alts);
      const problems = [...unresolvedProblem(view, src.location), ...publicGrantProblems(r.stack, view, src.location, EXTRA_SCOPING_KEYS[r.type])];
      issues.push(...problemsToIssues(r, src.location, problems));
    }
    return issues;
  },
};

function checkLambdaPermission(r: ResourceHandle): RuleIssue[] {
  const res = r.stack.resolver;
  const principals = res.get(r, 'Principal');
  const pub = principals.map((a) => ({ a, v: altIsWildcard(r.stack, a) }));
  const hit = pub.find((p) => p.v === 'yes') ?? pub.find((p) => p.v === 'maybe');
  if (!hit) return [];
  // Scoped when one of the scoping properties is set in every branch.
  const scoped = LAMBDA_PERMISSION_SCOPING_PROPERTIES.some((p) => res.get(r, p).every((a) => a.kind !== 'absent'));
  if (scoped) return [];
  const names = LAMBDA_PERMISSION_SCOPING_PROPERTIES.join(', ');
  if (hit.v === 'maybe') {
    return [{ resource: r, kind: 'unverifiable', location: 'Principal', message: `cannot verify Principal: its value is ${describe(hit.a)} and may be '*', and none of ${names} is set` }];
  }
  return problemsToIssues(r, 'Principal', [
    { kind: 'violation', message: `Lambda permission allows Principal '*' to invoke the function without ${names}` },
  ]);
}
