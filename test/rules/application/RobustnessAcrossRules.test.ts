import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { checkTemplates } from '../../../rules/template/check';

// Every rule of clauses 8.2.5 and 8.2.7, fed odd property shapes and a large app.
const RULES = [...kit.COMMUNICATION_RULES, ...kit.APPLICATION_RULES];
const TYPES = [...new Set(RULES.flatMap((r) => r.resourceTypes))];
const ODD: unknown[] = [
  null,
  7,
  'x',
  true,
  [],
  [null],
  [7, 'y'],
  {},
  { Ref: 'P' },
  { 'Fn::If': ['C', 'a', { Ref: 'AWS::NoValue' }] },
  { 'Fn::GetAtt': ['X', 'Arn'] },
  { 'Fn::Join': ['', [{ Ref: 'P' }, '/*']] },
  { 'Fn::ImportValue': 'missing-export' },
  [{ 'Fn::If': ['C', { a: 1 }, 'b'] }],
  { Foo: { Bar: [1, { Ref: 'P' }] } },
  'x'.repeat(5000),
];
const PROPS = [
  'Bucket', 'Queues', 'Queue', 'Topics', 'TopicArn', 'PolicyDocument', 'Protocol', 'SslPolicy', 'DefaultActions', 'Actions', 'ListenerArn', 'SecurityPolicy',
  'DomainNameConfigurations', 'DistributionConfig', 'TlsConfig', 'SigningDisabled', 'EncryptionInfo', 'TransitEncryptionEnabled', 'TransitEncryptionMode', 'TLSEnabled',
  'Engine', 'NodeToNodeEncryptionOptions', 'DomainEndpointOptions', 'VpnTunnelOptionsSpecifications', 'AuthorizationType', 'HttpMethod', 'RouteKey', 'ApiId', 'Target',
  'Body', 'ResourceArn', 'WebACLArn', 'Rules', 'Scheme', 'Type', 'RestApiId', 'StageName', 'MethodSettings', 'StageDescription', 'DefaultRouteSettings', 'ApiStages',
  'Throttle', 'RequestValidatorId', 'ValidateRequestBody', 'Environment', 'ContainerDefinitions', 'KmsKeyId', 'SecretString', 'SecretId', 'AccessLogSetting',
  'AccessLogSettings', 'LoadBalancerAttributes', 'LogType', 'Policies', 'Tags', 'EndpointConfiguration', 'DisableExecuteApiEndpoint', 'BucketName', 'QueueName',
  'TopicName', 'TableName',
];

describe('Communication and application rules never throw and scale', () => {
  it('odd property shapes give findings, never a rule crash', () => {
    for (const odd of ODD) {
      const resources: Record<string, unknown> = {};
      TYPES.forEach((t, i) => {
        resources[`R${i}`] = { Type: t, Properties: Object.fromEntries(PROPS.map((p) => [p, odd])) };
        resources[`E${i}`] = { Type: t, Properties: {} };
      });
      const t = {
        Parameters: { P: { Type: 'String' }, Password: odd },
        Conditions: { C: { 'Fn::Equals': [{ Ref: 'P' }, 'a'] } },
        Metadata: { 'srm-iip': { tenancy: 'multi-tenant' } },
        Resources: resources,
      };
      const res = checkTemplates([{ name: 'S', template: t }], {}, RULES);
      expect(res.findings.length).toBeGreaterThan(0);
      for (const f of res.findings) expect(f.message, `${f.ruleId} on ${JSON.stringify(odd).slice(0, 60)}`).not.toContain('could not read');
    }
  });

  it('an app of about 10,000 resources is checked without quadratic blow-up', () => {
    const resources: Record<string, unknown> = {};
    const mt = [{ Key: 'srm-iip:tenancy', Value: 'multi-tenant' }];
    for (let i = 0; i < 1200; i++) {
      resources[`B${i}`] = { Type: 'AWS::S3::Bucket', Properties: { Tags: mt } };
      resources[`BP${i}`] = {
        Type: 'AWS::S3::BucketPolicy',
        Properties: { Bucket: { Ref: `B${i}` }, PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [`B${i}`, 'Arn'] }, '/*']] }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] } },
      };
      resources[`T${i}`] = { Type: 'AWS::DynamoDB::Table', Properties: { Tags: mt } };
      resources[`P${i}`] = { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 's3:GetObject'], Resource: [{ 'Fn::GetAtt': [`T${i}`, 'Arn'] }, '*'] }] } } };
      resources[`Api${i}`] = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a' } };
      resources[`St${i}`] = { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: `Api${i}` }, StageName: 'prod' } };
      resources[`As${i}`] = { Type: 'AWS::WAFv2::WebACLAssociation', Properties: { ResourceArn: { 'Fn::Sub': `arn:\${AWS::Partition}:apigateway:\${AWS::Region}::/restapis/\${Api${i}}/stages/\${St${i}}` }, WebACLArn: 'arn:x' } };
      resources[`M${i}`] = { Type: 'AWS::ApiGateway::Method', Properties: { HttpMethod: 'POST', RestApiId: { Ref: `Api${i}` } } };
    }
    const t0 = Date.now();
    const res = checkTemplates([{ name: 'S', template: { Resources: resources } }], {}, RULES);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(res.findings.filter((f) => f.ruleId === 'DataStoresDenyInsecureTransport')).toEqual([]);
    // One finding per statement and service (DynamoDB items, S3 objects).
    expect(res.findings.filter((f) => f.ruleId === 'TenantDataAccessIsScoped')).toHaveLength(2400);
    expect(Math.max(...res.findings.map((f) => f.message.length))).toBeLessThan(2000);
  });
});
