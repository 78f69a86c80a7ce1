import { App, Stack, Tags } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'TenantDataAccessIsScoped';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const MT_TAG = [{ Key: 'srm-iip:tenancy', Value: 'multi-tenant' }];
const LEADING = { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:PrincipalTag/tenant}'] } };

function tableAndPolicy(statement: Record<string, unknown>, tags: unknown = MT_TAG, extra: Record<string, unknown> = COND) {
  return template(
    {
      T: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], Tags: tags } },
      P: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: ['r'], PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: { 'Fn::GetAtt': ['T', 'Arn'] }, ...statement }] } } },
    },
    extra,
  );
}

function cdkTenantTable(stack: Stack) {
  const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'tenantId', type: dynamodb.AttributeType.STRING } });
  Tags.of(table).add('srm-iip:tenancy', 'multi-tenant');
  const role = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { table, role };
}

describe('SRM-IIP-APP-06: access to multi-tenant data is confined to the caller tenant', () => {
  it('is exported from the package root, with its judgements', () => {
    expect(kit.TenantDataAccessIsScoped.controlId).toBe('SRM-IIP-APP-06');
    expect(kit.APPLICATION_RULES).toContain(kit.TenantDataAccessIsScoped);
    expect(kit.isTenantConditionKey('dynamodb:LeadingKeys')).toBe(true);
    expect(kit.isTenantConditionKey('aws:PrincipalTag/tenant')).toBe(true);
    expect(kit.isTenantConditionKey('aws:SourceVpce')).toBe(false);
    expect(kit.isTenantScopedResource('${Bucket.Arn}/${aws:PrincipalTag/tenant}/*')).toBe(true);
    expect(kit.isTenantScopedResource('${Bucket.Arn}/*')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 grant (table.grantReadWriteData) on a multi-tenant table', () => {
      const stack = new Stack(new App(), 'S');
      const { table, role } = cdkTenantTable(stack);
      table.grantReadWriteData(role);
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-APP-06', ruleId: RULE, kind: 'violation', resourceType: 'AWS::IAM::Policy', message: expect.stringContaining('for every tenant') }]);
      expect(fs[0].message).toContain('dynamodb:LeadingKeys');
    });

    it('2: an L2 bucket grant in a stack whose metadata declares multi-tenancy', () => {
      const stack = new Stack(new App(), 'S');
      stack.templateOptions.metadata = { 'srm-iip': { tenancy: 'multi-tenant' } };
      const bucket = new s3.Bucket(stack, 'Uploads');
      bucket.grantRead(new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('grants s3 data access to multi-tenant bucket Uploads') }]);
    });

    it('3: a role inline policy with dynamodb:* on Resource *', () => {
      const t = template({
        T: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders', Tags: MT_TAG } },
        R: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {}, Policies: [{ PolicyName: 'x', PolicyDocument: { Statement: [{ Sid: 'All', Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] } }] } },
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'R', location: 'Policies.PolicyDocument', message: expect.stringContaining("statement 'All'") }]);
    });

    it('4: the tenant condition is present in one Fn::If branch only', () => {
      const t = tableAndPolicy({ Action: 'dynamodb:Query', Condition: { 'Fn::If': ['Prod', LEADING, { Ref: 'AWS::NoValue' }] } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 role policy with a dynamodb:LeadingKeys condition', () => {
      const stack = new Stack(new App(), 'S');
      const { table, role } = cdkTenantTable(stack);
      role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [table.tableArn], conditions: LEADING }));
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('S3 object ARNs scoped by ${aws:PrincipalTag/...}; ABAC conditions; untagged stores and no declaration', () => {
      const t = template({
        B: { Type: 'AWS::S3::Bucket', Properties: { Tags: MT_TAG } },
        P: {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: {
            PolicyDocument: {
              Statement: [
                { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['B', 'Arn'] }, '/${aws:PrincipalTag/tenant}/*']] } },
                { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['B', 'Arn'] }, '/*']] }, Condition: { StringEquals: { 's3:ExistingObjectTag/tenant': '${aws:PrincipalTag/tenant}' } } },
                { Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': ['B', 'Arn'] } },
              ],
            },
          },
        },
      });
      expect(findings(t, RULE)).toEqual([]);
      // No tenancy declared anywhere: the rule reports nothing.
      expect(findings(tableAndPolicy({ Action: 'dynamodb:*' }, [{ Key: 'team', Value: 'x' }]), RULE)).toEqual([]);
    });

    it('every Fn::If branch carries the condition', () => {
      const t = tableAndPolicy({ Action: 'dynamodb:Query', Condition: { 'Fn::If': ['Prod', LEADING, { StringEquals: { 'aws:PrincipalTag/tier': 'gold' } }] } });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('a policy in another stack importing the table ARN', () => {
      const data = template(
        { T: { Type: 'AWS::DynamoDB::Table', Properties: { Tags: MT_TAG } } },
        { Outputs: { T: { Value: { 'Fn::GetAtt': ['T', 'Arn'] }, Export: { Name: 'Data-TableArn' } } } },
      );
      const app = (cond?: unknown) =>
        template({
          P: {
            Type: 'AWS::IAM::Policy',
            Properties: { PolicyName: 'p', Roles: ['r'], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::ImportValue': 'Data-TableArn' }, ...(cond ? { Condition: cond } : {}) }] } },
          },
        });
      expect(runOnTemplates([data, app(LEADING)], RULE).findings).toEqual([]);
      expect(runOnTemplates([data, app()], RULE).findings).toMatchObject([{ kind: 'violation', stack: 'Stack1', logicalId: 'P', message: expect.stringContaining('table T in stack Stack0') }]);
    });
  });

  describe('Unresolvable values', () => {
    it('a resource from a parameter is unverifiable when it may be a multi-tenant table', () => {
      const t = template(
        {
          T: { Type: 'AWS::DynamoDB::Table', Properties: { Tags: MT_TAG } },
          P: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: ['r'], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { Ref: 'TableArn' } }] } } },
        },
        { Parameters: { TableArn: { Type: 'String' } } },
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter TableArn') }]);
    });
  });
});
