import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'VpcServiceEndpointsPresent';

const VPC = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } };
const SUBNET = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24' } };
const serviceName = (svc: string) => ({ 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${svc}`]] });
const endpoint = (service: unknown, vpcId: unknown = { Ref: 'Vpc' }, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::EC2::VPCEndpoint',
  ...extra,
  // A bare service ('kms') gets CDK's `com.amazonaws.${AWS::Region}.` prefix; a full name is kept literally.
  Properties: { VpcId: vpcId, ServiceName: typeof service === 'string' && !service.includes('amazonaws') ? serviceName(service) : service },
});
const baseline = { S3: endpoint('s3'), Kms: endpoint('kms'), Logs: endpoint('logs') };
/** A subnet whose route table sends 0.0.0.0/0 to an internet gateway. */
const publicSubnet = {
  Public: SUBNET,
  Igw: { Type: 'AWS::EC2::InternetGateway', Properties: {} },
  Rt: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
  Default: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'Rt' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Igw' } } },
  Assoc: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: 'Public' }, RouteTableId: { Ref: 'Rt' } } },
};
const envCondition = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

function addBaseline(scope: Stack, vpc: ec2.IVpc): void {
  new ec2.GatewayVpcEndpoint(scope, 'S3', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3 });
  new ec2.InterfaceVpcEndpoint(scope, 'Kms', { vpc, service: ec2.InterfaceVpcEndpointAwsService.KMS });
  new ec2.InterfaceVpcEndpoint(scope, 'Logs', { vpc, service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS });
}

describe('SRM-IIP-NET-04: a VPC with private workloads reaches S3, KMS, CloudWatch Logs and the used data services through VPC endpoints', () => {
  it('is exported from the package root, with its service-name parser', () => {
    expect(kit.VpcServiceEndpointsPresent.controlId).toBe('SRM-IIP-NET-04');
    expect(kit.endpointServiceOf('com.amazonaws.${AWS::Region}.s3')).toBe('s3');
    expect(kit.endpointServiceOf('com.amazonaws.eu-central-1.ecr.dkr')).toBe('ecr.dkr');
    expect(kit.endpointServiceOf('cn.com.amazonaws.cn-north-1.kms-fips')).toBe('kms');
    expect(kit.endpointServiceOf('${ServiceParam}')).toBeUndefined();
    expect(kit.ENDPOINT_SERVICES_BY_RESOURCE_TYPE['AWS::DynamoDB::Table']).toEqual(['dynamodb']);
  });

  describe('Noncompliance', () => {
    it('1: an L2 VPC with private subnets and no endpoints', () => {
      const stack = new Stack(new App(), 'Network');
      new ec2.Vpc(stack, 'Vpc', { maxAzs: 1 });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-NET-04', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::VPC' });
      expect(fs[0].message).toMatch(/^VPC Vpc\w+ in stack Network has private workloads \(subnet VpcPrivateSubnet1\w+ in stack Network has no route to an internet gateway\) but no AWS::EC2::VPCEndpoint for: s3, kms, logs;/);
    });

    it('2: an L2 VPC with the baseline endpoints but no DynamoDB endpoint while the app has a table', () => {
      const stack = new Stack(new App(), 'Network');
      addBaseline(stack, new ec2.Vpc(stack, 'Vpc', { maxAzs: 1 }));
      new dynamodb.Table(stack, 'Readings', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ kind: 'violation' }]);
      expect(fs[0].message).toMatch(/no AWS::EC2::VPCEndpoint for: dynamodb \(used by AWS::DynamoDB::Table Readings\w+ in stack Network\)/);
    });

    it('3: a Lambda function in a public-only VPC is a private workload', () => {
      const stack = new Stack(new App(), 'Network');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
      new lambda.Function(stack, 'Fn', {
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
        allowPublicSubnet: true,
        code: lambda.Code.fromInline('exports.handler = async () => {}'),
        handler: 'index.handler',
        runtime: lambda.Runtime.NODEJS_20_X,
      });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringMatching(/AWS::Lambda::Function Fn\w+ in stack Network runs in it/) }]);
    });

    it('4: an L1 subnet without a route table association uses the main table, which has no internet route', () => {
      const t = template({ Vpc: VPC, Private: SUBNET, S3: endpoint('s3') });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'Vpc', message: expect.stringContaining('for: kms, logs;') }]);
    });

    it('5: an endpoint whose ServiceName picks another service in one branch of Fn::If', () => {
      const t = template({ Vpc: VPC, Private: SUBNET, ...baseline, S3: endpoint({ 'Fn::If': ['Prod', serviceName('s3'), serviceName('sqs')] }) }, envCondition);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('for: s3;') }]);
    });

    it('6: an endpoint of another VPC does not count', () => {
      const t = template({ Vpc: VPC, Other: VPC, Private: SUBNET, ...baseline, Logs: endpoint('logs', { Ref: 'Other' }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'Vpc', message: expect.stringContaining('for: logs;') }]);
    });

    it('7: an endpoint whose VpcId picks another VPC in one branch of Fn::If', () => {
      const t = template({ Vpc: VPC, Other: VPC, Private: SUBNET, ...baseline, Kms: endpoint('kms', { 'Fn::If': ['Prod', { Ref: 'Vpc' }, { Ref: 'Other' }] }) }, envCondition);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'Vpc', message: expect.stringContaining('for: kms;') }]);
    });

    it('8: ECS images in ECR require the ecr.api and ecr.dkr endpoints', () => {
      const t = template({
        Vpc: VPC,
        Private: SUBNET,
        ...baseline,
        Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Image: { 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/app:1' } }] } },
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('for: ecr.api (used by ECR images of AWS::ECS::TaskDefinition Task in stack Stack0), ecr.dkr') }]);
    });

    it('9: cross-stack: a workload in another stack places itself in a public-only VPC', () => {
      const a = template({ Vpc: VPC, ...publicSubnet }, { Outputs: { Subnet: { Value: { Ref: 'Public' }, Export: { Name: 'net-public' } } } });
      const b = template({
        Fn: { Type: 'AWS::Lambda::Function', Properties: { VpcConfig: { SubnetIds: [{ 'Fn::ImportValue': 'net-public' }], SecurityGroupIds: [] } } },
        Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
      });
      const fs = runOnTemplates([a, b], RULE).findings;
      expect(fs).toMatchObject([{ kind: 'violation', stack: 'Stack0', logicalId: 'Vpc' }]);
      expect(fs[0].message).toContain('AWS::Lambda::Function Fn in stack Stack1 runs in it');
      expect(fs[0].message).toContain('sqs (used by AWS::SQS::Queue Queue in stack Stack1)');
    });
  });

  describe('Compliance', () => {
    it('an L2 VPC with S3, KMS and Logs endpoints', () => {
      const stack = new Stack(new App(), 'Network');
      addBaseline(stack, new ec2.Vpc(stack, 'Vpc', { maxAzs: 1 }));
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an L2 VPC with only public subnets and no workloads has nothing private', () => {
      const stack = new Stack(new App(), 'Network');
      new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('cross-stack L2: the endpoints in another stack than the VPC', () => {
      const app = new App();
      const vpc = new ec2.Vpc(new Stack(app, 'Network'), 'Vpc', { maxAzs: 1 });
      addBaseline(new Stack(app, 'Endpoints'), vpc);
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('cross-stack raw templates with Export/ImportValue', () => {
      const a = template({ Vpc: VPC, Private: SUBNET }, { Outputs: { VpcId: { Value: { Ref: 'Vpc' }, Export: { Name: 'net-vpc' } } } });
      const imported = { 'Fn::ImportValue': 'net-vpc' };
      const b = template({ S3: endpoint('s3', imported), Kms: endpoint('kms-fips', imported), Logs: endpoint('com.amazonaws.eu-central-1.logs', imported) });
      expect(runOnTemplates([a, b], RULE).findings).toEqual([]);
    });

    it('every branch of Fn::If places the endpoint in the VPC', () => {
      const t = template({ Vpc: VPC, Private: SUBNET, ...baseline, Kms: endpoint('kms', { 'Fn::If': ['Prod', { Ref: 'Vpc' }, { 'Fn::GetAtt': ['Vpc', 'VpcId'] }] }) }, envCondition);
      expect(findings(t, RULE)).toEqual([]);
    });

    it('a public subnet (route to an internet gateway) alone needs no endpoints', () => {
      expect(findings(template({ Vpc: VPC, ...publicSubnet }), RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a ServiceName parameter is unverifiable, never passed', () => {
      const t = template({ Vpc: VPC, Private: SUBNET, S3: endpoint('s3'), Logs: endpoint('logs'), Any: endpoint({ Ref: 'Svc' }) }, { Parameters: { Svc: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: 'Vpc', message: expect.stringContaining('kms: endpoint Any in stack Stack0: its ServiceName is') }]);
      expect(findings(t, RULE)[0].message).toContain('parameter Svc');
    });

    it('an endpoint guarded by an unknown condition does not prove it exists', () => {
      const t = template({ Vpc: VPC, Private: SUBNET, ...baseline, Kms: endpoint('kms', { Ref: 'Vpc' }, { Condition: 'Prod' }) }, envCondition);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('kms: endpoint Kms in stack Stack0: it only exists when condition Prod holds') }]);
    });

    it('a route whose gateway is a parameter leaves open whether the VPC has private workloads', () => {
      const t = template({ Vpc: VPC, ...publicSubnet, Default: { ...publicSubnet.Default, Properties: { ...publicSubnet.Default.Properties, GatewayId: { Ref: 'Gw' } } } }, { Parameters: { Gw: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('cannot verify whether VPC Vpc in stack Stack0 has private workloads') }]);
    });

    it('never throws on odd shapes', () => {
      const t = template({
        Vpc: VPC,
        Private: SUBNET,
        A: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: [1], ServiceName: { 'Fn::Join': 'x' } } },
        B: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: 7, GatewayId: null } },
        C: { Type: 'AWS::Lambda::Function', Properties: { VpcConfig: 'nope' } },
        D: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: { 'Fn::If': ['X'] } } },
      });
      const fs = findings(t, RULE);
      expect(fs.length).toBeGreaterThan(0);
      expect(fs.map((f) => f.message).join()).not.toContain('could not read');
    });
  });
});
