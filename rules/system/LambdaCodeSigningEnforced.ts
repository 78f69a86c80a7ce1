import type { ResourceHandle } from '../engine/model';
import { judgeAlts, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, stringOf, Verdict } from '../engine/values';
import { dedupeIssues, where } from './support';

/** The code-signing policy that rejects unsigned or untrusted code (`Warn`, the default, only logs). */
export function isEnforcingSigningPolicy(untrustedArtifactOnDeployment: string | undefined): boolean {
  return untrustedArtifactOnDeployment === 'Enforce';
}

/** Construct paths and logical IDs of the helper functions aws-cdk-lib adds, and what each is. */
const CDK_HELPERS: ReadonlyArray<[RegExp, string]> = [
  [/AutoDeleteObjects/i, 'the S3 auto-delete-objects handler'],
  [/RestrictDefaultSG/i, 'the VPC default-security-group restriction handler'],
  [/LogRetention[0-9a-f]{32}/i, 'the log-retention handler'],
  [/BucketDeployment|CDKBucketDeployment/i, 'the S3 bucket-deployment handler'],
  [/AWS679f53fac002430cb0da5b7982bd2287/, 'the AwsCustomResource handler'],
  [/framework-on(Event|IsComplete|Timeout)/, 'the custom-resource provider framework'],
  [/CustomResourceProvider|Custom::|^Custom[A-Z]|\/Custom[A-Z]/, 'a custom-resource provider'],
];

/**
 * What a CDK-provided custom-resource handler is, from its construct path
 * (`aws:cdk:path`) or logical ID; undefined for the app's own functions.
 */
export function cdkHelperKind(constructPath: string | undefined, logicalId: string): string | undefined {
  for (const [re, what] of CDK_HELPERS) {
    if ((constructPath !== undefined && re.test(constructPath)) || re.test(logicalId)) return what;
  }
  return undefined;
}

/**
 * SRM-IIP-SYS-05: every Lambda function deploys only signed code: its
 * `CodeSigningConfigArn` names an `AWS::Lambda::CodeSigningConfig` of the app
 * whose `CodeSigningPolicies.UntrustedArtifactOnDeployment` is `Enforce`.
 *
 * Helper functions that aws-cdk-lib adds (custom-resource providers, log
 * retention, auto-delete) fail like any other function; the message says
 * what they are, so they can be acknowledged with a reason. Container-image
 * functions cannot use Lambda code signing (images are signed with AWS
 * Signer/Notation and checked at pull): reported as unverifiable, to attest.
 * Firmware (IoT OTA updates) has no CloudFormation resource; its signing is
 * attested, and `AWS::Signer::SigningProfile` alone proves nothing.
 */
export const LambdaCodeSigningEnforced: SrmIipRule = {
  id: 'LambdaCodeSigningEnforced',
  controlId: 'SRM-IIP-SYS-05',
  summary: 'Lambda functions use a code-signing config that enforces signatures (UntrustedArtifactOnDeployment Enforce)',
  resourceTypes: ['AWS::Lambda::Function'],
  check(r) {
    const resolver = r.stack.resolver;
    const helper = cdkHelperKind(r.constructPath, r.logicalId);
    const note = helper ? ` (${r.logicalId} is ${helper}, a CDK-provided custom-resource handler: acknowledge it with a reason if it cannot be signed)` : '';
    if (resolver.get(r, 'PackageType').every((a) => stringOf(a) === 'Image')) {
      return [
        {
          resource: r,
          kind: 'unverifiable',
          location: 'PackageType',
          message: 'cannot verify code signing: a container-image function cannot use a Lambda code-signing config; attest that its image is signed and verified (e.g. AWS Signer with Notation)',
        },
      ];
    }
    const issues: RuleIssue[] = [];
    const configs = resolver.get(r, 'CodeSigningConfigArn');
    for (const a of configs) {
      if (a.kind === 'absent') {
        issues.push({ resource: r, kind: 'violation', location: 'CodeSigningConfigArn', message: `CodeSigningConfigArn is not set: Lambda deploys the function's code without checking a signature${note}` });
      } else if (a.kind === 'ref') {
        const csc = r.stack.app.resource(a.stack, a.logicalId);
        if (csc?.type !== 'AWS::Lambda::CodeSigningConfig') {
          issues.push({ resource: r, kind: 'violation', location: 'CodeSigningConfigArn', message: `CodeSigningConfigArn refers to ${a.logicalId}, ${csc ? `a ${csc.type}` : 'which the app does not declare'}, not a code-signing config${note}` });
        } else {
          issues.push(...policyIssues(r, csc, note));
        }
      } else {
        issues.push({
          resource: r,
          kind: 'unverifiable',
          location: 'CodeSigningConfigArn',
          message: `cannot verify code signing: CodeSigningConfigArn is ${describe(a)}, a code-signing config outside the app whose policy cannot be read`,
        });
      }
    }
    return dedupeIssues(issues);
  },
};

function policyIssues(fn: ResourceHandle, csc: ResourceHandle, note: string): RuleIssue[] {
  const alts: Alt[] = csc.stack.resolver.get(csc, 'CodeSigningPolicies', 'UntrustedArtifactOnDeployment');
  return judgeAlts(
    fn,
    alts,
    'CodeSigningConfigArn',
    (a): Verdict => (a.kind === 'value' ? (isEnforcingSigningPolicy(stringOf(a)) ? 'pass' : 'fail') : a.kind === 'absent' ? 'fail' : 'unknown'),
    (a) =>
      `code-signing config ${where(csc)} ${
        a.kind === 'absent' ? 'does not set CodeSigningPolicies.UntrustedArtifactOnDeployment (default Warn)' : `sets UntrustedArtifactOnDeployment to ${describe(a)}`
      }: unsigned code is deployed with a warning, not rejected${note}`,
  ).map((i) => (i.kind === 'unverifiable' ? { ...i, message: `cannot verify code signing: UntrustedArtifactOnDeployment of code-signing config ${where(csc)} is ${describe(alts.find((x) => x.kind !== 'value' && x.kind !== 'absent')!)}` } : i));
}
