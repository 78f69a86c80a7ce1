import { Aspects, IAspect, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct, IConstruct } from 'constructs';
import { SrmIipError } from '../rules/errors';
import {
  DEFAULT_MIN_PASSWORD_LENGTH,
  DEFAULT_RATE_LIMIT_PER_5_MINUTES,
  DEFAULT_STAGE_NAME,
  DEFAULT_THROTTLING_BURST_LIMIT,
  DEFAULT_THROTTLING_RATE_LIMIT,
  MAX_PASSWORD_LENGTH,
  MAX_RATE_LIMIT_PER_5_MINUTES,
  MIN_PASSWORD_LENGTH_FLOOR,
  MIN_RATE_LIMIT_PER_5_MINUTES,
  secureStageOptions,
  secureUserPoolProps,
  wafRedactedFields,
  webAclRules,
} from './defaults/api-defaults';
import { createSecureKey } from './defaults/kms-defaults';
import { allowLogGroupEncryption, checkLogRetention, DEFAULT_LOG_RETENTION_DAYS, secureLogGroupProps } from './defaults/logs-defaults';
import { acknowledge, acknowledgeWildcard, warnWeakened } from './private/annotations';
import { logGroupArn } from './private/logs';
import { validateMin, validateRange } from './private/validate';
import { applyIipTags, IipTaggingProps } from './tagging';

/** A custom domain name in front of the API. */
export interface IipApiCustomDomain {
  /** The DNS name, lower case (API Gateway accepts no upper-case letters), e.g. `api.plant.example.com`. */
  readonly name: string;
  /** An ACM certificate for `name` in the stack's region (the API is REGIONAL). */
  readonly certificate: acm.ICertificate;
  /**
   * Base path the API is mapped to under the domain.
   * @default - the root of the domain
   */
  readonly basePath?: string;
}

export interface IipApiIngressProps extends IipTaggingProps {
  /**
   * Name of the REST API.
   * @default - the construct's unique ID
   */
  readonly restApiName?: string;
  /**
   * Name of the deployment stage: letters, digits, `-` and `_`, up to 128 characters.
   * @default 'prod'
   */
  readonly stageName?: string;
  /**
   * User pool whose tokens the API's Cognito authorizer accepts. A given pool is used as it is:
   * its MFA and password policy are its owner's (the kit's pack still checks it when it is in the app).
   * @default - a new user pool: MFA required (TOTP), passwords of `minPasswordLength`, no self sign-up,
   * threat protection enforcing, deletion protection
   * @see SRM-IIP-ACC-05
   */
  readonly userPool?: cognito.IUserPool;
  /**
   * Minimum password length of the user pool the construct creates, 12..99. Only without `userPool`.
   * @default 14
   * @see SRM-IIP-ACC-05
   */
  readonly minPasswordLength?: number;
  /**
   * Let anyone create an account in the user pool the construct creates. Then "authenticated" means
   * only "signed up", so it is reported. Only without `userPool`.
   * @default false
   * @see SRM-IIP-ACC-05
   */
  readonly selfSignUpEnabled?: boolean;
  /**
   * Cognito threat protection (Plus feature plan, enforcing): blocks sign-ins with leaked credentials
   * and from risky contexts. Turning it off (Essentials plan) is reported. Only without `userPool`.
   * @default true
   * @see SRM-IIP-ACC-05
   */
  readonly threatProtection?: boolean;
  /**
   * Requests one client IP may send in any five minutes before the web ACL blocks it, 100..2000000000.
   * @default 2000
   * @see SRM-IIP-NET-07
   */
  readonly rateLimitPer5Minutes?: number;
  /**
   * Steady-state requests per second the stage admits for every method, at least 1.
   * @default 100
   * @see SRM-IIP-APP-03
   */
  readonly throttlingRateLimit?: number;
  /**
   * Requests the stage admits in a burst for every method, a whole number at least 1.
   * @default 200
   * @see SRM-IIP-APP-03
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Customer-managed key that encrypts the access-log, execution-log and WAF-log groups. The construct
   * adds key-policy statements that let CloudWatch Logs use a key it creates; a given key's policy must
   * allow `logs.<region>.amazonaws.com` for these log groups itself.
   * @default - a new key with rotation on, a 30-day deletion window and RETAIN
   * @see SRM-IIP-SYS-01
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Days the log groups keep events; one of the retentions CloudWatch Logs accepts.
   * @default 365
   * @see SRM-IIP-OPS-02
   */
  readonly logRetentionDays?: number;
  /**
   * Allow `logRetentionDays` below the 365-day floor; doing so is reported.
   * @default false
   * @see SRM-IIP-OPS-02
   */
  readonly allowShortRetention?: boolean;
  /**
   * Set the region's API Gateway CloudWatch Logs role (the account setting API Gateway needs to write
   * execution and access logs of any REST API). One role and `AWS::ApiGateway::Account` per stack,
   * shared by every IipApiIngress in it. Set false when another stack of the account and region already
   * sets it; without the setting the stage fails to deploy.
   * @default true
   * @see SRM-IIP-APP-05
   */
  readonly configureAccountLogging?: boolean;
  /**
   * Custom domain name for the API, with a TLS 1.2 security policy.
   * @default - no custom domain; clients use the default execute-api endpoint (also TLS 1.2)
   * @see SRM-IIP-COM-02
   */
  readonly domainName?: IipApiCustomDomain;
  /**
   * Switch off the default execute-api endpoint, so the API is reachable only through its custom domain.
   * @default - true when `domainName` is given, false otherwise
   * @see SRM-IIP-COM-02
   */
  readonly disableExecuteApiEndpoint?: boolean;
  /**
   * Add `GET /health`: a mock integration returning 200, behind the authorizer like every method, so
   * the API deploys before any other method exists (API Gateway refuses a REST API without methods).
   * @default true
   */
  readonly healthCheck?: boolean;
}

