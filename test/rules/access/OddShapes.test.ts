import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { runOnTemplates, template } from '../../support/harness';

const ODD: unknown[] = [
  null,
  'text',
  42,
  true,
  'true',
  [],
  {},
  [null, 1, 'x', [], {}],
  { Ref: 'AWS::NoValue' },
  { Ref: 'Param' },
  { Ref: 'Missing' },
  { 'Fn::If': ['C', null, 'x'] },
  { 'Fn::If': ['C', { Ref: 'AWS::NoValue' }, [{ 'Fn::If': ['C', 'a', { Ref: 'Param' }] }]] },
  { 'Fn::Join': 'bad' },
  { 'Fn::GetAtt': 'Nope.Arn' },
  { 'Fn::ImportValue': 'no-such-export' },
  { 'Fn::Sub': '${Param}' },
  { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' },
  'x'.repeat(100_000),
];

const STATEMENTS: unknown[] = [
  'x',
  [1, null, 'str', []],
  [{ Effect: 3, Action: {}, Resource: [[]], Principal: [], Condition: 'x' }],
  [{ Effect: 'Allow', Action: ['*', null, 7], Resource: { 'Fn::If': ['C', '*', { Ref: 'AWS::NoValue' }] }, Principal: { AWS: [null, { Ref: 'Param' }] }, Condition: { StringEquals: 'x' } }],
  [{ Effect: 'Allow', NotAction: 'x', NotResource: {}, NotPrincipal: 'x', Condition: { 'Fn::If': ['C', {}, 'x'] } }],
  { 'Fn::If': ['C', [{ Effect: 'Allow', Action: '*', Resource: '*', Principal: '*' }], 'x'] },
];

/** Property paths of each resource type the access rules read. */
const SHAPES: Record<string, string[][]> = {
  'AWS::IAM::Policy': [['PolicyDocument'], ['Roles'], ['Users'], ['Groups']],
  'AWS::IAM::ManagedPolicy': [['PolicyDocument'], ['Roles']],
  'AWS::IAM::Role': [['AssumeRolePolicyDocument'], ['Policies'], ['ManagedPolicyArns'], ['RoleName']],
  'AWS::IAM::User': [['Policies'], ['ManagedPolicyArns']],
  'AWS::IAM::Group': [['Policies'], ['ManagedPolicyArns']],
  'AWS::IAM::RolePolicy': [['PolicyDocument'], ['RoleName']],
  'AWS::IAM::AccessKey': [['UserName']],
  'AWS::IoT::Thing': [['ThingName']],
  'AWS::IoT::ThingPrincipalAttachment': [['ThingName'], ['Principal']],
  'AWS::IoT::Policy': [['PolicyDocument']],
  'AWS::Cognito::UserPool': [['MfaConfiguration'], ['Policies'], ['Policies', 'PasswordPolicy'], ['Policies', 'PasswordPolicy', 'MinimumLength']],
  'AWS::ApiGateway::Method': [['AuthorizationType'], ['HttpMethod']],
  'AWS::ApiGatewayV2::Route': [['AuthorizationType'], ['RouteKey'], ['ApiId']],
  'AWS::S3::Bucket': [['PublicAccessBlockConfiguration'], ['PublicAccessBlockConfiguration', 'BlockPublicAcls'], ['AccessControl']],
  'AWS::S3::BucketPolicy': [['PolicyDocument']],
  'AWS::SNS::TopicPolicy': [['PolicyDocument']],
  'AWS::KMS::Key': [['KeyPolicy']],
  'AWS::SecretsManager::ResourcePolicy': [['ResourcePolicy']],
  'AWS::DynamoDB::Table': [['ResourcePolicy'], ['ResourcePolicy', 'PolicyDocument']],
  'AWS::DynamoDB::GlobalTable': [['Replicas']],
  'AWS::Lambda::Permission': [['Principal'], ['SourceArn']],
};

function setPath(obj: Record<string, unknown>, path: string[], v: unknown): Record<string, unknown> {
  let cur = obj;
  for (const seg of path.slice(0, -1)) cur = (cur[seg] = {}) as Record<string, unknown>;
  cur[path[path.length - 1]] = v;
  return obj;
}

describe('SRM-IIP-ACC-01..08: the access rules never throw on odd property shapes', () => {
  const accessRules = kit.ACCESS_RULES.map((r) => r.id);
  const extra = { Parameters: { Param: { Type: 'String' } }, Conditions: { C: { 'Fn::Equals': [{ Ref: 'Param' }, 'x'] } } };

  it('every odd value on every property path the rules read', () => {
    const resources: Record<string, { Type: string; Properties: Record<string, unknown>; Condition?: string }> = {};
    let n = 0;
    for (const [type, paths] of Object.entries(SHAPES)) {
      for (const path of paths) {
        for (const v of ODD) resources[`R${n++}`] = { Type: type, Properties: setPath({}, path, v), Condition: n % 3 === 0 ? 'C' : undefined };
        if (/Policy|Document|Policies|KeyPolicy/.test(path.join('.'))) {
          for (const st of STATEMENTS) resources[`R${n++}`] = { Type: type, Properties: setPath({}, path, path[0] === 'Policies' ? [{ PolicyDocument: { Statement: st } }] : { Statement: st }) };
        }
      }
    }
    const result = runOnTemplates([template(resources, extra)]);
    const mine = result.findings.filter((f) => accessRules.includes(f.ruleId));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter((f) => f.message.includes('could not read'))).toEqual([]);
    for (const f of mine) expect(['violation', 'unverifiable']).toContain(f.kind);
  });
});
