import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, test } from 'vitest';
import * as kit from '../../index';
import { ProductCustomizationBlueprint, ProductCustomizationBlueprintProps } from '../../blueprints/ProductCustomizationBlueprint';
import { describeViolations, kitControlIds, vagueReasons } from '../support/packs';
import { runPacksStrict } from './support';

const ENV = { account: '111122223333', region: 'eu-central-1' };
const TENANT = '${aws:PrincipalTag/tenantId}';

// One platform for the whole file; the mutation tests at the end change it, after every other assertion was computed.
const app = new App();
const shop = new ProductCustomizationBlueprint(app, 'Shop', { platformName: 'configurator', env: ENV });
const packs = runPacksStrict(app, shop.checkOptions);
const assembly = app.synth();
const t = Template.fromJSON(assembly.getStackByName('configurator-application').template);

function expectError(props: ProductCustomizationBlueprintProps, message: string): void {
  let error: unknown;
  try {
    new ProductCustomizationBlueprint(new App(), 'Shop', { env: ENV, ...props });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(kit.SrmIipError);
  expect((error as Error).message).toBe(message);
}

function tagsOf(r: { [key: string]: any }): Record<string, string> {
  return Object.fromEntries(((r.Properties.Tags ?? []) as Array<{ Key: string; Value: string }>).map((x) => [x.Key, x.Value]));
}

describe('ProductCustomizationBlueprint: multi-tenant stores (APP-06)', () => {
  test('the orders table: partition key tenantId, customer-managed key, point-in-time recovery, deletion protection, declared multi-tenant', () => {
    t.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'tenantId', KeyType: 'HASH' },
          { AttributeName: 'orderId', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProductCustomizationOrdersKey'), 'Arn'] } },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
    const table = Object.values(t.findResources('AWS::DynamoDB::Table'))[0];
    expect(tagsOf(table)).toEqual(expect.objectContaining({ 'srm-iip:tenancy': 'multi-tenant', 'srm-iip:zone': 'application', 'srm-iip:stage': 'utilization-support' }));
  });

  test('the configurations bucket is declared multi-tenant; its access-log bucket is not', () => {
    const tenancy = Object.values(t.findResources('AWS::S3::Bucket')).map((b) => tagsOf(b)['srm-iip:tenancy']);
    expect(tenancy.filter((x) => x === 'multi-tenant')).toHaveLength(1);
  });

  test('the kit\'s pack checks tenant isolation and it passes', () => {
    const status = Object.fromEntries(packs.pack.lastResult!.controls.map((c) => [c.controlId, c.status]));
    expect(status['SRM-IIP-APP-06']).toBe('passed');
    expect(status['SRM-IIP-APP-01']).toBe('passed');
    expect(status['SRM-IIP-APP-03']).toBe('passed');
  });
});

describe('ProductCustomizationBlueprint: tenant identity', () => {
  test('the user pool gains an immutable custom:tenant_id; the portal client reads it and cannot write it', () => {
    t.hasResourceProperties('AWS::Cognito::UserPool', { Schema: Match.arrayWith([Match.objectLike({ Name: 'tenant_id', AttributeDataType: 'String', Mutable: false })]) });
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'configurator-portal',
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ReadAttributes: ['custom:tenant_id', 'email', 'email_verified'],
      WriteAttributes: ['email'],
    });
  });

  test('the identity pool admits signed-in customers only and maps custom:tenant_id to the principal tag tenantId', () => {
    t.hasResourceProperties('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: false, AllowClassicFlow: false, CognitoIdentityProviders: [Match.objectLike({ ServerSideTokenCheck: true })] });
    t.hasResourceProperties('AWS::Cognito::IdentityPoolPrincipalTag', { PrincipalTags: { tenantId: 'custom:tenant_id' }, UseDefaults: false });
  });

  test('the tenant role: only this identity pool\'s authenticated identities, with session tags, 1-hour sessions', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
            Principal: { Federated: 'cognito-identity.amazonaws.com' },
            Condition: {
              StringEquals: { 'cognito-identity.amazonaws.com:aud': { Ref: Match.stringLikeRegexp('^ProductCustomizationIdentityPool') } },
              'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
            },
          }),
        ],
      },
    });
  });

  test('the tenant policy confines items by dynamodb:LeadingKeys and objects and routes by the principal tag', () => {
    const doc = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).find((p) => String(p.Properties.Description).includes('own tenant'))!.Properties.PolicyDocument;
    const bySid = Object.fromEntries((doc.Statement as Array<Record<string, any>>).map((s) => [s.Sid, s]));
    expect(bySid.OwnTenantOrders.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [TENANT] } });
    expect(bySid.OwnTenantOrders.Action).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    expect(JSON.stringify(bySid.OwnTenantConfigurations.Resource)).toContain(`/tenants/${TENANT}/*`);
    expect(JSON.stringify(bySid.OwnTenantRoutes.Resource)).toContain(`/tenants/${TENANT}/*`);
    expect(bySid.OrdersKey.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'dynamodb.eu-central-1.amazonaws.com' } });
  });
});