/**
 * An API for people and partner systems (application domain, zone `ingress`):
 * a REGIONAL REST API whose every method requires a Cognito user-pool
 * authorizer and runs a request validator (body and parameters), stage
 * throttling, JSON access logs and error-level execution logs to
 * CMK-encrypted log groups, X-Ray tracing, TLS 1.2 on the default endpoint
 * and on an optional custom domain, and a WAFv2 web ACL with a per-IP
 * rate-based rule, the AWS IP reputation list and the managed common and
 * known-bad-inputs rule groups, logging to an encrypted log group.
 *
 * Add methods with `addMethod(path, httpMethod, integration)` or through
 * `api.root`: both inherit the authorizer and the request validator. Give
 * methods with a body `requestModels`, so the validator has a schema.
 */
export class IipApiIngress extends Construct {
  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** The deployment stage. */
  public readonly stage: apigateway.Stage;
  /** The user pool whose tokens the authorizer accepts. */
  public readonly userPool: cognito.IUserPool;
  /** The user pool, when the construct created it. */
  public readonly createdUserPool?: cognito.UserPool;
  /** The Cognito authorizer every method uses by default. */
  public readonly authorizer: apigateway.CognitoUserPoolsAuthorizer;
  /** The request validator every method uses by default (validates body and parameters). */
  public readonly requestValidator: apigateway.RequestValidator;
  /** The WAFv2 web ACL in front of the stage. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The key that encrypts the log groups. */
  public readonly encryptionKey: kms.IKey;
  /** The access-log group of the stage. */
  public readonly accessLogGroup: logs.LogGroup;
  /** The execution-log group of the stage (the name API Gateway writes to), created encrypted ahead of API Gateway. */
  public readonly executionLogGroup: logs.LogGroup;
  /** The WAF log group (its name starts with `aws-waf-logs-`, as WAF requires). */
  public readonly wafLogGroup: logs.LogGroup;
  /** The client certificate API Gateway presents to HTTP backends (valid for 365 days; rotate by replacing it). */
  public readonly clientCertificate: apigateway.CfnClientCertificate;
  /** The custom domain, when `domainName` is given. */
  public readonly domain?: apigateway.DomainName;

