import { App, PhysicalName, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, summarize, template } from '../../support/harness';

const RULE = 'CrossAccountTrustRequiresExternalId';
const extra = { Parameters: { Env: { Type: 'String' }, Partner: { Type: 'String' }, Cond: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const role = (...Statement: unknown[]) => template({ R: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement } } } }, extra);
const assume = (AWS: unknown, Condition?: unknown) => ({ Effect: 'Allow', Principal: { AWS }, Action: 'sts:AssumeRole', ...(Condition ? { Condition } : {}) });
const externalId = { StringEquals: { 'sts:ExternalId': 'partner-7f3a' } };

describe('SRM-IIP-ACC-08: roles trusted by other AWS accounts name them and require sts:ExternalId', () => {
  it('is exported from the package root with its judgements', () => {
    expect(kit.CrossAccountTrustRequiresExternalId.controlId).toBe('SRM-IIP-ACC-08');
    expect(kit.requiresExternalId(new Set(['sts:externalid']))).toBe(true);
    expect(kit.accountInText('arn:aws:iam::111122223333:role/x')).toBe('111122223333');
    expect(kit.accountInText('arn:${AWS::Partition}:iam::${AWS::AccountId}:root')).toBe('${AWS::AccountId}');
    expect(kit.accountIsOwn('111122223333', undefined)).toBe('no');
    expect(kit.accountIsOwn('111122223333', '111122223333')).toBe('yes');
  });

  describe('Noncompliance', () => {
    it('1: an L2 role for a partner account without an external ID', () => {
      const stack = new Stack(new App(), 'Partners');
      new iam.Role(stack, 'Supplier', { assumedBy: new iam.AccountPrincipal('444455556666') });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-ACC-08', ruleId: RULE, kind: 'violation', resourceType: 'AWS::IAM::Role', location: 'AssumeRolePolicyDocument' });
      expect(fs[0].message).toBe('AssumeRolePolicyDocument statement #1 trusts account 444455556666 without requiring sts:ExternalId');
    });

    it('2: a role ARN of another account, and a bare account ID', () => {
      const fs = findings(role(assume(['arn:aws:iam::444455556666:role/integration', '777788889999'])), RULE);
      expect(summarize(fs)).toEqual(['violation R: AssumeRolePolicyDocument statement #1 trusts account 444455556666, account 777788889999 without requiring sts:ExternalId']);
    });

    it('3: any account (`*`)', () => {
      expect(findings(role(assume('*', externalId)), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("trusts any AWS account ('*') instead of naming the partner accounts") }]);
    });

    it('4: with a known stack account, another literal account is a partner', () => {
      const own = { name: 'Own', account: '111111111111', template: role(assume('arn:aws:iam::111111111111:root'), assume('arn:aws:iam::222222222222:root')) };
      expect(runOnTemplates([own], RULE).findings).toMatchObject([{ kind: 'violation', message: 'AssumeRolePolicyDocument statement #2 trusts account 222222222222 without requiring sts:ExternalId' }]);
    });

    it('5: the external ID is required in only one branch of Fn::If', () => {
      const fs = findings(role(assume('444455556666', { 'Fn::If': ['Prod', externalId, { Ref: 'AWS::NoValue' }] })), RULE);
      expect(fs).toMatchObject([{ kind: 'violation' }]);
    });

    it('6: a role in one account trusting a role of another stack in another account (CDK)', () => {
      const app = new App();
      const partner = new Stack(app, 'Partner', { env: { account: '444455556666', region: 'eu-central-1' } });
      const caller = new iam.Role(partner, 'Caller', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), roleName: PhysicalName.GENERATE_IF_NEEDED });
      const platform = new Stack(app, 'Platform', { env: { account: '111111111111', region: 'eu-central-1' } });
      new iam.Role(platform, 'Ingest', { assumedBy: new iam.ArnPrincipal(caller.roleArn) });
      expect(findingsForApp(app, RULE)).toMatchObject([{ stack: 'Platform', kind: 'violation', message: expect.stringContaining('trusts account 444455556666') }]);
    });
  });

  describe('Compliance', () => {
    it('L2 partner role with an external ID; service, own-account and organization trusts', () => {
      const stack = new Stack(new App(), 'Partners');
      new iam.Role(stack, 'Supplier', { assumedBy: new iam.AccountPrincipal('444455556666'), externalIds: ['supplier-7f3a'] });
      new iam.Role(stack, 'Svc', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      new iam.Role(stack, 'Own', { assumedBy: new iam.AccountRootPrincipal() });
      new iam.Role(stack, 'Org', { assumedBy: new iam.OrganizationPrincipal('o-abc123def45') });
      const same = new iam.Role(stack, 'Same', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      new iam.Role(stack, 'Chained', { assumedBy: new iam.ArnPrincipal(same.roleArn) });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('`*` named down by aws:PrincipalAccount with an external ID, and every branch of Fn::If requiring one', () => {
      const fs = findings(
        role(
          assume('*', { StringEquals: { 'aws:PrincipalAccount': ['444455556666'], 'sts:ExternalId': 'x' } }),
          assume('444455556666', { 'Fn::If': ['Prod', externalId, { StringLike: { 'sts:ExternalId': 'dev-*' } }] }),
        ),
        RULE,
      );
      expect(fs).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a partner account from a parameter without an external ID is unverifiable', () => {
      const fs = findings(role(assume({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${Partner}:root' })), RULE);
      expect(fs).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining("principal 'arn:${AWS::Partition}:iam::${Partner}:root'") }]);
    });

    it('a Condition from a parameter on a partner trust is unverifiable', () => {
      expect(findings(role(assume('444455556666', { Ref: 'Cond' })), RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('Condition cannot be resolved') }]);
    });
  });
});
