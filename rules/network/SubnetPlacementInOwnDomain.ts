import type { ResourceHandle } from '../engine/model';
import { RuleIssue, SrmIipRule, violation } from '../engine/rule';
import { Alt, describe, value } from '../engine/values';
import { TAG_ZONE } from '../engine/zones';
import { nameOf, readZones, refTarget, ZoneReading } from './network-model';

/**
 * Where each resource type names the subnets it is placed in. `*` steps into
 * every element of a list (all Fn::If branches).
 */
export const SUBNET_PLACEMENTS: Readonly<Record<string, ReadonlyArray<ReadonlyArray<string>>>> = {
  'AWS::EC2::Instance': [['SubnetId'], ['NetworkInterfaces', '*', 'SubnetId']],
  'AWS::EC2::NetworkInterface': [['SubnetId']],
  'AWS::EC2::NatGateway': [['SubnetId']],
  'AWS::EC2::VPCEndpoint': [['SubnetIds', '*'], ['SubnetConfigurations', '*', 'SubnetId']],
  'AWS::Lambda::Function': [['VpcConfig', 'SubnetIds', '*']],
  'AWS::ECS::Service': [['NetworkConfiguration', 'AwsvpcConfiguration', 'Subnets', '*']],
  'AWS::AutoScaling::AutoScalingGroup': [['VPCZoneIdentifier', '*']],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': [['Subnets', '*'], ['SubnetMappings', '*', 'SubnetId']],
  'AWS::ElasticLoadBalancing::LoadBalancer': [['Subnets', '*']],
  'AWS::RDS::DBSubnetGroup': [['SubnetIds', '*']],
  'AWS::DocDB::DBSubnetGroup': [['SubnetIds', '*']],
  'AWS::Neptune::DBSubnetGroup': [['SubnetIds', '*']],
  'AWS::ElastiCache::SubnetGroup': [['SubnetIds', '*']],
  'AWS::MemoryDB::SubnetGroup': [['SubnetIds', '*']],
  'AWS::Redshift::ClusterSubnetGroup': [['SubnetIds', '*']],
  'AWS::DMS::ReplicationSubnetGroup': [['SubnetIds', '*']],
  'AWS::OpenSearchService::Domain': [['VPCOptions', 'SubnetIds', '*']],
  'AWS::Elasticsearch::Domain': [['VPCOptions', 'SubnetIds', '*']],
  'AWS::EFS::MountTarget': [['SubnetId']],
  'AWS::EKS::Cluster': [['ResourcesVpcConfig', 'SubnetIds', '*']],
  'AWS::EKS::Nodegroup': [['Subnets', '*']],
  'AWS::MSK::Cluster': [['BrokerNodeGroupInfo', 'ClientSubnets', '*']],
  'AWS::CodeBuild::Project': [['VpcConfig', 'Subnets', '*']],
  'AWS::Batch::ComputeEnvironment': [['ComputeResources', 'Subnets', '*']],
};

/**
 * Whether a placement mixes security domains: a resource of one domain in a
 * subnet of another, or (for a resource without a zone) subnets of more
 * than one domain.
 */
export function placementMixesDomains(resourceDomain: string | undefined, subnetDomains: readonly string[]): boolean {
  const all = new Set(subnetDomains);
  if (resourceDomain !== undefined) return [...all].some((d) => d !== resourceDomain);
  return all.size > 1;
}

interface PlacedSubnet {
  readonly location: string;
  readonly alt: Alt;
  readonly subnet?: ResourceHandle;
}

function placedSubnets(r: ResourceHandle): PlacedSubnet[] {
  const resolver = r.stack.resolver;
  const out: PlacedSubnet[] = [];
  for (const path of SUBNET_PLACEMENTS[r.type] ?? []) {
    let cur: Alt[] = [value(r.properties)];
    for (const seg of path) cur = seg === '*' ? resolver.items(r.stack, cur) : resolver.path(r.stack, cur, [seg]);
    const location = path.filter((s) => s !== '*').join('.');
    for (const alt of cur) {
      if (alt.kind === 'absent') continue;
      out.push({ location, alt, subnet: refTarget(r.stack.app, alt, 'AWS::EC2::Subnet') });
    }
  }
  return out;
}

