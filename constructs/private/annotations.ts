import { Annotations, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Make a deliberate weakening visible: a CDK warning whose ID names the
 * control, shown by `cdk synth` and carried into the validation report.
 */
export function warnWeakened(scope: IConstruct, controlId: string, message: string): void {
  Annotations.of(scope).addWarningV2(`srm-iip:${controlId}`, `${controlId}: ${message}`);
}

/**
 * Acknowledge a finding of a peer pack (cdk-nag AwsSolutions, NIST 800-53 R5)
 * or of the kit's own pack on a construct the kit itself creates. Every call
 * carries a reason specific to that resource.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledge cdk-nag's AwsSolutions-IAM5 for one wildcard resource (`arn`, as written in the
 * policy) of a policy the kit wrote, with its reason.
 */
export function acknowledgeWildcard(policy: IConstruct, arn: string, reason: string): void {
  acknowledge(policy, `AwsSolutions-IAM5[Resource::${nagText(Stack.of(policy).resolve(arn))}]`, reason);
}

/** A resolved CloudFormation value as cdk-nag writes it in granular finding IDs (`<Logical.Arn>/*`, `arn:<AWS::Partition>:…`). */
function nagText(v: unknown): string {
  if (typeof v === 'string') return v.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o['Fn::Join'])) {
      const [sep, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(nagText).join(sep);
    }
    if (Array.isArray(o['Fn::GetAtt'])) {
      const [res, attr] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${nagText(res)}.${nagText(attr)}>`;
    }
    if ('Fn::Sub' in o) return nagText(o['Fn::Sub']);
    if ('Ref' in o) return `<${nagText(o.Ref)}>`;
    if ('Fn::ImportValue' in o) return nagText(o['Fn::ImportValue']);
  }
  return JSON.stringify(v);
}
