import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { runOnTemplates, summarize, synthInputs } from '../../support/harness';

describe('SRM-IIP-ACC-01/06/07: what CDK generates by default passes the access rules', () => {
  it('registers every access rule in ACCESS_RULES and the registry', () => {
    const ids = kit.ACCESS_RULES.map((r) => r.id);
    expect(ids).toEqual([
      'IamPolicyNoWildcardGrants',
      'IamNoAdministratorAccess',
      'IamNoAccessKeys',
      'IamTrustPolicyNotPublic',
      'IotThingHasOwnCertificate',
      'IotPolicyScopedToDevice',
      'CognitoUserPoolStrongAuth',
      'ApiAuthorizationNotNone',
      'S3BucketNotPublic',
      'ResourcePolicyNotPublic',
      'KmsKeyPolicyNotPublic',
      'KmsKeyAdminsCannotDecrypt',
      'CrossAccountTrustRequiresExternalId',
    ]);
    for (const id of ids) expect(kit.ruleById(id)?.controlId).toMatch(/^SRM-IIP-ACC-0[1-8]$/);
    expect(new Set(kit.ACCESS_RULES.map((r) => r.controlId)).size).toBe(8);
  });

  it('a plain Lambda function, a bucket read by a role and a default key give no access finding', () => {
    const stack = new Stack(new App(), 'Defaults');
    new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    bucket.grantRead(role);
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    key.grantDecrypt(role);

    const result = runOnTemplates(synthInputs(stack), undefined);
    expect(summarize(result.findings.filter((f) => f.controlId.startsWith('SRM-IIP-ACC-')))).toEqual([]);
    // The rules did apply to these resources: the controls passed rather than being not applicable.
    const status = Object.fromEntries(result.controls.map((c) => [c.controlId, c.status]));
    expect([status['SRM-IIP-ACC-01'], status['SRM-IIP-ACC-06'], status['SRM-IIP-ACC-07']]).toEqual(['passed', 'passed', 'passed']);
  });
});
