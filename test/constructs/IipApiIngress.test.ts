import { CfnParameter, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../index';
import { appWithStack, envStack, expectCleanUnderAllPacks, kitFindings } from '../support/construct-helpers';

const CERT_ARN = 'arn:aws:acm:eu-central-1:111122223333:certificate/1234abcd-12ab-34cd-56ef-1234567890ab';

function logicalId(s: Stack, c: { node: { defaultChild?: unknown } } | apigateway.CfnMethod): string {
  const cfn = (c as { node: { defaultChild?: unknown } }).node.defaultChild ?? c;
  return s.getLogicalId(cfn as apigateway.CfnMethod);
}

const LOG_ACTIONS = ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'];

describe('IipApiIngress', () => {
  describe('secure defaults', () => {
    const s = envStack();
    const api = new kit.IipApiIngress(s, 'Api');
    const t = Template.fromStack(s);
    const apiId = logicalId(s, api.api);
    const stageId = logicalId(s, api.stage);

    it('creates 19 resources: API, stage, method, validator, authorizer, user pool, WAF, log groups, key, client certificate and the account logging role', () => {
      expect(Object.keys(t.toJSON().Resources)).toHaveLength(19);
      t.resourceCountIs('AWS::ApiGateway::RestApi', 1);
      t.resourceCountIs('AWS::ApiGateway::Stage', 1);
      t.resourceCountIs('AWS::ApiGateway::Method', 1);
      t.resourceCountIs('AWS::ApiGateway::RequestValidator', 1);
      t.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
      t.resourceCountIs('AWS::Cognito::UserPool', 1);
      t.resourceCountIs('AWS::WAFv2::WebACL', 1);
      t.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
      t.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
      t.resourceCountIs('AWS::Logs::LogGroup', 3);
      t.resourceCountIs('AWS::KMS::Key', 1);
      t.resourceCountIs('AWS::ApiGateway::ClientCertificate', 1);
      t.resourceCountIs('AWS::ApiGateway::Account', 1);
      t.resourceCountIs('AWS::IAM::Role', 1);
      t.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
      expect(api.userPool).toBe(api.createdUserPool);
      expect(api.domain).toBeUndefined();
    });

    it('a REGIONAL REST API whose default endpoint requires TLS 1.2', () => {
      t.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] }, SecurityPolicy: 'TLS_1_2', DisableExecuteApiEndpoint: false });
    });

    it('GET /health is a mock behind the Cognito authorizer and the request validator', () => {
      t.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'GET',
        AuthorizationType: 'COGNITO_USER_POOLS',
        AuthorizerId: { Ref: logicalId(s, api.authorizer as unknown as apigateway.CfnMethod) },
        RequestValidatorId: { Ref: logicalId(s, api.requestValidator) },
        Integration: Match.objectLike({ Type: 'MOCK' }),
      });
      t.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'health' });
    });

    it('the authorizer accepts tokens of the user pool', () => {
      t.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'COGNITO_USER_POOLS',
        IdentitySource: 'method.request.header.Authorization',
        ProviderARNs: [{ 'Fn::GetAtt': [logicalId(s, api.createdUserPool!), 'Arn'] }],
      });
    });

    it('the request validator validates bodies and parameters', () => {
      t.hasResourceProperties('AWS::ApiGateway::RequestValidator', { RestApiId: { Ref: apiId }, ValidateRequestBody: true, ValidateRequestParameters: true });
    });

    it('the stage throttles every method, logs errors without data trace, traces and presents a client certificate', () => {
      t.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'prod',
        TracingEnabled: true,
        ClientCertificateId: { Ref: logicalId(s, api.clientCertificate as unknown as apigateway.CfnMethod) },
        MethodSettings: [
          { HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200, LoggingLevel: 'ERROR', DataTraceEnabled: false, MetricsEnabled: true },
        ],
        CacheClusterEnabled: Match.absent(),
      });
    });

    it('the stage writes JSON access logs with the caller, the WAF and authorizer outcome to its log group', () => {
      const stage = t.toJSON().Resources[stageId].Properties;
      expect(stage.AccessLogSetting.DestinationArn).toEqual({ 'Fn::GetAtt': [logicalId(s, api.accessLogGroup), 'Arn'] });
      const format = JSON.parse(stage.AccessLogSetting.Format);
      expect(format).toMatchObject({ sourceIp: '$context.identity.sourceIp', subject: '$context.authorizer.claims.sub', status: '$context.status', wafStatus: '$context.wafResponseCode' });
    });

    it('three log groups (access, execution, WAF), each encrypted with the customer-managed key, kept 365 days and retained', () => {
      const keyArn = { 'Fn::GetAtt': [logicalId(s, api.encryptionKey as kms.Key), 'Arn'] };
      t.allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArn, RetentionInDays: 365 });
      t.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
      t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^/srm-iip/api-access-logs/') });
      t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-') });
      t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: apiId }, '/prod']] } });
    });

    it('the execution-log group and the account logging setting exist before the stage', () => {
      const dependsOn = t.toJSON().Resources[stageId].DependsOn as string[];
      expect(dependsOn).toEqual(expect.arrayContaining([logicalId(s, api.executionLogGroup), s.getLogicalId(s.node.findChild('SrmIipApiGatewayAccountLogging').node.findChild('Account') as apigateway.CfnAccount)]));
    });

    it('the key lets CloudWatch Logs use it for these three log groups only, rotates and is retained', () => {
      t.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true, PendingWindowInDays: 30 }), DeletionPolicy: 'Retain' });
      for (const sid of ['AllowCloudWatchLogsApiAccessLogs', 'AllowCloudWatchLogsWafLogs', 'AllowCloudWatchLogsApiExecutionLogs']) {
        t.hasResourceProperties('AWS::KMS::Key', {
          KeyPolicy: {
            Statement: Match.arrayWith([
              Match.objectLike({ Sid: sid, Principal: { Service: 'logs.eu-central-1.amazonaws.com' }, Action: LOG_ACTIONS, Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } } }),
            ]),
          },
        });
      }
    });

    it('the user pool requires TOTP MFA and 14-character passwords of all classes, without reuse', () => {
      t.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: { MinimumLength: 14, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true, PasswordHistorySize: 24, TemporaryPasswordValidityDays: 3 },
        },
        SmsConfiguration: Match.absent(),
      });
    });

    it('the user pool has no self sign-up, threat protection enforcing (Plus plan), e-mail-only recovery and deletion protection', () => {
      t.hasResource('AWS::Cognito::UserPool', {
        Properties: Match.objectLike({
          AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
          UserPoolTier: 'PLUS',
          UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
          AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
          DeletionProtection: 'ACTIVE',
        }),
        DeletionPolicy: 'Retain',
      });
    });

    it('a REGIONAL web ACL: a blocking per-IP rate limit of 2000 per 5 minutes, then IP reputation, common and known-bad-inputs groups', () => {
      const rules = t.toJSON().Resources[s.getLogicalId(api.webAcl)].Properties.Rules as Array<Record<string, any>>;
      expect(rules.map((r) => r.Name)).toEqual(['srm-iip-rate-limit-per-ip', 'AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
      expect(rules[0]).toMatchObject({ Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP' } } });
      for (const r of rules.slice(1)) expect(r).toMatchObject({ OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: r.Name } } });
      t.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    });

    it('the web ACL is associated with the stage', () => {
      t.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        WebACLArn: { 'Fn::GetAtt': [s.getLogicalId(api.webAcl), 'Arn'] },
        ResourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: apiId }, '/stages/', { Ref: stageId }])] },
      });
    });

    it('WAF logs to its encrypted aws-waf-logs-* group, with the Authorization header redacted', () => {
      t.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        ResourceArn: { 'Fn::GetAtt': [s.getLogicalId(api.webAcl), 'Arn'] },
        LogDestinationConfigs: [{ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':log-group:aws-waf-logs-S-Api-[0-9A-F]+$')])] }],
        RedactedFields: [{ SingleHeader: { Name: 'authorization' } }],
      });
    });

    it("the account's API Gateway logging role: trusted by API Gateway, the kit's own write-only policy, no AWS-managed policy", () => {
      t.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] },
        ManagedPolicyArns: Match.absent(),
      });
      t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
              Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-central-1:111122223333:log-group:*']] },
            },
          ],
        },
      });
      t.hasResourceProperties('AWS::ApiGateway::Account', { CloudWatchRoleArn: Match.anyValue() });
      // The account setting outlives the stack: its role and policy are kept, so other APIs' logs keep working.
      t.allResources('AWS::IAM::Role', { DeletionPolicy: 'Retain' });
      t.allResources('AWS::IAM::ManagedPolicy', { DeletionPolicy: 'Retain' });
    });

    it('the kit tags on every taggable resource, zone ingress', () => {
      const tags = Match.arrayWith([
        { Key: 'srm-iip:level', Value: '1' },
        { Key: 'srm-iip:owner', Value: 'iip-platform' },
        { Key: 'srm-iip:stage', Value: 'utilization-support' },
        { Key: 'srm-iip:zone', Value: 'ingress' },
      ]);
      for (const type of ['AWS::ApiGateway::RestApi', 'AWS::ApiGateway::Stage', 'AWS::ApiGateway::ClientCertificate', 'AWS::WAFv2::WebACL', 'AWS::Logs::LogGroup', 'AWS::KMS::Key', 'AWS::IAM::Role']) {
        t.allResourcesProperties(type, { Tags: tags });
      }
      t.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTags: { 'srm-iip:zone': 'ingress', 'srm-iip:level': '1', 'srm-iip:owner': 'iip-platform', 'srm-iip:stage': 'utilization-support' } });
    });
  });

  describe('methods', () => {
    it('addMethod creates the path and the method inherits the authorizer and the validator', () => {
      const s = envStack();
      const api = new kit.IipApiIngress(s, 'Api', { healthCheck: false });
      const m = api.addMethod('orders/{orderId}', 'PUT', new apigateway.MockIntegration());
      expect(m.resource.path).toBe('/orders/{orderId}');
      Template.fromStack(s).hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'PUT',
        AuthorizationType: 'COGNITO_USER_POOLS',
        AuthorizerId: Match.anyValue(),
        RequestValidatorId: { Ref: logicalId(s, api.requestValidator) },
      });
    });

    it('methods added through api.root get the validator too (CDK ignores it in defaultMethodOptions)', () => {
      const s = envStack();
      const api = new kit.IipApiIngress(s, 'Api');
      const post = api.api.root.addResource('orders').addMethod('POST', new apigateway.MockIntegration());
      const t = Template.fromStack(s);
      expect(t.toJSON().Resources[logicalId(s, post)].Properties).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS', RequestValidatorId: { Ref: logicalId(s, api.requestValidator) } });
    });

    it('a CORS preflight gets no validator', () => {
      const s = envStack();
      const api = new kit.IipApiIngress(s, 'Api');
      api.api.root.addResource('cors').addCorsPreflight({ allowOrigins: ['https://plant.example.com'] });
      Template.fromStack(s).hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS', RequestValidatorId: Match.absent() });
    });

    it('healthCheck: false adds no method', () => {
      const s = envStack();
      const api = new kit.IipApiIngress(s, 'Api', { healthCheck: false });
      api.addMethod('items', 'GET', new apigateway.MockIntegration());
      const t = Template.fromStack(s);
      t.resourceCountIs('AWS::ApiGateway::Method', 1);
      t.resourcePropertiesCountIs('AWS::ApiGateway::Resource', { PathPart: 'health' }, 0);
    });
  });

  describe('options', () => {
    it('a custom domain with TLS 1.2 maps to the stage and switches the default endpoint off', () => {
      const s = envStack();
      const api = new kit.IipApiIngress(s, 'Api', { domainName: { name: 'api.plant.example.com', certificate: acm.Certificate.fromCertificateArn(s, 'Cert', CERT_ARN), basePath: 'v1' } });
      const t = Template.fromStack(s);
      t.hasResourceProperties('AWS::ApiGateway::DomainName', { DomainName: 'api.plant.example.com', SecurityPolicy: 'TLS_1_2', EndpointConfiguration: { Types: ['REGIONAL'] }, RegionalCertificateArn: CERT_ARN });
      t.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: 'v1', RestApiId: { Ref: logicalId(s, api.api) }, Stage: { Ref: logicalId(s, api.stage) } });
      t.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true, SecurityPolicy: 'TLS_1_2' });
      expect(api.domain).toBeDefined();
    });

    it('a given user pool is used and none is created', () => {
      const s = envStack();
      const pool = cognito.UserPool.fromUserPoolArn(s, 'Pool', 'arn:aws:cognito-idp:eu-central-1:111122223333:userpool/eu-central-1_abc123');
      const api = new kit.IipApiIngress(s, 'Api', { userPool: pool });
      const t = Template.fromStack(s);
      t.resourceCountIs('AWS::Cognito::UserPool', 0);
      t.hasResourceProperties('AWS::ApiGateway::Authorizer', { ProviderARNs: ['arn:aws:cognito-idp:eu-central-1:111122223333:userpool/eu-central-1_abc123'] });
      expect(api.userPool).toBe(pool);
      expect(api.createdUserPool).toBeUndefined();
    });

    it('a given key encrypts the log groups and no key is created', () => {
      const s = envStack();
      const key = new kms.Key(s, 'Shared', { enableKeyRotation: true });
      new kit.IipApiIngress(s, 'Api', { encryptionKey: key });
      const t = Template.fromStack(s);
      t.resourceCountIs('AWS::KMS::Key', 1);
      t.allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [s.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } });
    });

    it('limits, stage name and retention are configurable', () => {
      const s = envStack();
      new kit.IipApiIngress(s, 'Api', { rateLimitPer5Minutes: 500, throttlingRateLimit: 20, throttlingBurstLimit: 40, stageName: 'v1', logRetentionDays: 731, minPasswordLength: 16 });
      const t = Template.fromStack(s);
      t.hasResourceProperties('AWS::WAFv2::WebACL', { Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: { Limit: 500, AggregateKeyType: 'IP' } } })]) });
      t.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'v1', MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 })] });
      t.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 731 });
      t.hasResourceProperties('AWS::Cognito::UserPool', { Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 16 }) } });
    });

    it('two APIs in one stack share one account logging setting', () => {
      const s = envStack();
      new kit.IipApiIngress(s, 'A');
      new kit.IipApiIngress(s, 'B');
      const t = Template.fromStack(s);
      t.resourceCountIs('AWS::ApiGateway::RestApi', 2);
      t.resourceCountIs('AWS::ApiGateway::Account', 1);
      t.resourceCountIs('AWS::IAM::Role', 1);
    });

    it('configureAccountLogging: false leaves the account setting to another stack', () => {
      const s = envStack();
      new kit.IipApiIngress(s, 'Api', { configureAccountLogging: false });
      const t = Template.fromStack(s);
      t.resourceCountIs('AWS::ApiGateway::Account', 0);
      t.resourceCountIs('AWS::IAM::Role', 0);
    });
  });

  describe('bad props fail at construction with the prop, the value and what is allowed', () => {
    const pool = (s: Stack) => cognito.UserPool.fromUserPoolId(s, 'Pool', 'eu-central-1_abc123');
    it.each([
      [{ minPasswordLength: 8 }, '[S/Api] minPasswordLength must be a whole number 12..99, got 8'],
      [{ minPasswordLength: 100 }, '[S/Api] minPasswordLength must be a whole number 12..99, got 100'],
      [{ rateLimitPer5Minutes: 50 }, '[S/Api] rateLimitPer5Minutes must be a whole number 100..2000000000, got 50'],
      [{ rateLimitPer5Minutes: 150.5 }, '[S/Api] rateLimitPer5Minutes must be a whole number 100..2000000000, got 150.5'],
      [{ throttlingRateLimit: 0 }, '[S/Api] throttlingRateLimit must be at least 1 (requests per second; 0 would refuse every request), got 0'],
      [{ throttlingBurstLimit: 0 }, '[S/Api] throttlingBurstLimit must be a whole number of requests, at least 1, got 0'],
      [{ throttlingBurstLimit: 2.5 }, '[S/Api] throttlingBurstLimit must be a whole number of requests, at least 1, got 2.5'],
      [{ logRetentionDays: 42 }, '[S/Api] logRetentionDays must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got 42'],
      [{ logRetentionDays: 30 }, '[S/Api] logRetentionDays must be at least 365 (the SRM-IIP-OPS-02 floor; set allowShortRetention: true to go below it on purpose), got 30'],
      [{ stageName: 'my stage' }, "[S/Api] stageName must be 1..128 letters, digits, '-' or '_', got 'my stage'"],
      [{ classificationLevel: 0 }, '[S/Api] classificationLevel must be a whole number 1..16, got 0'],
      [{ zone: '' }, "[S/Api] zone must not be empty, got ''"],
    ])('%j', (props, message) => {
      expect(() => new kit.IipApiIngress(envStack(), 'Api', props as kit.IipApiIngressProps)).toThrow(kit.SrmIipError);
      expect(() => new kit.IipApiIngress(envStack(), 'Api', props as kit.IipApiIngressProps)).toThrow(message);
    });

    it('a custom domain name that is not a lower-case DNS name', () => {
      const make = () => {
        const s = envStack();
        return new kit.IipApiIngress(s, 'Api', { domainName: { name: 'Api.Example.com', certificate: acm.Certificate.fromCertificateArn(s, 'Cert', CERT_ARN) } });
      };
      expect(make).toThrow(kit.SrmIipError);
      expect(make).toThrow("[S/Api] domainName.name must be a lower-case DNS name such as api.plant.example.com, got 'Api.Example.com'");
    });

    it('user-pool settings together with a given userPool', () => {
      const make = () => {
        const s = envStack();
        return new kit.IipApiIngress(s, 'Api', { userPool: pool(s), minPasswordLength: 16, threatProtection: true });
      };
      expect(make).toThrow(kit.SrmIipError);
      expect(make).toThrow('[S/Api] minPasswordLength, threatProtection configure the user pool the construct creates and cannot change the given userPool; set them on that pool instead');
    });

    it('tokens pass validation (known at deploy time only)', () => {
      const s = envStack();
      const rate = new CfnParameter(s, 'Rate', { type: 'Number' }).valueAsNumber;
      const stageName = new CfnParameter(s, 'StageName').valueAsString;
      const burst = Lazy.number({ produce: () => 50 });
      const domain = new CfnParameter(s, 'Domain').valueAsString;
      expect(Token.isUnresolved(rate) && Token.isUnresolved(stageName) && Token.isUnresolved(burst)).toBe(true);
      expect(
        () =>
          new kit.IipApiIngress(s, 'Api', {
            rateLimitPer5Minutes: rate,
            throttlingRateLimit: rate,
            throttlingBurstLimit: burst,
            stageName,
            domainName: { name: domain, certificate: acm.Certificate.fromCertificateArn(s, 'Cert', CERT_ARN) },
          }),
      ).not.toThrow();
    });
  });

  describe('deliberate weakening is visible as a warning naming the control', () => {
    it('self sign-up warns SRM-IIP-ACC-05', () => {
      const s = envStack();
      new kit.IipApiIngress(s, 'Api', { selfSignUpEnabled: true });
      Annotations.fromStack(s).hasWarning('/S/Api', Match.stringLikeRegexp('SRM-IIP-ACC-05.*self sign-up'));
      Template.fromStack(s).hasResourceProperties('AWS::Cognito::UserPool', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: false } });
    });

    it('threat protection off warns SRM-IIP-ACC-05 and uses the Essentials plan', () => {
      const s = envStack();
      new kit.IipApiIngress(s, 'Api', { threatProtection: false });
      Annotations.fromStack(s).hasWarning('/S/Api', Match.stringLikeRegexp('SRM-IIP-ACC-05.*threat protection'));
      Template.fromStack(s).hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'ESSENTIALS', UserPoolAddOns: Match.absent() });
    });

    it('a retention below the floor, allowed on purpose, warns SRM-IIP-OPS-02', () => {
      const s = envStack();
      new kit.IipApiIngress(s, 'Api', { logRetentionDays: 90, allowShortRetention: true });
      Annotations.fromStack(s).hasWarning('/S/Api', Match.stringLikeRegexp('SRM-IIP-OPS-02'));
      Template.fromStack(s).allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    });

    it('a method opened with AuthorizationType NONE warns SRM-IIP-APP-01', () => {
      const s = envStack();
      const api = new kit.IipApiIngress(s, 'Api');
      api.api.root.addResource('open').addMethod('GET', new apigateway.MockIntegration(), { authorizationType: apigateway.AuthorizationType.NONE });
      Annotations.fromStack(s).hasWarning('/S/Api/Resource/Default/open/GET/Resource', Match.stringLikeRegexp('SRM-IIP-APP-01'));
    });

    it('secure defaults raise no warning', () => {
      const s = envStack();
      new kit.IipApiIngress(s, 'Api');
      Annotations.fromStack(s).hasNoWarning('*', Match.stringLikeRegexp('SRM-IIP'));
    });
  });

  describe('the three packs', () => {
    it('alone in a stack with default props, passes SrmIipChecks, AwsSolutions and NIST 800-53 R5', () => {
      const { app, stack } = appWithStack();
      new kit.IipApiIngress(stack, 'Api');
      const r = expectCleanUnderAllPacks(app);
      expect(r.acknowledgements.filter((a) => a.scope !== '').map((a) => a.id).sort()).toEqual([
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:eu-central-1:111122223333:log-group:*]',
        'NIST.800.53.R5-APIGWCacheEnabledAndEncrypted',
      ]);
    });

    it('with a custom domain and a method with a body, the kit pack finds nothing', () => {
      const { app, stack: s } = appWithStack();
      const api = new kit.IipApiIngress(s, 'Api', { domainName: { name: 'api.plant.example.com', certificate: acm.Certificate.fromCertificateArn(s, 'Cert', CERT_ARN) } });
      api.api.root.addResource('orders').addMethod('POST', new apigateway.MockIntegration());
      expect(kitFindings(app)).toEqual([]);
    });
  });

  describe('mutation: a secure default switched off through an escape hatch is reported', () => {
    function mutated(change: (api: kit.IipApiIngress, s: Stack) => void, props: (s: Stack) => kit.IipApiIngressProps = () => ({})): string[] {
      const { app, stack: s } = appWithStack();
      const api = new kit.IipApiIngress(s, 'Api', props(s));
      change(api, s);
      return kitFindings(app);
    }
    /** Escape hatch on the L1 web ACL's rules. */
    const editRules = (a: kit.IipApiIngress, f: (r: wafv2.CfnWebACL.RuleProperty[]) => wafv2.CfnWebACL.RuleProperty[]) => {
      a.webAcl.rules = f(a.webAcl.rules as wafv2.CfnWebACL.RuleProperty[]);
    };
    const pool = (api: kit.IipApiIngress) => api.createdUserPool!.node.defaultChild as cognito.CfnUserPool;
    const stage = (api: kit.IipApiIngress) => api.stage.node.defaultChild as apigateway.CfnStage;
    const health = (api: kit.IipApiIngress) => api.api.root.getResource('health')!.node.findChild('GET').node.defaultChild as apigateway.CfnMethod;

    it('the unmutated construct is clean', () => expect(mutated(() => undefined)).toEqual([]));
    it('MFA optional → SRM-IIP-ACC-05', () => expect(mutated((a) => pool(a).addPropertyOverride('MfaConfiguration', 'OPTIONAL'))).toEqual(['SRM-IIP-ACC-05']));
    it('8-character passwords → SRM-IIP-ACC-05', () => expect(mutated((a) => pool(a).addPropertyOverride('Policies.PasswordPolicy.MinimumLength', 8))).toEqual(['SRM-IIP-ACC-05']));
    it('a method without authorization → SRM-IIP-APP-01 and ACC-05', () =>
      expect(
        mutated((a) => {
          health(a).addPropertyOverride('AuthorizationType', 'NONE');
          health(a).addPropertyDeletionOverride('AuthorizerId');
        }),
      ).toEqual(['SRM-IIP-ACC-05', 'SRM-IIP-APP-01']));
    it('a POST method without the validator → SRM-IIP-APP-03', () =>
      expect(
        mutated((a) => {
          health(a).addPropertyOverride('HttpMethod', 'POST');
          health(a).addPropertyDeletionOverride('RequestValidatorId');
        }),
      ).toEqual(['SRM-IIP-APP-03']));
    it('the validator not validating bodies → SRM-IIP-APP-03', () =>
      expect(
        mutated((a) => {
          (a.requestValidator.node.defaultChild as apigateway.CfnRequestValidator).addPropertyOverride('ValidateRequestBody', false);
          a.addMethod('orders', 'POST', new apigateway.MockIntegration());
        }),
      ).toEqual(['SRM-IIP-APP-03']));
    it('stage throttling removed → SRM-IIP-APP-03', () =>
      expect(
        mutated((a) => {
          stage(a).addPropertyDeletionOverride('MethodSettings.0.ThrottlingRateLimit');
          stage(a).addPropertyDeletionOverride('MethodSettings.0.ThrottlingBurstLimit');
        }),
      ).toEqual(['SRM-IIP-APP-03']));
    it('access logs removed → SRM-IIP-APP-05', () => expect(mutated((a) => stage(a).addPropertyDeletionOverride('AccessLogSetting'))).toEqual(['SRM-IIP-APP-05']));
    it('no rate-based rule → SRM-IIP-NET-07', () => expect(mutated((a) => editRules(a, (r) => r.slice(1)))).toEqual(['SRM-IIP-NET-07']));
    it('the rate-based rule only counting → SRM-IIP-NET-07', () =>
      expect(mutated((a) => editRules(a, (r) => r.map((x, i) => (i === 0 ? { ...x, action: { count: {} } } : x))))).toEqual(['SRM-IIP-NET-07']));
    it('the common rule set in count mode → SRM-IIP-APP-02', () =>
      expect(mutated((a) => editRules(a, (r) => r.map((x) => (x.name === 'AWSManagedRulesCommonRuleSet' ? { ...x, overrideAction: { count: {} } } : x))))).toEqual(['SRM-IIP-APP-02']));
    it('the known-bad-inputs group removed → SRM-IIP-APP-02', () =>
      expect(mutated((a) => editRules(a, (r) => r.filter((x) => x.name !== 'AWSManagedRulesKnownBadInputsRuleSet')))).toEqual(['SRM-IIP-APP-02']));
    it('the web ACL association pointing elsewhere → SRM-IIP-APP-02 and NET-07', () =>
      expect(
        mutated((a) => (a.node.findChild('WebAclAssociation') as wafv2.CfnWebACLAssociation).addPropertyOverride('ResourceArn', 'arn:aws:apigateway:eu-central-1::/restapis/other/stages/prod')),
      ).toEqual(['SRM-IIP-APP-02', 'SRM-IIP-NET-07']));
    it('the default endpoint without a TLS policy → SRM-IIP-COM-02', () =>
      expect(mutated((a) => (a.api.node.defaultChild as apigateway.CfnRestApi).addPropertyDeletionOverride('SecurityPolicy'))).toEqual(['SRM-IIP-COM-02']));
    it('the custom domain on TLS 1.0 → SRM-IIP-COM-02', () =>
      expect(
        mutated(
          (a) => (a.domain!.node.defaultChild as apigateway.CfnDomainName).addPropertyOverride('SecurityPolicy', 'TLS_1_0'),
          (s) => ({ domainName: { name: 'api.plant.example.com', certificate: acm.Certificate.fromCertificateArn(s, 'Cert', CERT_ARN) } }),
        ),
      ).toEqual(['SRM-IIP-COM-02']));
    it('a log group without its key → SRM-IIP-SYS-01 and OPS-02', () =>
      expect(mutated((a) => (a.accessLogGroup.node.defaultChild as logs.CfnLogGroup).addPropertyDeletionOverride('KmsKeyId'))).toEqual(['SRM-IIP-OPS-02', 'SRM-IIP-SYS-01']));
    it('a log group kept 30 days → SRM-IIP-OPS-02', () => expect(mutated((a) => (a.wafLogGroup.node.defaultChild as logs.CfnLogGroup).addPropertyOverride('RetentionInDays', 30))).toEqual(['SRM-IIP-OPS-02']));
    it('the kit tags removed from the web ACL → SRM-IIP-MGT-02', () => expect(mutated((a) => a.webAcl.addPropertyDeletionOverride('Tags'))).toEqual(['SRM-IIP-MGT-02']));
  });
});