  constructor(scope: Construct, id: string, props: IipApiIngressProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    // ------------------------------------------------------------ validation
    const stageName = props.stageName ?? DEFAULT_STAGE_NAME;
    validateStageName(this, stageName);
    const minPasswordLength = props.minPasswordLength ?? DEFAULT_MIN_PASSWORD_LENGTH;
    validateRange(this, 'minPasswordLength', minPasswordLength, MIN_PASSWORD_LENGTH_FLOOR, MAX_PASSWORD_LENGTH);
    const rateLimit = props.rateLimitPer5Minutes ?? DEFAULT_RATE_LIMIT_PER_5_MINUTES;
    validateRange(this, 'rateLimitPer5Minutes', rateLimit, MIN_RATE_LIMIT_PER_5_MINUTES, MAX_RATE_LIMIT_PER_5_MINUTES);
    const throttlingRateLimit = props.throttlingRateLimit ?? DEFAULT_THROTTLING_RATE_LIMIT;
    validateMin(this, 'throttlingRateLimit', throttlingRateLimit, 1, 'requests per second; 0 would refuse every request');
    const throttlingBurstLimit = props.throttlingBurstLimit ?? DEFAULT_THROTTLING_BURST_LIMIT;
    if (!Token.isUnresolved(throttlingBurstLimit) && !(Number.isInteger(throttlingBurstLimit) && throttlingBurstLimit >= 1)) {
      throw new SrmIipError(`throttlingBurstLimit must be a whole number of requests, at least 1, got ${throttlingBurstLimit}`, this.node.path);
    }
    const retentionDays = props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    checkLogRetention(this, 'logRetentionDays', retentionDays, props.allowShortRetention ?? false);
    if (props.userPool) {
      const poolProps = (['minPasswordLength', 'selfSignUpEnabled', 'threatProtection'] as const).filter((p) => props[p] !== undefined);
      if (poolProps.length > 0) {
        throw new SrmIipError(`${poolProps.join(', ')} configure${poolProps.length === 1 ? 's' : ''} the user pool the construct creates and cannot change the given userPool; set them on that pool instead`, this.node.path);
      }
    }
    if (props.domainName) validateDomainName(this, props.domainName);

    // ------------------------------------------------------------ weakenings
    const selfSignUp = props.selfSignUpEnabled ?? false;
    if (selfSignUp) warnWeakened(this, 'SRM-IIP-ACC-05', 'self sign-up is on (selfSignUpEnabled: true): anyone on the internet can create an account, so passing the authorizer proves only that a caller signed up');
    const threatProtection = props.threatProtection ?? true;
    if (!threatProtection) warnWeakened(this, 'SRM-IIP-ACC-05', 'Cognito threat protection is off (threatProtection: false): sign-ins with leaked credentials or from risky contexts are not blocked');

    // ------------------------------------------------------------ resources
    applyIipTags(this, props, 'ingress');

    this.encryptionKey = props.encryptionKey ?? createSecureKey(this, 'LogKey', `SRM-IIP API log key of ${this.node.path}`);
    const uniqueName = Names.uniqueResourceName(this, { maxLength: 100, separator: '-' });
    const accessLogName = `/srm-iip/api-access-logs/${uniqueName}`;
    const wafLogName = `aws-waf-logs-${uniqueName}`;
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogGroup', { ...secureLogGroupProps(this.encryptionKey, retentionDays), logGroupName: accessLogName });
    this.wafLogGroup = new logs.LogGroup(this, 'WafLogGroup', { ...secureLogGroupProps(this.encryptionKey, retentionDays), logGroupName: wafLogName });
    allowLogGroupEncryption(this.encryptionKey, logGroupArn(stack, accessLogName), 'AllowCloudWatchLogsApiAccessLogs');
    allowLogGroupEncryption(this.encryptionKey, logGroupArn(stack, wafLogName), 'AllowCloudWatchLogsWafLogs');

    if (props.userPool) {
      this.userPool = props.userPool;
    } else {
      this.createdUserPool = new cognito.UserPool(this, 'UserPool', secureUserPoolProps(minPasswordLength, threatProtection, selfSignUp));
      this.userPool = this.createdUserPool;
    }

    this.clientCertificate = new apigateway.CfnClientCertificate(this, 'ClientCertificate', { description: `SRM-IIP ${this.node.path}: API Gateway's identity towards HTTP backends` });

    this.authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'Authorizer', { cognitoUserPools: [this.userPool] });
    const domain = props.domainName;
    this.api = new apigateway.RestApi(this, 'Resource', {
      restApiName: props.restApiName ?? Names.uniqueResourceName(this, { maxLength: 255, separator: '-' }),
      description: `SRM-IIP API ingress ${this.node.path}`,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // The account's CloudWatch Logs role is set below, with a policy the kit writes, not the AWS-managed one.
      cloudWatchRole: false,
      // Every method added through the API's resources inherits these (SRM-IIP-APP-01, ACC-05).
      defaultMethodOptions: { authorizer: this.authorizer, authorizationType: apigateway.AuthorizationType.COGNITO },
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint ?? domain !== undefined,
      deployOptions: secureStageOptions({ stageName, accessLogGroup: this.accessLogGroup, throttlingRateLimit, throttlingBurstLimit, clientCertificateId: this.clientCertificate.ref }),
    });
    // The default execute-api endpoint accepts TLS 1.0 unless the API sets a policy (SRM-IIP-COM-02).
    (this.api.node.defaultChild as apigateway.CfnRestApi).securityPolicy = apigateway.SecurityPolicy.TLS_1_2;
    this.stage = this.api.deploymentStage;

