import type { ResourceHandle } from '../engine/model';
import { RuleContext, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, stringOf } from '../engine/values';
import { internetFacingZoneNames, keyOf, nameOf, readZones, refTarget, whyNotInternetFacing, ZoneReading } from './network-model';

/**
 * A route to an internet gateway is allowed only in a route table whose
 * associated subnets are all in an internet-facing zone, and at least one is.
 */
export function internetRouteAllowed(associatedSubnetsInternetFacing: readonly boolean[]): boolean {
  return associatedSubnetsInternetFacing.length > 0 && associatedSubnetsInternetFacing.every((x) => x);
}

/** Whether a literal gateway ID names an internet gateway. */
export function isInternetGatewayId(id: string): boolean {
  return id.startsWith('igw-');
}

interface Association {
  readonly assoc: ResourceHandle;
  readonly subnetAlts: readonly Alt[];
}

function indexAssociations(ctx: RuleContext): { byTable: Map<string, Association[]>; unplaced: Association[] } {
  const byTable = new Map<string, Association[]>();
  const unplaced: Association[] = [];
  for (const a of ctx.app.resourcesOfType('AWS::EC2::SubnetRouteTableAssociation')) {
    if (ctx.resolver.exists(a) === 'never') continue;
    const entry: Association = { assoc: a, subnetAlts: ctx.resolver.get(a, 'SubnetId') };
    for (const t of ctx.resolver.get(a, 'RouteTableId')) {
      const table = refTarget(ctx.app, t, 'AWS::EC2::RouteTable');
      if (!table) {
        if (!unplaced.includes(entry)) unplaced.push(entry);
        continue;
      }
      let l = byTable.get(keyOf(table));
      if (!l) byTable.set(keyOf(table), (l = []));
      l.push(entry);
    }
  }
  return { byTable, unplaced };
}

interface SubnetVerdict {
  readonly label: string;
  readonly internetFacing: boolean;
  readonly why?: string;
  readonly unknown?: string;
}

function subnetVerdicts(ctx: RuleContext, from: ResourceHandle, assoc: Association): SubnetVerdict[] {
  const out: SubnetVerdict[] = [];
  for (const alt of assoc.subnetAlts) {
    const subnet = refTarget(ctx.app, alt, 'AWS::EC2::Subnet');
    if (!subnet) {
      if (alt.kind === 'absent') continue;
      out.push({ label: describe(alt), internetFacing: false, unknown: `subnet ${describe(alt)} of association ${nameOf(assoc.assoc, from)} is not a subnet of the app, so its zone cannot be read` });
      continue;
    }
    for (const z of readZones(subnet, ctx)) {
      const label = `subnet ${nameOf(subnet, from)}`;
      if (z.kind === 'unknown') out.push({ label, internetFacing: false, unknown: `the zone tag of ${label} is ${z.reason}` });
      else out.push({ label, internetFacing: isInternetFacing(z), why: whyNotInternetFacing(z) });
    }
  }
  return out;
}

function isInternetFacing(z: ZoneReading): boolean {
  return z.kind === 'zone' && z.internetFacing;
}

/**
 * SRM-IIP-NET-03: routes to an internet gateway exist only in route tables
 * of the ingress zone. Each `AWS::EC2::Route` whose `GatewayId` is an
 * `AWS::EC2::InternetGateway` (or a literal `igw-…`) must sit in a route
 * table associated (`AWS::EC2::SubnetRouteTableAssociation`) only with
 * subnets of an internet-facing zone; a route table associated with no such
 * subnet is a violation too. Works across stacks.
 */
