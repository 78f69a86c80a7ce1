import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, summarize, template } from '../../support/harness';

const RULE = 'KmsKeyAdminsCannotDecrypt';
const extra = { Parameters: { Env: { Type: 'String' }, Who: { Type: 'String' }, Act: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const key = (...Statement: unknown[]) => template({ K: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Version: '2012-10-17', Statement } } } }, extra);
const ROOT = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' };
const rootAll = { Sid: 'EnableIamUserPermissions', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };
const ADMIN = 'arn:aws:iam::111122223333:role/KeyAdmin';
const USER = 'arn:aws:iam::111122223333:role/KeyUser';
/** The admin actions the AWS console's default key policy gives key administrators. */
const consoleAdminActions = ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand'];

describe('SRM-IIP-ACC-07: no principal named in a key policy holds both key administration and kms:Decrypt', () => {
  it('is exported from the package root with its judgements', () => {
    expect(kit.KmsKeyAdminsCannotDecrypt.controlId).toBe('SRM-IIP-ACC-07');
    expect(kit.kmsAdminActionsCovered('kms:Put*')).toEqual(['kms:PutKeyPolicy']);
    expect(kit.kmsAdminActionsCovered('kms:Revoke*')).toEqual(['kms:RevokeGrant']);
    expect(kit.kmsAdminActionsCovered('kms:Revoke*', true)).toEqual([]);
    expect(kit.coversKmsDecrypt('kms:*')).toBe(true);
    expect(kit.coversKmsDecrypt('kms:ReEncrypt*')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 key whose administrator role is also given kms:Decrypt in the key policy', () => {
      const stack = new Stack(new App(), 'Keys');
      const admin = new iam.Role(stack, 'KeyAdmin', { assumedBy: new iam.AccountRootPrincipal() });
      const k = new kms.Key(stack, 'Key', { admins: [admin] });
      k.addToResourcePolicy(new iam.PolicyStatement({ principals: [admin], actions: ['kms:Decrypt'], resources: ['*'] }));
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-ACC-07', ruleId: RULE, kind: 'violation', resourceType: 'AWS::KMS::Key', location: 'KeyPolicy' });
      expect(fs[0].message).toMatch(/principal AWS KeyAdmin[0-9A-F]+\.Arn holds both key administration \('kms:Create\*'.*\) and kms:Decrypt \('kms:Decrypt'\)/);
    });

    it('2: a named role with kms:* next to the root statement', () => {
      expect(summarize(findings(key(rootAll, { Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 'kms:*', Resource: '*' }), RULE))).toEqual([
        `violation K: KeyPolicy: principal AWS '${ADMIN}' holds both key administration ('kms:*') and kms:Decrypt ('kms:*'); key administrators must not be able to decrypt`,
      ]);
    });

    it('3: administration and decrypt in separate statements, and unconditioned grant management', () => {
      const fs = findings(
        key(
          { Effect: 'Allow', Principal: { AWS: [ADMIN] }, Action: ['kms:PutKeyPolicy'], Resource: '*' },
          { Effect: 'Allow', Principal: { AWS: ADMIN }, Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*' },
          { Effect: 'Allow', Principal: { AWS: USER }, Action: ['kms:Decrypt', 'kms:CreateGrant'], Resource: '*' },
        ),
        RULE,
      );
      expect(fs.map((f) => f.message)).toEqual([expect.stringContaining(`'${ADMIN}' holds both key administration ('kms:PutKeyPolicy')`), expect.stringContaining(`'${USER}' holds both key administration ('kms:CreateGrant')`)]);
    });

    it('4: one branch of Fn::If gives the administrator kms:*', () => {
      const fs = findings(key({ Effect: 'Allow', Principal: { AWS: ADMIN }, Action: { 'Fn::If': ['Prod', 'kms:Put*', 'kms:*'] }, Resource: '*' }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation' }]);
    });

    it('5: a Deny of kms:Decrypt that applies only under a condition does not separate the duties', () => {
      const fs = findings(
        key(
          { Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 'kms:*', Resource: '*' },
          { Effect: 'Deny', Principal: { AWS: ADMIN }, Action: 'kms:Decrypt', Resource: '*', Condition: { Bool: { 'aws:ViaAWSService': 'false' } } },
        ),
        RULE,
      );
      expect(fs).toMatchObject([{ kind: 'violation' }]);
    });

    it('6: CDK admins plus grantDecrypt to the same role (both in the role\'s identity policy)', () => {
      const stack = new Stack(new App(), 'Keys');
      const ops = new iam.Role(stack, 'Ops', { assumedBy: new iam.AccountRootPrincipal() });
      const k = new kms.Key(stack, 'Key', { admins: [ops] });
      k.grantDecrypt(ops);
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0].message).toMatch(/principal role Ops[0-9A-F]+ in stack Keys holds both key administration \('kms:Create\*' via OpsDefaultPolicy[0-9A-F]+ in stack Keys.*and kms:Decrypt \('kms:Decrypt' via OpsDefaultPolicy/);
    });

    it('7: across stacks, a role policy that administers and decrypts a key of another stack', () => {
      const app = new App();
      const keys = new Stack(app, 'Keys');
      const k = new kms.Key(keys, 'Key');
      const ops = new Stack(app, 'Ops');
      const role = new iam.Role(ops, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:ScheduleKeyDeletion', 'kms:Decrypt'], resources: [k.keyArn] }));
      const fs = findingsForApp(app, RULE);
      expect(fs).toMatchObject([{ stack: 'Keys', kind: 'violation', message: expect.stringContaining('principal role Operator') }]);
      expect(fs[0].message).toContain('in stack Ops');
    });

    it('8: a managed policy attached to a role, granting on every key: reported once, on the role', () => {
      const t = template({
        K: { Type: 'AWS::KMS::Key', Properties: {} },
        Mp: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['kms:Disable*', 'kms:Decrypt'], Resource: 'arn:aws:kms:eu-central-1:111122223333:key/*' }] } } },
        R: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'ops', AssumeRolePolicyDocument: {}, ManagedPolicyArns: [{ Ref: 'Mp' }] } },
      });
      const fs = findings(t, RULE);
      expect(summarize(fs)).toEqual([
        "violation R: principal role R in stack Stack0 may administer and decrypt every KMS key (grants on Resource '*' or key/*): it holds both key administration ('kms:Disable*' via Mp in stack Stack0) and kms:Decrypt ('kms:Decrypt' via Mp in stack Stack0) on every key, which reaches the key of the app whose key policy delegates to IAM (K in stack Stack0); key administrators must not be able to decrypt",
      ]);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-ACC-07', resourceType: 'AWS::IAM::Role', logicalId: 'R' });
    });
  });

  describe('Grants on every key (Resource *): one finding per principal, not one per key', () => {
    /** `n` keys with CDK's default key policy (root delegation) and one role with `actions` on Resource `*`. */
    const wildcardApp = (n: number, actions: string[], keyPolicy?: Record<string, unknown>) => {
      const resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> = {
        Ops: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
        OpsPolicy: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: [{ Ref: 'Ops' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] } } },
      };
      for (let i = 0; i < n; i++) resources[`K${i}`] = { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: keyPolicy ?? { Statement: [rootAll] } } };
      return template(resources, extra);
    };

    it('a role with kms:* on every key and five delegating keys: one violation on the role, naming the keys', () => {
      const fs = findings(wildcardApp(5, ['kms:*']), RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ kind: 'violation', logicalId: 'Ops', resourceType: 'AWS::IAM::Role', location: undefined });
      expect(fs[0].message).toBe(
        "principal role Ops in stack Stack0 may administer and decrypt every KMS key (grants on Resource '*' or key/*): it holds both key administration ('kms:*' via OpsPolicy in stack Stack0) and kms:Decrypt ('kms:*' via OpsPolicy in stack Stack0) on every key, which reaches the 5 keys of the app whose key policies delegate to IAM (K0 in stack Stack0, K1 in stack Stack0, K2 in stack Stack0 and 2 more); key administrators must not be able to decrypt",
      );
    });

    it("a CDK role allowed '*' on '*', and four keys in another stack: one finding", () => {
      const app = new App();
      const ops = new Stack(app, 'Ops');
      const role = new iam.Role(ops, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));
      const keys = new Stack(app, 'Keys');
      for (let i = 0; i < 4; i++) new kms.Key(keys, `Key${i}`);
      const fs = findingsForApp(app, RULE);
      expect(fs).toMatchObject([{ kind: 'violation', stack: 'Ops', resourceType: 'AWS::IAM::Role', message: expect.stringContaining('the 4 keys of the app whose key policies delegate to IAM') }]);
      expect(fs[0].message).toMatch(/^principal role Admin[0-9A-F]+ in stack Ops may administer and decrypt every KMS key/);
    });

    it('a principal named only by a role name that is not in the app: the finding sits on the granting policy', () => {
      const t = template({
        K: { Type: 'AWS::KMS::Key', Properties: {} },
        P: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: ['external-ops'], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['kms:ScheduleKeyDeletion', 'kms:Decrypt'], Resource: '*' }] } } },
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'P', location: 'PolicyDocument', message: expect.stringContaining("principal role 'external-ops' may administer and decrypt every KMS key") }]);
    });

    it('unreadable actions on every key: one unverifiable finding on the role', () => {
      const fs = findings(wildcardApp(3, ['kms:Put*', { Ref: 'Act' } as unknown as string]), RULE);
      expect(fs).toMatchObject([{ kind: 'unverifiable', logicalId: 'Ops', message: expect.stringContaining('it has actions on every key that cannot be resolved') }]);
    });

    it('a grant on every key together with a grant on one key stays a finding of that key', () => {
      const t = template({
        K: { Type: 'AWS::KMS::Key', Properties: {} },
        Other: { Type: 'AWS::KMS::Key', Properties: {} },
        Ops: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
        P: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            PolicyName: 'p',
            Roles: [{ Ref: 'Ops' }],
            PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'kms:PutKeyPolicy', Resource: '*' }, { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': ['K', 'Arn'] } }] },
          },
        },
      });
      expect(summarize(findings(t, RULE))).toEqual([
        "violation K: KeyPolicy: principal role Ops in stack Stack0 holds both key administration ('kms:PutKeyPolicy' via P in stack Stack0) and kms:Decrypt ('kms:Decrypt' via P in stack Stack0); key administrators must not be able to decrypt",
      ]);
    });

    it('a key policy naming the wildcard role keeps its own per-key finding as well', () => {
      const t = wildcardApp(2, ['kms:*']);
      const k0 = (t.Resources as Record<string, { Properties: { KeyPolicy: { Statement: unknown[] } } }>).K0;
      k0.Properties.KeyPolicy = { Statement: [rootAll, { Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': ['Ops', 'Arn'] } }, Action: 'kms:Decrypt', Resource: '*' }] };
      const fs = findings(t, RULE);
      expect(fs.map((f) => `${f.kind} ${f.logicalId}`)).toEqual(['violation K0', 'violation Ops']);
      expect(fs[0].message).toContain("principal AWS Ops.Arn holds both key administration ('kms:*' via OpsPolicy in stack Stack0) and kms:Decrypt ('kms:Decrypt', 'kms:*' via OpsPolicy in stack Stack0)");
    });
  });

  describe('Compliance', () => {
    it('a default L2 key, and one with separate admins and users', () => {
      const stack = new Stack(new App(), 'Keys');
      new kms.Key(stack, 'Default');
      const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
      const user = new iam.Role(stack, 'User', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      const k = new kms.Key(stack, 'Separated', { admins: [admin] });
      k.grantDecrypt(user);
      k.addToResourcePolicy(new iam.PolicyStatement({ principals: [user], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'] }));
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it("the AWS console's default key policy: root delegation, administrators, users with grants for AWS resources", () => {
      const fs = findings(
        key(
          { ...rootAll, Principal: { AWS: 'arn:aws:iam::111122223333:root' } },
          { Sid: 'Admins', Effect: 'Allow', Principal: { AWS: ADMIN }, Action: consoleAdminActions, Resource: '*' },
          { Sid: 'Use', Effect: 'Allow', Principal: { AWS: USER }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' },
          { Sid: 'Attach', Effect: 'Allow', Principal: { AWS: USER }, Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
        ),
        RULE,
      );
      expect(fs).toEqual([]);
    });

    it('an administrator with kms:* and an unconditioned Deny of kms:Decrypt; another account root sharing the key', () => {
      const fs = findings(
        key(
          { Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 'kms:*', Resource: '*' },
          { Effect: 'Deny', Principal: { AWS: ADMIN }, Action: 'kms:Decrypt', Resource: '*' },
          { Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'kms:*', Resource: '*' },
        ),
        RULE,
      );
      expect(fs).toEqual([]);
    });

    it('grants on every key do not count when no key of the app delegates to IAM', () => {
      const t = template({
        K: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: ADMIN }, Action: consoleAdminActions, Resource: '*' }] } } },
        Ops: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
        P: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: [{ Ref: 'Ops' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] } } },
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('identity policies do not count for a key whose policy does not delegate to IAM', () => {
      const t = template({
        K: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: ADMIN }, Action: consoleAdminActions, Resource: '*' }] } } },
        P: { Type: 'AWS::IAM::Policy', Properties: { Roles: ['KeyAdmin'], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': ['K', 'Arn'] } }] } } },
      });
      expect(findings(t, RULE)).toEqual([]);
      // With the root statement, the same identity policy completes the pair (the role is matched by name).
      const delegated = JSON.parse(JSON.stringify(t));
      delegated.Resources.K.Properties.KeyPolicy.Statement.push(rootAll);
      expect(findings(delegated, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining(`principal AWS '${ADMIN}' holds both`) }]);
    });

    it('every branch of Fn::If is use-only', () => {
      expect(findings(key({ Effect: 'Allow', Principal: { AWS: USER }, Action: { 'Fn::If': ['Prod', 'kms:Decrypt', 'kms:Encrypt'] }, Resource: '*' }), RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a principal from a parameter holding kms:* may be the root: unverifiable', () => {
      expect(findings(key({ Effect: 'Allow', Principal: { AWS: { Ref: 'Who' } }, Action: 'kms:*', Resource: '*' }), RULE)).toMatchObject([
        { kind: 'unverifiable', message: expect.stringContaining('may be the account root') },
      ]);
    });

    it('an action from a parameter is unverifiable', () => {
      expect(findings(key({ Effect: 'Allow', Principal: { AWS: ADMIN }, Action: ['kms:Put*', { Ref: 'Act' }], Resource: '*' }), RULE)).toMatchObject([
        { kind: 'unverifiable', message: expect.stringContaining('parameter Act') },
      ]);
    });
  });
});
