import type { AppModel, ResourceHandle } from '../engine/model';
import { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, stringOf, textOf } from '../engine/values';
import { collectResourceRefs } from './VpcDefaultSecurityGroupRestricted';
import { perApp } from '../engine/cache';

/**
 * Endpoint services (the part of a service name after `com.amazonaws.<region>.`)
 * that every VPC with private workloads needs: object storage, keys and logs
 * are used by nearly every workload, directly or through the AWS SDK.
 */
export const BASELINE_ENDPOINT_SERVICES: readonly string[] = ['s3', 'kms', 'logs'];

/**
 * Resource types whose presence in the app means its workloads call a data
 * service, mapped to the endpoint services that service needs.
 * - DynamoDB tables → `dynamodb`; secrets → `secretsmanager`; SSM parameters → `ssm`
 * - queues → `sqs`; topics → `sns`; Kinesis streams → `kinesis-streams`; Firehose → `kinesis-firehose`
 * - IoT things, thing groups and topic rules (the app uses IoT Core) → `iot.data`
 * - ECR repositories → `ecr.api` and `ecr.dkr` (image pulls also use the `s3` baseline)
 * - EKS clusters → `sts` (pods exchange web identity tokens) and `ecr.api`/`ecr.dkr`
 * ECS task definitions whose images live in ECR (`*.dkr.ecr.*`, CDK image assets
 * included) add `ecr.api` and `ecr.dkr` as well.
 */
export const ENDPOINT_SERVICES_BY_RESOURCE_TYPE: Readonly<Record<string, readonly string[]>> = {
  'AWS::DynamoDB::Table': ['dynamodb'],
  'AWS::DynamoDB::GlobalTable': ['dynamodb'],
  'AWS::SecretsManager::Secret': ['secretsmanager'],
  'AWS::SSM::Parameter': ['ssm'],
  'AWS::SQS::Queue': ['sqs'],
  'AWS::SNS::Topic': ['sns'],
  'AWS::Kinesis::Stream': ['kinesis-streams'],
  'AWS::KinesisFirehose::DeliveryStream': ['kinesis-firehose'],
  'AWS::IoT::Thing': ['iot.data'],
  'AWS::IoT::ThingGroup': ['iot.data'],
  'AWS::IoT::TopicRule': ['iot.data'],
  'AWS::ECR::Repository': ['ecr.api', 'ecr.dkr'],
  'AWS::EKS::Cluster': ['sts', 'ecr.api', 'ecr.dkr'],
};

/**
 * The endpoint service of a VPC endpoint service name, from its text:
 * `com.amazonaws.${AWS::Region}.s3` → `s3`, `com.amazonaws.eu-west-1.ecr.dkr` →
 * `ecr.dkr`, `cn.com.amazonaws.cn-north-1.kms-fips` → `kms`. Undefined when the
 * text is not an AWS service name (a parameter, a partner service).
 */
export function endpointServiceOf(serviceName: string): string | undefined {
  const m = /(?:^|\.)amazonaws\.([^.]+)\.(.+)$/.exec(serviceName.trim());
  if (!m) return undefined;
  const svc = m[2].toLowerCase();
  return svc.endsWith('-fips') ? svc.slice(0, -'-fips'.length) : svc;
}

/** A container image that is pulled from Amazon ECR. */
export function isEcrImage(image: string): boolean {
  return /\.dkr\.ecr(-fips)?\./.test(image);
}

/** Where workload types keep their network placement (subnets, security groups, DB subnet groups). */
const PLACEMENT: Readonly<Record<string, readonly string[]>> = {
  'AWS::Lambda::Function': ['VpcConfig'],
  'AWS::EC2::Instance': ['SubnetId', 'NetworkInterfaces', 'SecurityGroupIds'],
  'AWS::ECS::Service': ['NetworkConfiguration'],
  'AWS::RDS::DBInstance': ['DBSubnetGroupName', 'VPCSecurityGroups'],
  'AWS::RDS::DBCluster': ['DBSubnetGroupName', 'VpcSecurityGroupIds'],
  'AWS::AutoScaling::AutoScalingGroup': ['VPCZoneIdentifier'],
  'AWS::EKS::Cluster': ['ResourcesVpcConfig'],
  'AWS::EKS::Nodegroup': ['Subnets'],
};

type Match = 'all' | 'none' | 'unknown';

