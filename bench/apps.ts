/**
 * Benchmark apps: a realistic mix of the resource types the SRM-IIP rules read,
 * built with CDK L2 constructs (L1 where no L2 exists: IoT), split into stacks
 * of at most 500 resources (CloudFormation's and CDK's per-stack limit).
 */
import { App, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';

/** CloudFormation's (and CDK's) limit of resources per stack. */
export const STACK_LIMIT = 500;

/** CloudFormation resources currently defined under a construct. */
export function countCfnResources(scope: IConstruct): number {
  let n = 0;
  for (const c of scope.node.findAll()) if (CfnResource.isCfnResource(c)) n++;
  return n;
}

/**
 * One "site" of an industrial platform: a VPC (public + isolated subnets,
 * flow logs on every other site), security groups with ingress/egress rules
 * (one site in three opens SSH to the world), a KMS key, two S3 buckets with
 * bucket policies, IAM roles and policies, a Lambda function with its log
 * group, SQS queues, an SNS topic subscribed by a queue, a DynamoDB table, IoT
 * thing/policy/certificate/attachments/topic rule, and an API Gateway REST
 * API with methods. About 60 resources. `i` varies the settings so rules see
 * both compliant and non-compliant resources.
 */
export class Site extends Construct {
  constructor(scope: Construct, id: string, i: number) {
    super(scope, id);
    const odd = i % 2 === 1;

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    if (!odd) vpc.addFlowLog('FlowLog');

    const appSg = new ec2.SecurityGroup(this, 'AppSg', { vpc, allowAllOutbound: false, description: 'application tier' });
    const dbSg = new ec2.SecurityGroup(this, 'DbSg', { vpc, allowAllOutbound: false, description: 'data tier' });
    appSg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(443), 'HTTPS from the plant network');
    if (i % 3 === 0) appSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), 'SSH from anywhere');
    dbSg.addIngressRule(appSg, ec2.Port.tcp(5432), 'PostgreSQL from the app tier'); // AWS::EC2::SecurityGroupIngress
    appSg.addEgressRule(dbSg, ec2.Port.tcp(5432), 'PostgreSQL to the data tier'); // AWS::EC2::SecurityGroupEgress

    const key = new kms.Key(this, 'Key', {
      enableKeyRotation: !odd,
      alias: `alias/bench/${scope.node.id}/${id}`.toLowerCase(),
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const data = new s3.Bucket(this, 'Data', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: !odd,
    });
    const exports = new s3.Bucket(this, 'Exports', { encryption: s3.BucketEncryption.S3_MANAGED });
    exports.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [exports.arnForObjects('*')],
        principals: [odd ? new iam.AnyPrincipal() : new iam.AccountRootPrincipal()],
      }),
    );

    const role = new iam.Role(this, 'EdgeRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: odd ? ['*'] : ['s3:ListBucket'], resources: odd ? ['*'] : [data.bucketArn] }));
    new iam.ManagedPolicy(this, 'ReadTelemetry', {
      roles: [role],
      statements: [new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: ['*'] })],
    });

    const logGroup = new logs.LogGroup(this, 'FnLogs', {
      retention: odd ? logs.RetentionDays.ONE_WEEK : logs.RetentionDays.ONE_YEAR,
      encryptionKey: odd ? undefined : key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const table = new dynamodb.Table(this, 'Telemetry', {
      partitionKey: { name: 'deviceId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'ts', type: dynamodb.AttributeType.NUMBER },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: odd ? dynamodb.TableEncryption.DEFAULT : dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: odd ? undefined : key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: !odd },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const dlq = new sqs.Queue(this, 'Dlq', { encryption: sqs.QueueEncryption.SQS_MANAGED, retentionPeriod: Duration.days(14) });
    const queue = new sqs.Queue(this, 'Ingest', {
      encryption: odd ? sqs.QueueEncryption.UNENCRYPTED : sqs.QueueEncryption.KMS,
      encryptionMasterKey: odd ? undefined : key,
      deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
      enforceSSL: !odd,
    });
    const topic = new sns.Topic(this, 'Alarms', { masterKey: odd ? undefined : key });
    topic.addSubscription(new subs.SqsSubscription(dlq));

    const fn = new lambda.Function(this, 'Ingestor', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify(e) });'),
      logGroup,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [appSg],
      environment: { TABLE: table.tableName, TOPIC: topic.topicArn },
      timeout: Duration.seconds(10),
    });
    queue.grantConsumeMessages(fn);
    table.grantReadWriteData(fn);
    data.grantRead(fn);
    topic.grantPublish(fn);

    // IoT has no L2 in aws-cdk-lib: L1 thing, policy, certificate, attachments and a topic rule.
    const thing = new iot.CfnThing(this, 'Gateway', { thingName: `${scope.node.id}-${id}-gw` });
    const policy = new iot.CfnPolicy(this, 'GatewayPolicy', {
      policyDocument: {
        Version: '2012-10-17',
        Statement: odd
          ? [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }]
          : [
              { Effect: 'Allow', Action: 'iot:Connect', Resource: `arn:aws:iot:*:*:client/\${iot:Connection.Thing.ThingName}` },
              { Effect: 'Allow', Action: 'iot:Publish', Resource: `arn:aws:iot:*:*:topic/plant/\${iot:Connection.Thing.ThingName}/*` },
            ],
      },
    });
    const cert = new iot.CfnCertificate(this, 'GatewayCert', {
      status: 'ACTIVE',
      certificateSigningRequest: '-----BEGIN CERTIFICATE REQUEST-----\nMIIBbench\n-----END CERTIFICATE REQUEST-----',
    });
    new iot.CfnPolicyPrincipalAttachment(this, 'PolicyAttach', { policyName: policy.ref, principal: cert.attrArn });
    new iot.CfnThingPrincipalAttachment(this, 'ThingAttach', { thingName: thing.ref, principal: cert.attrArn });
    const iotRole = new iam.Role(this, 'IotRuleRole', { assumedBy: new iam.ServicePrincipal('iot.amazonaws.com') });
    queue.grantSendMessages(iotRole);
    new iot.CfnTopicRule(this, 'ToQueue', {
      topicRulePayload: {
        sql: "SELECT * FROM 'plant/+/telemetry'",
        actions: [{ sqs: { queueUrl: queue.queueUrl, roleArn: iotRole.roleArn } }],
        ruleDisabled: false,
      },
    });

    const api = new apigw.RestApi(this, 'Api', { cloudWatchRole: false, deployOptions: { stageName: 'prod' } });
    api.root.addMethod('GET', new apigw.MockIntegration({ integrationResponses: [{ statusCode: '200' }], requestTemplates: { 'application/json': '{"statusCode": 200}' } }), {
      methodResponses: [{ statusCode: '200' }],
    });
    const devices = api.root.addResource('devices');
    devices.addMethod('POST', new apigw.LambdaIntegration(fn), { authorizationType: odd ? apigw.AuthorizationType.NONE : apigw.AuthorizationType.IAM });
    devices.addMethod('GET', new apigw.MockIntegration(), { authorizationType: apigw.AuthorizationType.IAM });
  }
}