export const InternetRouteOnlyFromIngress: SrmIipRule = {
  id: 'InternetRouteOnlyFromIngress',
  controlId: 'SRM-IIP-NET-03',
  summary: 'Routes to an internet gateway exist only in route tables of internet-facing-zone subnets',
  resourceTypes: ['AWS::EC2::Route', 'AWS::EC2::SubnetRouteTableAssociation', 'AWS::EC2::Subnet', 'AWS::EC2::InternetGateway'],
  checkApp(ctx) {
    const routes = ctx.app.resourcesOfType('AWS::EC2::Route');
    if (routes.length === 0) return [];
    const { byTable, unplaced } = indexAssociations(ctx);
    const issues: RuleIssue[] = [];
    let anyInternetRoute = false;
    for (const route of routes) {
      if (ctx.resolver.exists(route) === 'never') continue;
      let igw: string | undefined;
      let gatewayUnknown: Alt | undefined;
      for (const g of ctx.resolver.get(route, 'GatewayId')) {
        if (g.kind === 'absent') continue;
        const target = refTarget(ctx.app, g);
        if (target) {
          if (target.type === 'AWS::EC2::InternetGateway') igw ??= `internet gateway ${nameOf(target, route)}`;
          continue;
        }
        const s = g.kind === 'value' ? stringOf(g) : undefined;
        if (s !== undefined) {
          if (isInternetGatewayId(s)) igw ??= `internet gateway '${s}'`;
        } else {
          gatewayUnknown ??= g;
        }
      }
      if (!igw && !gatewayUnknown) continue;
      anyInternetRoute ||= igw !== undefined;

      for (const t of ctx.resolver.get(route, 'RouteTableId')) {
        const table = refTarget(ctx.app, t, 'AWS::EC2::RouteTable');
        if (!table) {
          issues.push({
            resource: route,
            kind: 'unverifiable',
            location: 'RouteTableId',
            message: `cannot verify which subnets use this route${igw ? ` to ${igw}` : ''}: its RouteTableId is ${describe(t)}, not a route table of the app`,
          });
          continue;
        }
        const verdicts = (byTable.get(keyOf(table)) ?? []).flatMap((a) => subnetVerdicts(ctx, route, a));
        const bad = verdicts.filter((v) => !v.unknown && !v.internetFacing);
        const unknowns = verdicts.filter((v) => v.unknown);
        const ok = internetRouteAllowed(verdicts.map((v) => v.internetFacing));
        if (ok) continue;
        if (gatewayUnknown && !igw) {
          issues.push({
            resource: route,
            kind: 'unverifiable',
            location: 'GatewayId',
            message: `cannot verify GatewayId: its value is ${describe(gatewayUnknown)}, which may be an internet gateway, and route table ${nameOf(table, route)} is not shown to serve only internet-facing subnets`,
          });
          continue;
        }
        if (bad.length > 0) {
          issues.push({
            resource: route,
            kind: 'violation',
            location: 'GatewayId',
            message: `route to ${igw} in route table ${nameOf(table, route)} gives a public path to ${bad.map((v) => `${v.label} (${v.why})`).join(', ')}; internet routes belong only to subnets of an internet-facing zone (${internetFacingZoneNames(ctx)})`,
          });
        } else if (unknowns.length > 0) {
          issues.push({ resource: route, kind: 'unverifiable', location: 'RouteTableId', message: `cannot verify the route to ${igw}: ${unknowns[0].unknown}` });
        } else {
          issues.push({
            resource: route,
            kind: 'violation',
            location: 'RouteTableId',
            message: `route to ${igw} is in route table ${nameOf(table, route)}, which is associated with no subnet of an internet-facing zone (${internetFacingZoneNames(ctx)})`,
          });
        }
      }
    }

    // An association whose route table cannot be read may attach a private subnet to an internet route.
    if (anyInternetRoute) {
      for (const a of unplaced) {
        const verdicts = subnetVerdicts(ctx, a.assoc, a);
        if (verdicts.every((v) => v.internetFacing)) continue;
        issues.push({
          resource: a.assoc,
          kind: 'unverifiable',
          location: 'RouteTableId',
          message: `cannot verify the route table of this association (RouteTableId is ${ctx.resolver.get(a.assoc, 'RouteTableId').map(describe).join(' | ')}): the app has routes to internet gateways, and ${verdicts.find((v) => !v.internetFacing)?.label ?? 'its subnet'} is not shown to be in an internet-facing zone`,
        });
      }
    }
    return issues;
  },
};