    this.requestValidator = this.api.addRequestValidator('RequestValidator', { validateRequestBody: true, validateRequestParameters: true });
    // CDK ignores `requestValidator` in defaultMethodOptions, so the validator reaches methods added through
    // `api.root` by an aspect (SRM-IIP-APP-03), which also reports methods opened with AuthorizationType NONE.
    Aspects.of(this.api).add(new MethodDefaults(this.requestValidator));

    // Execution logs: API Gateway would create this group unencrypted and kept forever; create it first, encrypted.
    const executionLogName = `API-Gateway-Execution-Logs_${this.api.restApiId}/${stageName}`;
    this.executionLogGroup = new logs.LogGroup(this, 'ExecutionLogGroup', { ...secureLogGroupProps(this.encryptionKey, retentionDays), logGroupName: executionLogName });
    allowLogGroupEncryption(this.encryptionKey, logGroupArn(stack, executionLogName), 'AllowCloudWatchLogsApiExecutionLogs');
    this.stage.node.addDependency(this.executionLogGroup);

    if (props.configureAccountLogging ?? true) this.stage.node.addDependency(accountLogging(stack, props));

    if (props.healthCheck ?? true) {
      this.addMethod(
        'health',
        'GET',
        new apigateway.MockIntegration({
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"status": "ok"}' } }],
        }),
        { methodResponses: [{ statusCode: '200' }] },
      );
    }

    if (domain) {
      this.domain = new apigateway.DomainName(this, 'Domain', {
        domainName: domain.name,
        certificate: domain.certificate,
        endpointType: apigateway.EndpointType.REGIONAL,
        securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
      });
      this.domain.addBasePathMapping(this.api, { basePath: domain.basePath, stage: this.stage });
    }

    // ------------------------------------------------------------ WAF
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      description: `SRM-IIP web ACL of ${this.node.path}`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules: webAclRules(rateLimit),
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }), sampledRequestsEnabled: true },
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: this.stage.stageArn, webAclArn: this.webAcl.attrArn });
    const wafLogging = new wafv2.CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: this.webAcl.attrArn,
      // WAF takes the log group ARN without the ':*' suffix of LogGroup.logGroupArn.
      logDestinationConfigs: [logGroupArn(stack, wafLogName)],
      redactedFields: wafRedactedFields(),
    });
    wafLogging.node.addDependency(this.wafLogGroup);

    // ------------------------------------------------------------ peer-pack findings on what the kit chose
    acknowledge(
      this.stage,
      'NIST.800.53.R5-APIGWCacheEnabledAndEncrypted',
      'Stage caching is off on purpose: an API Gateway cache keys responses by path and parameters, not by the Cognito caller, so one user could be served another user\'s data; with nothing cached there is no cache data at rest to encrypt. Enable caching per method with cacheDataEncrypted and identity-keyed cache parameters where responses are not user-specific',
    );
  }

  /**
   * Add a method at `path` (e.g. 'orders/{orderId}'), creating the resources on the way. It inherits
   * the Cognito authorizer and the request validator; pass `requestModels` for methods with a body.
   */
  public addMethod(path: string, httpMethod: string, integration?: apigateway.Integration, options: apigateway.MethodOptions = {}): apigateway.Method {
    const validator = options.requestValidatorOptions ? {} : { requestValidator: this.requestValidator };
    return this.api.root.resourceForPath(path).addMethod(httpMethod, integration, { ...validator, ...options });
  }
}