/** One-resource fillers, cycled to reach an exact resource count. */
function filler(scope: Construct, id: string, i: number): void {
  switch (i % 4) {
    case 0:
      new sqs.Queue(scope, id);
      return;
    case 1:
      new logs.LogGroup(scope, id, { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
      return;
    case 2:
      new sns.Topic(scope, id);
      return;
    default:
      new kms.Key(scope, id, { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
  }
}

export interface BenchApp {
  readonly app: App;
  readonly stacks: number;
  readonly sites: number;
  /** Resources counted in the construct tree while building (before synthesis). */
  readonly plannedResources: number;
}

/**
 * An app of about `target` CloudFormation resources: Sites until the next one
 * would overshoot, then one-resource fillers; a new stack whenever the next
 * Site might push the current one past 500.
 */
export function buildApp(target: number, options: { outdir?: string; stackLimit?: number } = {}): BenchApp {
  const limit = options.stackLimit ?? STACK_LIMIT;
  const app = new App({
    outdir: options.outdir,
    analyticsReporting: false, // no AWS::CDK::Metadata resources: the count is the app's own resources
    context: limit > STACK_LIMIT ? { '@aws-cdk/core:stackResourceLimit': 0 } : undefined,
  });
  let maxSite = 80; // a Site has ~60 resources; replaced by the largest Site seen once one is built
  let seen = 0;
  let total = 0;
  let stackIndex = 0;
  let inStack = 0;
  let stack = new Stack(app, `Bench${stackIndex}`);
  let sites = 0;
  const nextStack = () => {
    stack = new Stack(app, `Bench${++stackIndex}`);
    inStack = 0;
  };
  while (target - total >= maxSite) {
    if (inStack + maxSite > limit) nextStack();
    const site = new Site(stack, `Site${sites}`, sites);
    sites++;
    const n = countCfnResources(site);
    seen = Math.max(seen, n);
    maxSite = seen;
    total += n;
    inStack += n;
  }
  let f = 0;
  while (total < target) {
    if (inStack + 1 > limit) nextStack();
    filler(stack, `Filler${f}`, f);
    f++;
    total++;
    inStack++;
  }
  return { app, stacks: stackIndex + 1, sites, plannedResources: total };
}
