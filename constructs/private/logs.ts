import { ArnFormat, Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';

/** The ARN of a log group of the stack's account and region, by its name (a trailing `*` covers several). */
export function logGroupArn(stack: Stack, name: string): string {
  return stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/**
 * The documented key-policy statement that lets CloudWatch Logs of `region` encrypt and decrypt
 * with a key for the log groups `logGroupArns` names, bounded by the
 * `kms:EncryptionContext:aws:logs:arn` condition (`ArnEquals` for exact ARNs, `ArnLike` for patterns).
 */
export function cloudWatchLogsKeyStatement(sid: string, region: string, operator: 'ArnEquals' | 'ArnLike', logGroupArns: string | string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: { [operator]: { 'kms:EncryptionContext:aws:logs:arn': logGroupArns } },
  });
}

/**
 * Let CloudWatch Logs use `key` for the log groups of `scope` (exact ARNs). The statement's sid is
 * `sidPrefix` followed by the end of the construct's unique ID, so constructs sharing a key each
 * add their own; an imported key is left alone (its policy must allow it already).
 */
export function allowLogsForOwnLogGroups(scope: IConstruct, key: kms.IKey, sidPrefix: string, logGroupArns: string | string[]): void {
  key.addToResourcePolicy(cloudWatchLogsKeyStatement(`${sidPrefix}${Names.uniqueId(scope).slice(-8)}`, Stack.of(scope).region, 'ArnEquals', logGroupArns), true);
}