function domainLabel(z: Extract<ZoneReading, { kind: 'zone' }>): string {
  return `zone '${z.name}' (domain ${z.domain})`;
}

/**
 * SRM-IIP-NET-01: zones of different domains never share a subnet. A
 * resource tagged with a zone sits only in subnets whose zone belongs to the
 * same security domain; a resource without a zone tag takes the zone of its
 * subnets, so those must all belong to one domain. Subnets without a zone
 * tag are reported by SubnetHasOneZone.
 */
export const SubnetPlacementInOwnDomain: SrmIipRule = {
  id: 'SubnetPlacementInOwnDomain',
  controlId: 'SRM-IIP-NET-01',
  summary: 'Resources placed in subnets sit only in subnets whose zone belongs to their own security domain',
  resourceTypes: Object.keys(SUBNET_PLACEMENTS),
  check(r, ctx) {
    const placed = placedSubnets(r);
    if (placed.length === 0) return [];
    const issues: RuleIssue[] = [];
    const own = readZones(r, ctx);
    const ownZones = own.filter((z): z is Extract<ZoneReading, { kind: 'zone' }> => z.kind === 'zone');
    for (const z of own) {
      if (z.kind === 'unknown') {
        issues.push({ resource: r, kind: 'unverifiable', location: 'Tags', message: `cannot verify the security domain of this resource: its ${TAG_ZONE} tag is ${z.reason}` });
      } else if (z.kind === 'zone' && !z.declared) {
        issues.push({
          resource: r,
          kind: 'unverifiable',
          location: 'Tags',
          message: `cannot verify the security domain of this resource: its zone '${z.name}' is not in the zone model, so its domain is unknown`,
        });
      }
    }
    const ownDeclared = ownZones.filter((z) => z.declared);

    // Subnet zones, per subnet, with their domains.
    const subnetZones: Array<{ p: PlacedSubnet; zones: Array<Extract<ZoneReading, { kind: 'zone' }>> }> = [];
    const seen = new Set<string>();
    const unresolved: PlacedSubnet[] = [];
    for (const p of placed) {
      if (!p.subnet) {
        if (!unresolved.some((u) => u.location === p.location && describe(u.alt) === describe(p.alt))) unresolved.push(p);
        continue;
      }
      const k = `${p.subnet.stack.name}/${p.subnet.logicalId}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const zones = readZones(p.subnet, ctx).filter((z): z is Extract<ZoneReading, { kind: 'zone' }> => z.kind === 'zone' && z.declared);
      subnetZones.push({ p, zones });
    }

    if (ownDeclared.length > 0) {
      for (const { p, zones } of subnetZones) {
        for (const oz of ownDeclared) {
          const bad = zones.find((sz) => placementMixesDomains(oz.domain, [sz.domain!]));
          if (bad) {
            issues.push(
              violation(
                r,
                `resource in ${domainLabel(oz)} is placed in subnet ${nameOf(p.subnet!, r)} of ${domainLabel(bad)}; zones of different security domains must not share a subnet`,
                p.location,
              ),
            );
            break;
          }
        }
      }
    } else if (own.every((z) => z.kind === 'untagged')) {
      const domains = subnetZones.flatMap(({ zones }) => zones.map((z) => z.domain!));
      if (placementMixesDomains(undefined, domains)) {
        const list = subnetZones
          .filter(({ zones }) => zones.length > 0)
          .map(({ p, zones }) => `${nameOf(p.subnet!, r)} (${zones.map(domainLabel).join(' or ')})`)
          .join(', ');
        issues.push(
          violation(r, `resource without a ${TAG_ZONE} tag is placed in subnets of different security domains: ${list}`, subnetZones[0]?.p.location),
        );
      }
    }

    // A subnet outside the app cannot show its zone; it matters once there is a domain to compare with.
    const anyDomain = ownDeclared.length > 0 || subnetZones.some(({ zones }) => zones.length > 0);
    if (anyDomain) {
      for (const p of unresolved) {
        issues.push({
          resource: r,
          kind: 'unverifiable',
          location: p.location,
          message: `cannot verify the zone of subnet ${describe(p.alt)} in ${p.location}: it is not a subnet defined in the app, so its zone tag cannot be read`,
        });
      }
    }
    return issues;
  },
};