describe('ProductCustomizationBlueprint: the ordering and configuration API', () => {
  const methods = Object.values(t.findResources('AWS::ApiGateway::Method')).map((m) => m.Properties as Record<string, any>);
  const tenantMethods = methods.filter((m) => m.Integration?.Credentials !== undefined);

  test('four tenant routes, each with IAM authorization and the caller\'s own credentials passed to DynamoDB or S3', () => {
    expect(tenantMethods.map((m) => m.HttpMethod).sort()).toEqual(['GET', 'GET', 'POST', 'PUT']);
    for (const m of tenantMethods) {
      expect(m.AuthorizationType).toBe('AWS_IAM');
      expect(m.AuthorizerId).toBeUndefined();
      expect(m.Integration.Credentials).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:user/*']] });
      expect(m.RequestValidatorId).toBeDefined();
    }
  });

  test('bodies are validated against models; the health check keeps the Cognito authorizer', () => {
    const withModels = tenantMethods.filter((m) => m.RequestModels);
    expect(withModels.map((m) => m.HttpMethod).sort()).toEqual(['POST', 'PUT']);
    t.hasResourceProperties('AWS::ApiGateway::Model', { Name: 'Order', Schema: Match.objectLike({ additionalProperties: false, required: ['configurationId', 'quantity'] }) });
    expect(methods.filter((m) => m.AuthorizationType === 'COGNITO_USER_POOLS')).toHaveLength(1);
  });

  test('POST /orders writes the tenant from the path and the order ID from the request, never overwriting', () => {
    const post = tenantMethods.find((m) => m.HttpMethod === 'POST')!;
    // The template is a Fn::Join around the table name; its literal parts hold the item.
    const parts = post.Integration.RequestTemplates['application/json']['Fn::Join'][1] as unknown[];
    const body = parts.map((x) => (typeof x === 'string' ? x : '<table>')).join('');
    expect(body).toContain('"tenantId":{"S":"$input.params(\'tenantId\')"}');
    expect(body).toContain('"orderId":{"S":"$context.requestId"}');
    expect(body).toContain('attribute_not_exists(orderId)');
    expect(post.Integration.PassthroughBehavior).toBe('NEVER');
  });
});

describe('ProductCustomizationBlueprint: the three packs', () => {
  test('no unacknowledged error of the kit\'s pack; no unacknowledged finding of AwsSolutions or NIST 800-53 R5', () => {
    expect(describeViolations(packs.srmIip)).toEqual([]);
    expect(describeViolations(packs.awsSolutions)).toEqual([]);
    expect(describeViolations(packs.nist)).toEqual([]);
  });

  test('every acknowledgement carries a specific reason; the scenario\'s own are COG4, the backup-plan check and two tenant wildcards', () => {
    expect(vagueReasons(packs.acknowledgements)).toEqual([]);
    const mine = packs.acknowledgements.filter((a) => a.scope.includes('/ProductCustomization/Orders') || a.scope.includes('/TenantPolicy') || a.scope.endsWith('/tenants'));
    expect(mine.map((a) => a.id.replace(/\[.*$/, '')).sort()).toEqual(['AwsSolutions-COG4', 'AwsSolutions-IAM5', 'AwsSolutions-IAM5', 'NIST.800.53.R5-DynamoDBInBackupPlan']);
  });
});

describe('ProductCustomizationBlueprint: bad options', () => {
  test.each<[ProductCustomizationBlueprintProps, string]>([
    [{ enableApiIngress: false }, '[Shop] enableApiIngress must be true or unset for product customization, got false: the ordering and configuration API is the scenario'],
    [{ tenantAttribute: 'Tenant-ID' }, "[Shop] tenantAttribute must be 1..20 lowercase letters, digits and '_', starting with a letter (a Cognito custom attribute name), got 'Tenant-ID'"],
    [{ maxOrderQuantity: 0 }, '[Shop] maxOrderQuantity must be a whole number 1..1000000, got 0'],
    [{ classificationLevels: 0 }, '[Shop] classificationLevels must be a whole number 1..16 (levels are numbered 1..n), got 0'],
    [{ partners: [{ name: 'a', accountId: '12345', externalId: 'x-1' }] }, "[Shop] partners[0].accountId must be an AWS account ID of 12 digits, got '12345'"],
  ])('%#: %j', (props, message) => expectError(props, message));
});

describe('ProductCustomizationBlueprint: mutations through escape hatches (run last: they change the shared app)', () => {
  test('the LeadingKeys condition removed from the tenant policy → SRM-IIP-APP-06', () => {
    const policy = shop.node.root.node.findAll().find((c) => c instanceof iam.CfnManagedPolicy && String(c.description).includes('own tenant')) as iam.CfnManagedPolicy;
    policy.addPropertyDeletionOverride('PolicyDocument.Statement.0.Condition');
    expect(kitControlIds(app, shop.checkOptions)).toContain('SRM-IIP-APP-06');
  });

  test('a tenant route opened to anyone (AuthorizationType NONE) → SRM-IIP-APP-01', () => {
    const method = shop.tenantResource.node.findAll().find((c) => c instanceof apigateway.CfnMethod) as apigateway.CfnMethod;
    method.addPropertyOverride('AuthorizationType', 'NONE');
    expect(kitControlIds(app, shop.checkOptions)).toContain('SRM-IIP-APP-01');
  });
});