interface Endpoint {
  readonly resource: ResourceHandle;
  /** VPC keys the VpcId may point at. */
  readonly vpcs: readonly string[];
  /** True when some VpcId alternative is known not to be a VPC of the app (another branch of Fn::If). */
  readonly vpcOther: boolean;
  /** A VpcId alternative that cannot be resolved. */
  readonly vpcUnknown?: Alt;
  /** Service per ServiceName alternative; undefined for one that cannot be read. */
  readonly services: ReadonlyArray<string | undefined>;
  readonly serviceAlts: readonly Alt[];
}

interface Index {
  readonly endpointsByVpc: Map<string, Endpoint[]>;
  /** Endpoints whose VpcId cannot be resolved: they may belong to any VPC. */
  readonly endpointsAnyVpc: Endpoint[];
  /** Required endpoint service → why (undefined for the baseline). */
  readonly required: Map<string, string | undefined>;
  readonly privateSubnets: Map<string, string[]>;
  readonly unknownSubnets: Map<string, string[]>;
  readonly workloads: Map<string, string[]>;
}

const key = (stack: string, logicalId: string) => `${stack}\u0000${logicalId}`;
const where = (r: ResourceHandle) => `${r.logicalId} in stack ${r.stack.name}`;

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** Keys of VPC resources the alternatives point at (Ref or GetAtt VpcId). */
function vpcTargets(app: AppModel, alts: readonly Alt[]): { vpcs: string[]; other: boolean; unknown?: Alt } {
  const vpcs: string[] = [];
  let other = false;
  let unknown: Alt | undefined;
  for (const a of alts) {
    if (a.kind === 'ref' && (a.attribute === undefined || a.attribute === 'VpcId') && app.resource(a.stack, a.logicalId)?.type === 'AWS::EC2::VPC') {
      vpcs.push(key(a.stack, a.logicalId));
    } else if (a.kind === 'unknown') unknown ??= a;
    else other = true;
  }
  return { vpcs, other, unknown };
}

