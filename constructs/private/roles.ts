import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from './annotations';

/** The AWS-managed read-only policy of IoT Device Defender audit roles (IipDeviceFleet, IipSecurityMonitoring). */
export const DEVICE_DEFENDER_AUDIT_POLICY = 'service-role/AWSIoTDeviceDefenderAudit';

/**
 * A service principal that may act only on behalf of `account` and, given `sourceArnLike`, only
 * for the resources whose ARN matches it (the confused-deputy guard of a service role's trust policy).
 */
export function servicePrincipalFor(service: string, account: string, sourceArnLike?: string): iam.IPrincipal {
  return new iam.ServicePrincipal(service).withConditions({
    StringEquals: { 'aws:SourceAccount': account },
    ...(sourceArnLike !== undefined ? { ArnLike: { 'aws:SourceArn': sourceArnLike } } : {}),
  });
}

/** An AWS-managed policy, named as `iam.ManagedPolicy.fromAwsManagedPolicyName` takes it, and why the kit uses it. */
export interface AwsManagedPolicyUse {
  /** E.g. `service-role/AWS_ConfigRole`. */
  readonly name: string;
  /** Why this role uses the AWS-managed policy rather than one the kit writes (the AwsSolutions-IAM4 acknowledgement). */
  readonly reason: string;
}

/**
 * A service role whose permissions are AWS-managed policies, each with cdk-nag's AwsSolutions-IAM4
 * finding on it acknowledged for the reason given.
 */
export function awsManagedPolicyRole(scope: Construct, id: string, props: { readonly description: string; readonly assumedBy: iam.IPrincipal }, policies: readonly AwsManagedPolicyUse[]): iam.Role {
  const role = new iam.Role(scope, id, {
    description: props.description,
    assumedBy: props.assumedBy,
    managedPolicies: policies.map((p) => iam.ManagedPolicy.fromAwsManagedPolicyName(p.name)),
  });
  for (const p of policies) acknowledge(role, `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${p.name}]`, p.reason);
  return role;
}
