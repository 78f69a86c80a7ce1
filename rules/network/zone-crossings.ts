/**
 * SRM-IIP-NET-06 logic shared by the security-group and NACL rules: given
 * the zones on both sides of a rule and the traffic it allows, find the
 * crossings no conduit covers.
 */
import type { AppModel, ResourceHandle } from '../engine/model';
import type { RuleContext, RuleIssue } from '../engine/rule';
import { Alt, describe, stringOf } from '../engine/values';
import { TAG_ZONE } from '../engine/zones';
import {
  cidrAlternatives,
  crossingAllowed,
  describeTraffic,
  isAnywhereCidr,
  isReplyTraffic,
  nameOf,
  normalizeIpProtocol,
  parseCidr,
  readZones,
  replyAllowed,
  subnetsReachedBy,
  Traffic,
  ZoneReading,
} from './network-model';

/** One side of a rule: a security group or a subnet, with one zone alternative. */
export interface Endpoint {
  readonly label: string;
  readonly zone: ZoneReading;
  /** Resource key, so a rule between a group and itself is not a crossing. */
  readonly key?: string;
}

/** Where traffic comes from and goes to, for one pair of endpoints. */
export interface Crossing {
  readonly from: Endpoint;
  readonly to: Endpoint;
}

/**
 * Zones reached by the CIDR fields of a rule: subnets of the given VPC
 * whose address space overlaps the block. `0.0.0.0/0` and `::/0` are the
 * internet, not a zone (ingress from it is SRM-IIP-NET-02's concern, egress
 * to it SRM-IIP-NET-03's), so they cross no zone boundary here.
 */
export function cidrEndpoints(app: AppModel, ctx: RuleContext, from: ResourceHandle, alts: readonly Alt[], field: string, vpc: string | undefined): Endpoint[] {
  const out: Endpoint[] = [];
  for (const a of cidrAlternatives(from.stack, alts)) {
    if (a.kind === 'absent') continue;
    const text = a.kind === 'value' ? stringOf(a) : undefined;
    const cidr = text !== undefined ? parseCidr(text) : undefined;
    if (!cidr) {
      out.push({ label: `${field} ${describe(a)}`, zone: { kind: 'unknown', reason: `${field} is ${describe(a)}, so the subnets it reaches cannot be known` } });
      continue;
    }
    if (isAnywhereCidr(text!)) continue;
    const { reached, maybe } = subnetsReachedBy(app, cidr, vpc);
    for (const s of reached) {
      for (const zone of readZones(s.subnet, ctx)) out.push({ label: `subnet ${nameOf(s.subnet, from)} (via ${field} ${text})`, zone });
    }
    for (const s of maybe) {
      out.push({
        label: `subnet ${nameOf(s.subnet, from)}`,
        zone: { kind: 'unknown', reason: `the CIDR block of subnet ${nameOf(s.subnet, from)} cannot be read (${s.cidrUnknown}), so whether ${field} ${text} reaches it is unknown` },
      });
    }
  }
  return out;
}

function conduitText(ctx: RuleContext, from: string, to: string): string {
  if (!ctx.zones.declared) {
    return 'the app declares no zone model, so no conduits exist; declare one in template Metadata srm-iip.zoneModel.conduits';
  }
  const between = ctx.zones.conduits.filter((c) => c.from === from && c.to === to);
  if (between.length === 0) return `the zone model declares no conduit from '${from}' to '${to}'`;
  return `conduits ${from}→${to} allow only ${between.map((c) => describeTraffic({ protocol: normalizeIpProtocol(c.protocol), fromPort: c.fromPort, toPort: c.toPort })).join(', ')}`;
}

/**
 * Judge the crossings of one rule: one violation per zone pair and traffic
 * no conduit covers; one "unclassified" violation listing the sides without
 * a zone tag; one unverifiable issue for a side whose zone, or traffic,
 * cannot be read. A rule between a resource and itself is no crossing.
 * With `acceptReplies` (stateless NACL entries), reply-shaped traffic from
 * Y into Z is also covered by a conduit Z → Y (see `replyAllowed`).
 */
export function judgeCrossings(
  ctx: RuleContext,
  holder: ResourceHandle,
  location: string | undefined,
  what: string,
  crossings: readonly Crossing[],
  traffic: readonly Traffic[],
  unresolvedTraffic: { location: string; alt: Alt } | undefined,
  acceptReplies = false,
): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const seen = new Set<string>();
  const push = (key: string, issue: RuleIssue) => {
    if (seen.has(key)) return;
    seen.add(key);
    issues.push(issue);
  };
  const unclassified: Crossing[] = [];
  let unknownSide: Endpoint | undefined;
  for (const { from, to } of crossings) {
    if (from.key !== undefined && from.key === to.key) continue;
    if (from.zone.kind === 'unknown' || to.zone.kind === 'unknown') {
      unknownSide ??= from.zone.kind === 'unknown' ? from : to;
      continue;
    }
    if (from.zone.kind === 'untagged' || to.zone.kind === 'untagged') {
      unclassified.push({ from, to });
      continue;
    }
    const fz = from.zone.name;
    const tz = to.zone.name;
    if (fz === tz) continue;
    if (unresolvedTraffic) {
      push(`t|${fz}|${tz}`, {
        resource: holder,
        kind: 'unverifiable',
        location,
        message: `cannot verify that ${what} from zone '${fz}' to zone '${tz}' matches a conduit: ${unresolvedTraffic.location} is ${describe(unresolvedTraffic.alt)}`,
      });
    }
    for (const t of traffic) {
      if (crossingAllowed(ctx.zones.conduits, fz, tz, t)) continue;
      if (acceptReplies && replyAllowed(ctx.zones.conduits, fz, tz, t)) continue;
      push(`v|${fz}|${tz}|${describeTraffic(t)}`, {
        resource: holder,
        kind: 'violation',
        location,
        message: `${what} lets zone '${fz}' (${from.label}) reach zone '${tz}' (${to.label}) on ${describeTraffic(t)}, but no declared conduit covers it: ${conduitText(ctx, fz, tz)}${acceptReplies && isReplyTraffic(t) ? `; as return traffic it would need a conduit '${tz}'→'${fz}' for ${t.protocol}, and none is declared` : ''}`,
      });
    }
  }
  if (unclassified.length > 0) {
    const sides = [...new Set(unclassified.flatMap((c) => [c.from, c.to]).filter((e) => e.zone.kind === 'untagged').map((e) => e.label))];
    const { from, to } = unclassified[0];
    issues.push({
      resource: holder,
      kind: 'violation',
      location,
      message: `${what} connects ${from.label} to ${to.label}${unclassified.length > 1 ? ` (and ${unclassified.length - 1} more pairs)` : ''}, but ${sides.join(', ')} ${sides.length > 1 ? 'have' : 'has'} no ${TAG_ZONE} tag (unclassified), so whether the rule crosses a zone boundary cannot be decided`,
    });
  }
  if (unknownSide && unknownSide.zone.kind === 'unknown') {
    issues.push({
      resource: holder,
      kind: 'unverifiable',
      location,
      message: `cannot verify that ${what} stays within a zone or uses a conduit: ${unknownSide.zone.reason}`,
    });
  }
  return issues;
}