function buildIndex(app: AppModel): Index {
  const live = (types: string[]) => app.resourcesOfType(...types).filter((r) => r.stack.resolver.exists(r) !== 'never');

  // Endpoints.
  const endpointsByVpc = new Map<string, Endpoint[]>();
  const endpointsAnyVpc: Endpoint[] = [];
  for (const ep of live(['AWS::EC2::VPCEndpoint'])) {
    const resolver = ep.stack.resolver;
    const t = vpcTargets(app, resolver.get(ep, 'VpcId'));
    const serviceAlts = resolver.get(ep, 'ServiceName');
    const services = serviceAlts.map((a) => {
      const text = textOf(a);
      return text === undefined ? undefined : endpointServiceOf(text);
    });
    const e: Endpoint = { resource: ep, vpcs: t.vpcs, vpcOther: t.other, vpcUnknown: t.unknown, services, serviceAlts };
    for (const v of new Set(t.vpcs)) push(endpointsByVpc, v, e);
    if (t.unknown && t.vpcs.length === 0 && !t.other) endpointsAnyVpc.push(e);
  }

  // Services the app uses.
  const required = new Map<string, string | undefined>(BASELINE_ENDPOINT_SERVICES.map((s) => [s, undefined]));
  for (const [type, services] of Object.entries(ENDPOINT_SERVICES_BY_RESOURCE_TYPE)) {
    const first = live([type])[0];
    if (first) for (const s of services) if (!required.has(s)) required.set(s, `${type} ${where(first)}`);
  }
  for (const td of live(['AWS::ECS::TaskDefinition'])) {
    const resolver = td.stack.resolver;
    const images = resolver.path(td.stack, resolver.items(td.stack, resolver.get(td, 'ContainerDefinitions')), ['Image']);
    if (images.some((a) => isEcrImage(textOf(a) ?? ''))) {
      for (const s of ['ecr.api', 'ecr.dkr']) if (!required.has(s)) required.set(s, `ECR images of AWS::ECS::TaskDefinition ${where(td)}`);
      break;
    }
  }

  // Subnets, security groups and DB subnet groups → VPC.
  const subnetVpcs = new Map<string, string[]>();
  for (const sn of live(['AWS::EC2::Subnet'])) subnetVpcs.set(key(sn.stack.name, sn.logicalId), vpcTargets(app, sn.stack.resolver.get(sn, 'VpcId')).vpcs);
  const sgVpcs = new Map<string, string[]>();
  for (const sg of live(['AWS::EC2::SecurityGroup'])) sgVpcs.set(key(sg.stack.name, sg.logicalId), vpcTargets(app, sg.stack.resolver.get(sg, 'VpcId')).vpcs);
  const vpcsOfRefs = (stack: ResourceHandle['stack'], node: unknown): string[] => {
    const out: string[] = [];
    for (const { ref } of collectResourceRefs(stack, node)) {
      const k = key(ref.stack, ref.logicalId);
      const target = app.resource(ref.stack, ref.logicalId);
      if (target?.type === 'AWS::EC2::Subnet') out.push(...(subnetVpcs.get(k) ?? []));
      else if (target?.type === 'AWS::EC2::SecurityGroup') out.push(...(sgVpcs.get(k) ?? []));
      else if (target?.type === 'AWS::RDS::DBSubnetGroup') out.push(...vpcsOfRefs(target.stack, target.properties.SubnetIds));
    }
    return out;
  };

  // Route tables with a route to an internet gateway.
  const rtIgw = new Map<string, 'yes' | 'unknown'>();
  for (const route of live(['AWS::EC2::Route'])) {
    const resolver = route.stack.resolver;
    const gws = resolver.get(route, 'GatewayId');
    const isIgw = (a: Alt) =>
      (a.kind === 'ref' && app.resource(a.stack, a.logicalId)?.type === 'AWS::EC2::InternetGateway') || (a.kind === 'value' && (stringOf(a) ?? '').startsWith('igw-'));
    let verdict: 'yes' | 'unknown' | undefined;
    if (gws.every(isIgw) && resolver.exists(route) === 'always') verdict = 'yes';
    else if (gws.some((a) => a.kind === 'unknown')) verdict = 'unknown';
    if (!verdict) continue;
    for (const rt of resolver.get(route, 'RouteTableId')) {
      if (rt.kind !== 'ref') continue;
      const k = key(rt.stack, rt.logicalId);
      if (rtIgw.get(k) !== 'yes') rtIgw.set(k, verdict);
    }
  }
  const subnetRoute = new Map<string, 'public' | 'unknown'>();
  for (const assoc of live(['AWS::EC2::SubnetRouteTableAssociation'])) {
    const resolver = assoc.stack.resolver;
    const rts = resolver.get(assoc, 'RouteTableId');
    const states = rts.map((a) => (a.kind === 'ref' ? rtIgw.get(key(a.stack, a.logicalId)) : a.kind === 'unknown' ? 'unknown' : undefined));
    const state = states.every((s) => s === 'yes') && resolver.exists(assoc) === 'always' ? 'public' : states.some((s) => s !== undefined) ? 'unknown' : undefined;
    if (!state) continue;
    for (const sn of resolver.get(assoc, 'SubnetId')) {
      if (sn.kind !== 'ref') continue;
      const k = key(sn.stack, sn.logicalId);
      if (subnetRoute.get(k) !== 'public') subnetRoute.set(k, state);
    }
  }

  const privateSubnets = new Map<string, string[]>();
  const unknownSubnets = new Map<string, string[]>();
  for (const sn of live(['AWS::EC2::Subnet'])) {
    const state = subnetRoute.get(key(sn.stack.name, sn.logicalId));
    if (state === 'public') continue;
    for (const v of subnetVpcs.get(key(sn.stack.name, sn.logicalId)) ?? []) {
      if (state === 'unknown') push(unknownSubnets, v, `subnet ${where(sn)} (its route to an internet gateway cannot be resolved)`);
      else push(privateSubnets, v, `subnet ${where(sn)} has no route to an internet gateway`);
    }
  }

  const workloads = new Map<string, string[]>();
  for (const [type, roots] of Object.entries(PLACEMENT)) {
    for (const w of live([type])) {
      const node = roots.map((p) => w.properties[p]);
      for (const v of new Set(vpcsOfRefs(w.stack, node))) push(workloads, v, `${type} ${where(w)} runs in it`);
    }
  }

  return { endpointsByVpc, endpointsAnyVpc, required, privateSubnets, unknownSubnets, workloads };
}

const index = perApp(buildIndex);

