import { App, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../index';
import { appWithStack, ENV, envStack, expectCleanUnderAllPacks, expectSrmIipError, kitFindings } from '../support/construct-helpers';

const ACME: kit.PartnerSpec = { name: 'acme', accountId: '444455556666', externalId: 'acme-iip-2024' };
const GLOBEX: kit.PartnerSpec = { name: 'Globex', accountId: '777788889999', externalId: 'globex:plant/7', description: 'Globex reads the quality exports' };

type Res = { Type: string; Properties: Record<string, any> };

function make(props: Partial<kit.IipPartnerAccessProps> = {}, env = ENV): { app: App; stack: Stack; access: kit.IipPartnerAccess } {
  const { app, stack } = appWithStack(env);
  const access = new kit.IipPartnerAccess(stack, 'Partners', { partners: [ACME], ...props });
  return { app, stack, access };
}

function expectError(props: Partial<kit.IipPartnerAccessProps>, message: string): void {
  expectSrmIipError(() => make(props), message);
}

const root = (account: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] });

describe('IipPartnerAccess', () => {
  describe('secure defaults (one partner)', () => {
    const { stack, access } = make();
    const t = Template.fromStack(stack);
    const res = t.toJSON().Resources as Record<string, Res>;
    const role = res[stack.getLogicalId(access.role('acme').node.defaultChild as iam.CfnRole)];
    const guardId = stack.getLogicalId(access.regionGuard.node.defaultChild as iam.CfnManagedPolicy);

    it('creates one role per partner and one region guard policy (2 resources)', () => {
      expect(Object.values(res).map((r) => r.Type).sort()).toEqual(['AWS::IAM::ManagedPolicy', 'AWS::IAM::Role']);
      expect(access.roles).toHaveLength(1);
    });

    it('the trust names exactly the partner account root and requires its external ID (ACC-08)', () => {
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: root('444455556666') }, Condition: { StringEquals: { 'sts:ExternalId': 'acme-iip-2024' } } },
      ]);
    });

    it('sessions last at most one hour', () => {
      expect(role.Properties.MaxSessionDuration).toBe(3600);
    });

    it('the region guard denies every request outside the stack region and is attached to the role (MGT-03)', () => {
      expect(res[guardId].Properties.PolicyDocument.Statement).toEqual([
        { Sid: 'DenyOutsideAllowedRegions', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-central-1'] } } },
      ]);
      expect(role.Properties.ManagedPolicyArns).toEqual([{ Ref: guardId }]);
      expect(access.allowedRegions).toEqual(['eu-central-1']);
    });

    it('the role starts with no permissions: no inline and no other managed policy (ACC-01)', () => {
      expect(role.Properties.Policies).toBeUndefined();
      t.resourceCountIs('AWS::IAM::Policy', 0);
    });

    it('the role carries the kit tags, zone cloud-infrastructure (MGT-02)', () => {
      expect(role.Properties.Tags).toEqual([
        { Key: 'srm-iip:level', Value: '1' },
        { Key: 'srm-iip:owner', Value: 'iip-platform' },
        { Key: 'srm-iip:stage', Value: 'utilization-support' },
        { Key: 'srm-iip:zone', Value: 'cloud-infrastructure' },
      ]);
    });
  });

  describe('props and methods', () => {
    it('several partners get one role each, found by name (case-insensitive)', () => {
      const { stack, access } = make({ partners: [ACME, GLOBEX] });
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::IAM::Role', 2);
      expect(access.role('globex')).toBe(access.roles[1]);
      t.hasResourceProperties('AWS::IAM::Role', {
        Description: 'Globex reads the quality exports',
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: root('777788889999') }, Condition: { StringEquals: { 'sts:ExternalId': 'globex:plant/7' } } })] },
      });
    });

    it('grants go through the resource: bucket.grantRead(role(name)) scopes the role to that bucket', () => {
      const { stack, access } = make();
      const bucket = new s3.Bucket(stack, 'Exports');
      bucket.grantRead(access.role('acme'));
      const statements = Template.fromStack(stack).findResources('AWS::IAM::Policy');
      const doc = Object.values(statements)[0].Properties.PolicyDocument.Statement;
      expect(doc[0].Resource).toEqual([{ 'Fn::GetAtt': [stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket), 'Arn'] }, expect.anything()]);
    });

    it('allowedRegions and maxSessionDurationHours', () => {
      const t = Template.fromStack(make({ allowedRegions: ['eu-central-1', 'eu-west-1'], maxSessionDurationHours: 12 }).stack);
      t.hasResourceProperties('AWS::IAM::ManagedPolicy', { PolicyDocument: { Statement: [Match.objectLike({ Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-central-1', 'eu-west-1'] } } })] } });
      t.hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: 43200 });
    });

    it('an environment-agnostic stack bounds the roles to the region it deploys to (${AWS::Region})', () => {
      const stack = new Stack(new App(), 'S');
      new kit.IipPartnerAccess(stack, 'Partners', { partners: [ACME] });
      const t = Template.fromStack(stack);
      t.hasResourceProperties('AWS::IAM::ManagedPolicy', { PolicyDocument: { Statement: [Match.objectLike({ Condition: { StringNotEquals: { 'aws:RequestedRegion': [{ Ref: 'AWS::Region' }] } } })] } });
    });

    it('role() of an unknown partner names the partners', () => {
      const { access } = make({ partners: [ACME, GLOBEX] });
      expect(() => access.role('initech')).toThrow(kit.SrmIipError);
      expect(() => access.role('initech')).toThrow("[S/Partners] no partner named 'initech'; the partners are acme, Globex");
    });

    it('nothing in the props weakens a control, so none warns', () => {
      const { stack } = make({ partners: [ACME, GLOBEX], maxSessionDurationHours: 12 });
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('SRM-IIP'))).toEqual([]);
    });
  });

  describe('bad props fail at construction with the prop, the value and what is allowed', () => {
    it('an empty partner list', () => {
      expectError({ partners: [] }, '[S/Partners] partners must name at least one partner account, got []');
    });
    it('a malformed account ID', () => {
      expectError({ partners: [{ ...ACME, accountId: '4444-5555-6666' }] }, "[S/Partners] partners[0].accountId: '4444-5555-6666' is not an AWS account ID; expected 12 digits");
    });
    it('the same account twice', () => {
      expectError({ partners: [ACME, { ...GLOBEX, accountId: ACME.accountId }] }, "[S/Partners] partners[1].accountId '444455556666' repeats partners[0]; each partner account gets one role");
    });
    it("the stack's own account", () => {
      expectError(
        { partners: [{ ...ACME, accountId: '111122223333' }] },
        "[S/Partners] partners[0].accountId '111122223333' is the stack's own account; partner access is for other accounts (grant own principals directly)",
      );
    });
    it('a bad or repeated partner name', () => {
      expectError({ partners: [{ ...ACME, name: 'acme corp' }] }, "[S/Partners] partners[0].name must be 1..32 letters, digits and hyphens, starting with a letter, got 'acme corp'");
      expectError({ partners: [ACME, { ...GLOBEX, name: 'ACME' }] }, "[S/Partners] partners[1].name 'ACME' repeats partners[0]; partner names must be unique");
      expectError({ partners: [{ ...ACME, name: 'RegionGuard' }] }, "[S/Partners] partners[0].name 'RegionGuard' is reserved: it names the construct's region guard policy");
    });
    it('an external ID that is too short or has characters STS refuses', () => {
      expectError({ partners: [{ ...ACME, externalId: 'x' }] }, "[S/Partners] partners[0].externalId must be 2..1224 characters of letters, digits and +=,.@:/-_, got 'x'");
      expectError({ partners: [{ ...ACME, externalId: 'acme 2024' }] }, "[S/Partners] partners[0].externalId must be 2..1224 characters of letters, digits and +=,.@:/-_, got 'acme 2024'");
    });
    it('an unknown or empty region list', () => {
      expectError({ allowedRegions: ['eu-central-1', 'Frankfurt'] }, "[S/Partners] allowedRegions: 'Frankfurt' is not an AWS region name; expected names such as eu-central-1 or us-gov-west-1");
      expectError({ allowedRegions: [] }, '[S/Partners] allowedRegions must name at least one region, got []');
    });
    it('a session duration outside 1..12 hours', () => {
      expectError({ maxSessionDurationHours: 0 }, '[S/Partners] maxSessionDurationHours must be a whole number 1..12, got 0');
      expectError({ maxSessionDurationHours: 24 }, '[S/Partners] maxSessionDurationHours must be a whole number 1..12, got 24');
    });
  });

  it('unresolved tokens pass validation (account, external ID and region from parameters)', () => {
    const stack = envStack();
    const account = new CfnParameter(stack, 'PartnerAccount', { type: 'String' });
    const externalId = new CfnParameter(stack, 'PartnerExternalId', { type: 'String', noEcho: true });
    const region = new CfnParameter(stack, 'PartnerRegion', { type: 'String' });
    new kit.IipPartnerAccess(stack, 'Partners', {
      partners: [{ name: 'acme', accountId: account.valueAsString, externalId: externalId.valueAsString }],
      allowedRegions: [region.valueAsString],
      maxSessionDurationHours: Token.asNumber(2),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'PartnerExternalId' } } } })] },
    });
  });

  it('packs: alone in a stack, SrmIipChecks, AwsSolutionsChecks and NIST80053R5Checks report no unacknowledged error; every acknowledgement has a specific reason', () => {
    const { app } = make({ partners: [ACME, GLOBEX] });
    expectCleanUnderAllPacks(app);
  });

  describe('mutation: a secure default switched off through an escape hatch is reported', () => {
    function mutated(change: (role: iam.CfnRole) => void): string[] {
      const { app, access } = make();
      change(access.role('acme').node.defaultChild as iam.CfnRole);
      return kitFindings(app);
    }
    const baseline = mutated(() => undefined);

    it('the unmutated construct reports none of the controls below', () => {
      for (const id of ['SRM-IIP-ACC-08', 'SRM-IIP-ACC-02', 'SRM-IIP-MGT-02']) expect(baseline).not.toContain(id);
    });
    it('trust without the external ID → SRM-IIP-ACC-08', () => {
      expect(mutated((r) => r.addPropertyDeletionOverride('AssumeRolePolicyDocument.Statement.0.Condition'))).toContain('SRM-IIP-ACC-08');
    });
    it("trust of any account ('*') → SRM-IIP-ACC-08 and SRM-IIP-ACC-02", () => {
      const ids = mutated((r) => r.addPropertyOverride('AssumeRolePolicyDocument.Statement.0.Principal', { AWS: '*' }));
      expect(ids).toContain('SRM-IIP-ACC-08');
      expect(ids).toContain('SRM-IIP-ACC-02');
    });
    it('role tags removed → SRM-IIP-MGT-02', () => {
      expect(mutated((r) => r.addPropertyDeletionOverride('Tags'))).toContain('SRM-IIP-MGT-02');
    });
  });
});