/**
 * Gives every method of the API that names no request validator the construct's one (CORS
 * preflights excepted), and reports a method opened with AuthorizationType NONE (SRM-IIP-APP-01).
 */
class MethodDefaults implements IAspect {
  constructor(private readonly validator: apigateway.IRequestValidator) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof apigateway.CfnMethod)) return;
    const method = Token.isUnresolved(node.httpMethod) ? undefined : node.httpMethod.toUpperCase();
    if (method === 'OPTIONS') return;
    if (node.requestValidatorId === undefined) node.requestValidatorId = this.validator.requestValidatorId;
    if (node.authorizationType === undefined || node.authorizationType === apigateway.AuthorizationType.NONE) {
      warnWeakened(node, 'SRM-IIP-APP-01', `method ${method ?? node.httpMethod} of ${node.node.scope?.node.path ?? ''} requires no authorization (AuthorizationType NONE): anyone who can reach the API can call it`);
    }
  }
}

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
function validateStageName(scope: Construct, name: string): void {
  if (Token.isUnresolved(name)) return;
  if (!STAGE_NAME.test(name)) throw new SrmIipError(`stageName must be 1..128 letters, digits, '-' or '_', got '${name}'`, scope.node.path);
}

const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
function validateDomainName(scope: Construct, d: IipApiCustomDomain): void {
  if (!Token.isUnresolved(d.name) && (d.name.length > 253 || !DNS_NAME.test(d.name))) {
    throw new SrmIipError(`domainName.name must be a lower-case DNS name such as api.plant.example.com, got '${d.name}'`, scope.node.path);
  }
}

/** ID of the per-stack construct that sets the region's API Gateway CloudWatch Logs role. */
const ACCOUNT_LOGGING_ID = 'SrmIipApiGatewayAccountLogging';

/**
 * The region's API Gateway account setting, once per stack: a role API Gateway assumes to write
 * execution and access logs of every REST API in the account and region. Its policy is the kit's
 * own, write-only version of the AWS-managed AmazonAPIGatewayPushToCloudWatchLogs (no reading logs back).
 */
function accountLogging(stack: Stack, props: IipTaggingProps): Construct {
  const existing = stack.node.tryFindChild(ACCOUNT_LOGGING_ID);
  if (existing) return existing as Construct;
  const holder = new Construct(stack, ACCOUNT_LOGGING_ID);
  applyIipTags(holder, props, 'ingress');
  const role = new iam.Role(holder, 'Role', {
    description: "SRM-IIP: API Gateway's CloudWatch Logs role for the account and region (execution and access logs)",
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
  });
  const logGroups = logGroupArn(stack, '*');
  const policy = new iam.ManagedPolicy(holder, 'Policy', {
    description: 'SRM-IIP: API Gateway writes execution and access logs to CloudWatch Logs of this account and region',
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [logGroups],
      }),
    ],
  });
  acknowledgeWildcard(
    policy,
    logGroups,
    "API Gateway's CloudWatch Logs role is an account setting (AWS::ApiGateway::Account, one per region) that every REST API of the account and region uses for its execution and access logs, so it must reach any of their log groups; it is bounded to this account and region and to writing logs (no reading, unlike the AWS-managed AmazonAPIGatewayPushToCloudWatchLogs)",
  );
  // Kept on stack deletion: the account setting outlives the stack and would otherwise name a deleted role,
  // silently breaking the logs of every other REST API in the region (CDK's own cloudWatchRole does the same).
  role.applyRemovalPolicy(RemovalPolicy.RETAIN);
  policy.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const account = new apigateway.CfnAccount(holder, 'Account', { cloudWatchRoleArn: role.roleArn });
  account.node.addDependency(policy);
  return holder;
}