/** Does the endpoint provide this service to this VPC in every branch? */
function judgeEndpoint(e: Endpoint, vpcKey: string, service: string): { match: Match; reason?: string } {
  // A branch that is known to point elsewhere fails that branch: the endpoint does not count.
  if (e.vpcOther || e.vpcs.some((v) => v !== vpcKey)) return { match: 'none' };
  let reason = e.vpcUnknown ? `its VpcId is ${describe(e.vpcUnknown)}` : undefined;
  for (let i = 0; i < e.services.length; i++) {
    const s = e.services[i];
    if (s === service) continue;
    if (s !== undefined || e.serviceAlts[i].kind === 'value' || e.serviceAlts[i].kind === 'absent') return { match: 'none' };
    reason ??= `its ServiceName is ${describe(e.serviceAlts[i])}`;
  }
  if (e.resource.stack.resolver.exists(e.resource) === 'maybe') return { match: 'unknown', reason: `it only exists when condition ${e.resource.condition} holds` };
  return reason === undefined ? { match: 'all' } : { match: 'unknown', reason };
}

const LIST_MAX = 3;
function list(items: readonly string[]): string {
  return items.length <= LIST_MAX ? items.join('; ') : `${items.slice(0, LIST_MAX).join('; ')}; and ${items.length - LIST_MAX} more`;
}

/**
 * SRM-IIP-NET-04: a VPC with private workloads (a subnet without a route to
 * an internet gateway, or a Lambda function, EC2 instance, ECS service, RDS
 * database, auto-scaling group or EKS cluster placed in it) has a gateway or
 * interface endpoint (`AWS::EC2::VPCEndpoint`) for S3, KMS and CloudWatch
 * Logs, and for each data service the app uses (see
 * `ENDPOINT_SERVICES_BY_RESOURCE_TYPE`). Service use is judged app-wide: the
 * template does not say which VPC's workloads call a service, so every VPC
 * with private workloads needs the endpoint. Endpoints may live in another
 * stack than the VPC.
 */
export const VpcServiceEndpointsPresent: SrmIipRule = {
  id: 'VpcServiceEndpointsPresent',
  controlId: 'SRM-IIP-NET-04',
  summary: 'A VPC with private workloads has VPC endpoints for S3, KMS, CloudWatch Logs and the data services the app uses',
  resourceTypes: ['AWS::EC2::VPC'],
  check(vpc, ctx): RuleIssue[] {
    const idx = index(ctx.app);
    const vpcKey = key(vpc.stack.name, vpc.logicalId);
    const candidates = [...(idx.endpointsByVpc.get(vpcKey) ?? []), ...idx.endpointsAnyVpc];
    const missing: string[] = [];
    const unsure: string[] = [];
    for (const [service, why] of idx.required) {
      let reason: string | undefined;
      let present = false;
      for (const e of candidates) {
        const j = judgeEndpoint(e, vpcKey, service);
        if (j.match === 'all') {
          present = true;
          break;
        }
        if (j.match === 'unknown') reason ??= `endpoint ${where(e.resource)}: ${j.reason}`;
      }
      if (present) continue;
      const name = why ? `${service} (used by ${why})` : service;
      if (reason) unsure.push(`${name}: ${reason}`);
      else missing.push(name);
    }
    if (missing.length === 0 && unsure.length === 0) return [];

    const evidence = [...(idx.privateSubnets.get(vpcKey) ?? []), ...(idx.workloads.get(vpcKey) ?? [])];
    const maybe = idx.unknownSubnets.get(vpcKey) ?? [];
    if (evidence.length === 0 && maybe.length === 0) return [];

    const issues: RuleIssue[] = [];
    if (evidence.length === 0) {
      issues.push({
        resource: vpc,
        kind: 'unverifiable',
        message: `cannot verify whether VPC ${where(vpc)} has private workloads (${list(maybe)}); if it has, it lacks VPC endpoints for: ${[...missing, ...unsure].join(', ')}`,
      });
      return issues;
    }
    if (missing.length > 0) {
      issues.push({
        resource: vpc,
        kind: 'violation',
        message: `VPC ${where(vpc)} has private workloads (${list(evidence)}) but no AWS::EC2::VPCEndpoint for: ${missing.join(', ')}; without them its calls to these services leave through a NAT or internet gateway`,
      });
    }
    if (unsure.length > 0) {
      issues.push({
        resource: vpc,
        kind: 'unverifiable',
        message: `cannot verify that VPC ${where(vpc)} has VPC endpoints for: ${unsure.join('; ')}`,
      });
    }
    return issues;
  },
};
