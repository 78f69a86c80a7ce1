import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { COGNITO_MIN_PASSWORD_LENGTH } from '../../rules/access/CognitoUserPoolStrongAuth';
import { REQUIRED_MANAGED_RULE_GROUPS } from '../../rules/application/AppEndpointsFilterMaliciousInput';

/** Shortest password a user pool of the kit accepts (SRM-IIP-ACC-05). */
export const MIN_PASSWORD_LENGTH_FLOOR = COGNITO_MIN_PASSWORD_LENGTH;

/** Minimum password length when none is given: above the floor, as current guidance for people's passwords recommends. */
export const DEFAULT_MIN_PASSWORD_LENGTH = 14;

/** Longest minimum password length Cognito accepts. */
export const MAX_PASSWORD_LENGTH = 99;

/** Requests one client IP may send in any five minutes before the web ACL blocks it (SRM-IIP-NET-07). */
export const DEFAULT_RATE_LIMIT_PER_5_MINUTES = 2000;

/** Lowest rate limit the kit accepts: below it, ordinary interactive use gets blocked. */
export const MIN_RATE_LIMIT_PER_5_MINUTES = 100;

/** Highest rate limit WAF accepts. */
export const MAX_RATE_LIMIT_PER_5_MINUTES = 2_000_000_000;

/** Steady-state requests per second the stage admits across all clients, when none is given (SRM-IIP-APP-03). */
export const DEFAULT_THROTTLING_RATE_LIMIT = 100;

/** Requests the stage admits in a burst, when none is given (SRM-IIP-APP-03). */
export const DEFAULT_THROTTLING_BURST_LIMIT = 200;

/** Stage name when none is given. */
export const DEFAULT_STAGE_NAME = 'prod';

/** Passwords a user may not reuse (Cognito's maximum). */
export const PASSWORD_HISTORY_SIZE = 24;

/**
 * Secure defaults of the user pool that authenticates the API's callers
 * (SRM-IIP-ACC-05): MFA required with TOTP authenticator apps only (no SMS,
 * which needs an SNS role and is open to SIM swapping), a long password with
 * all character classes and no reuse, administrators create users (no self
 * sign-up), sign-in by verified e-mail, recovery by e-mail only, the Plus
 * feature plan with threat protection enforcing (blocks sign-ins from
 * compromised credentials and risky contexts), and deletion protection.
 */
export function secureUserPoolProps(minPasswordLength = DEFAULT_MIN_PASSWORD_LENGTH, threatProtection = true, selfSignUpEnabled = false): cognito.UserPoolProps {
  return {
    mfa: cognito.Mfa.REQUIRED,
    mfaSecondFactor: { otp: true, sms: false },
    passwordPolicy: {
      minLength: minPasswordLength,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
      passwordHistorySize: PASSWORD_HISTORY_SIZE,
      tempPasswordValidity: Duration.days(3),
    },
    selfSignUpEnabled,
    signInAliases: { email: true },
    autoVerify: { email: true },
    signInCaseSensitive: false,
    accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    featurePlan: threatProtection ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
    standardThreatProtectionMode: threatProtection ? cognito.StandardThreatProtectionMode.FULL_FUNCTION : undefined,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

/**
 * Access-log record of one request (SRM-IIP-APP-05): who called (source IP,
 * the Cognito subject, user agent), what (method, path, status, sizes), what
 * WAF and the authorizer decided, and the request and trace IDs that tie it
 * to execution logs and X-Ray. JSON, so log queries can filter on fields.
 */
export function accessLogFormat(): apigateway.AccessLogFormat {
  const F = apigateway.AccessLogField;
  return apigateway.AccessLogFormat.custom(
    JSON.stringify({
      requestId: F.contextRequestId(),
      extendedRequestId: F.contextExtendedRequestId(),
      requestTime: F.contextRequestTime(),
      sourceIp: F.contextIdentitySourceIp(),
      userAgent: F.contextIdentityUserAgent(),
      subject: F.contextAuthorizerClaims('sub'),
      httpMethod: F.contextHttpMethod(),
      resourcePath: F.contextResourcePath(),
      protocol: F.contextProtocol(),
      status: F.contextStatus(),
      responseLength: F.contextResponseLength(),
      responseLatency: F.contextResponseLatency(),
      wafStatus: F.contextWafResponseCode(),
      authorizerError: F.contextAuthorizerError(),
      integrationError: F.contextIntegrationErrorMessage(),
      xrayTraceId: F.contextXrayTraceId(),
    }),
  );
}

/** Inputs of the stage defaults. */
export interface SecureStageInputs {
  readonly stageName: string;
  readonly accessLogGroup: logs.ILogGroup;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly clientCertificateId: string;
}

/**
 * Secure defaults of the API's stage: throttling of every method
 * (SRM-IIP-APP-03), JSON access logs (APP-05), execution logs of errors only
 * with request and response bodies kept out of them (data trace off, so no
 * tokens or payloads land in logs), metrics and X-Ray tracing, and a client
 * certificate that HTTP backends can use to verify calls come from API Gateway.
 */
export function secureStageOptions(i: SecureStageInputs): apigateway.StageOptions {
  return {
    stageName: i.stageName,
    throttlingRateLimit: i.throttlingRateLimit,
    throttlingBurstLimit: i.throttlingBurstLimit,
    loggingLevel: apigateway.MethodLoggingLevel.ERROR,
    dataTraceEnabled: false,
    metricsEnabled: true,
    tracingEnabled: true,
    accessLogDestination: new apigateway.LogGroupLogDestination(i.accessLogGroup),
    accessLogFormat: accessLogFormat(),
    clientCertificateId: i.clientCertificateId,
  };
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

function managedGroup(name: string, priority: number): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    overrideAction: { none: {} },
    visibilityConfig: visibility(name),
  };
}

/** Name of the web ACL's rate-based rule. */
export const RATE_LIMIT_RULE_NAME = 'srm-iip-rate-limit-per-ip';

/**
 * The rules of the API's web ACL, in evaluation order: a rate-based rule that
 * blocks a client IP above `rateLimitPer5Minutes` (SRM-IIP-NET-07), the AWS
 * IP reputation list (known bots and scanners, 25 WCU), then the managed
 * common and known-bad-inputs groups (SRM-IIP-APP-02), all blocking. About
 * 930 of the 1,500 WCU a web ACL includes.
 */
export function webAclRules(rateLimitPer5Minutes = DEFAULT_RATE_LIMIT_PER_5_MINUTES): wafv2.CfnWebACL.RuleProperty[] {
  return [
    {
      name: RATE_LIMIT_RULE_NAME,
      priority: 0,
      statement: { rateBasedStatement: { limit: rateLimitPer5Minutes, aggregateKeyType: 'IP' } },
      action: { block: {} },
      visibilityConfig: visibility(RATE_LIMIT_RULE_NAME),
    },
    managedGroup('AWSManagedRulesAmazonIpReputationList', 1),
    ...REQUIRED_MANAGED_RULE_GROUPS.map((g, i) => managedGroup(g, i + 2)),
  ];
}

/**
 * Fields WAF leaves out of its logs: the Authorization header carries the
 * caller's bearer token, which would let anyone reading the logs replay it.
 */
export function wafRedactedFields(): wafv2.CfnLoggingConfiguration.FieldToMatchProperty[] {
  return [{ singleHeader: { Name: 'authorization' } }];
}
