import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, expectBool, stringOf } from '../engine/values';

/** The four S3 Block Public Access settings; the control needs all of them on. */
export const S3_BLOCK_PUBLIC_ACCESS_FLAGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'] as const;

/** Canned ACLs that open a bucket to everyone or to every AWS account. */
export const S3_PUBLIC_CANNED_ACLS = ['PublicRead', 'PublicReadWrite', 'AuthenticatedRead'] as const;

/** Whether a canned ACL makes a bucket public. */
export function isPublicCannedAcl(acl: string): boolean {
  return S3_PUBLIC_CANNED_ACLS.some((a) => a.toLowerCase() === acl.trim().toLowerCase());
}

/**
 * SRM-IIP-ACC-06 (buckets): every S3 bucket blocks public access and has no
 * public canned ACL.
 *
 * When `PublicAccessBlockConfiguration` is left out, S3 turns all four Block
 * Public Access settings on for every new bucket (the S3 default since April
 * 2023), so an absent configuration passes as the service default; CDK's
 * `s3.Bucket` writes none unless `blockPublicAccess` is set or the feature flag
 * `@aws-cdk/aws-s3:publicAccessBlockedByDefault` is on. A configuration that
 * is written must have all four flags true: a flag left out of a written
 * configuration is false.
 */
export const S3BucketNotPublic: SrmIipRule = {
  id: 'S3BucketNotPublic',
  controlId: 'SRM-IIP-ACC-06',
  summary: 'S3 buckets keep all four Block Public Access settings on and use no public canned ACL',
  resourceTypes: ['AWS::S3::Bucket'],
  check(r) {
    const res = r.stack.resolver;
    const issues: RuleIssue[] = [];
    const off = new Set<string>();
    let unresolved: { location: string; alt: Alt } | undefined;
    for (const cfg of res.get(r, 'PublicAccessBlockConfiguration')) {
      if (cfg.kind === 'absent') continue;
      if (cfg.kind !== 'value') {
        unresolved ??= { location: 'PublicAccessBlockConfiguration', alt: cfg };
        continue;
      }
      for (const flag of S3_BLOCK_PUBLIC_ACCESS_FLAGS) {
        for (const a of res.path(r.stack, [cfg], [flag])) {
          const v = expectBool(a, true, false);
          if (v === 'fail') off.add(a.kind === 'absent' ? `${flag} (not set, so false)` : `${flag} (${describe(a)})`);
          else if (v === 'unknown') unresolved ??= { location: `PublicAccessBlockConfiguration.${flag}`, alt: a };
        }
      }
    }
    if (off.size > 0) {
      issues.push({ resource: r, kind: 'violation', location: 'PublicAccessBlockConfiguration', message: `Block Public Access is not fully on: ${[...off].join(', ')}` });
    } else if (unresolved) {
      issues.push({ resource: r, kind: 'unverifiable', location: unresolved.location, message: `cannot verify ${unresolved.location}: its value is ${describe(unresolved.alt)}` });
    }
    const acls = res.get(r, 'AccessControl').filter((a) => a.kind !== 'absent');
    const publicAcl = acls.map((a) => (a.kind === 'value' ? stringOf(a) : undefined)).find((s) => s !== undefined && isPublicCannedAcl(s));
    const unknownAcl = acls.find((a) => a.kind !== 'value' || stringOf(a) === undefined);
    if (publicAcl !== undefined) {
      issues.push({ resource: r, kind: 'violation', location: 'AccessControl', message: `bucket has the public canned ACL '${publicAcl}'${acls.length > 1 ? ' (in one branch of Fn::If)' : ''}` });
    } else if (unknownAcl) {
      issues.push({ resource: r, kind: 'unverifiable', location: 'AccessControl', message: `cannot verify AccessControl: its value is ${describe(unknownAcl)}` });
    }
    return issues;
  },
};
