import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SrmIipError } from '../../rules/errors';

/**
 * Prop validation shared by the constructs. Every check skips unresolved
 * tokens (they are known only at deploy time) and fails with one SrmIipError
 * naming the prop, the bad value and what is allowed.
 */
function fail(scope: IConstruct, message: string): never {
  throw new SrmIipError(message, scope.node.path);
}

export function validateRange(scope: IConstruct, name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) fail(scope, `${name} must be a whole number ${min}..${max}, got ${value}`);
}

export function validateMin(scope: IConstruct, name: string, value: number | undefined, min: number, why = ''): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isFinite(value) || value < min) fail(scope, `${name} must be at least ${min}${why ? ` (${why})` : ''}, got ${value}`);
}

export function validateLevel(scope: IConstruct, name: string, value: number | undefined, levels?: number): void {
  validateRange(scope, name, value, 1, levels ?? 16);
}

export function validateNonEmpty(scope: IConstruct, name: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (value.trim() === '') fail(scope, `${name} must not be empty, got '${value}'`);
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
export function validateRegions(scope: IConstruct, name: string, regions: readonly string[] | undefined): void {
  for (const r of regions ?? []) {
    if (Token.isUnresolved(r)) continue;
    if (!REGION.test(r)) fail(scope, `${name}: '${r}' is not an AWS region name; expected names such as eu-central-1 or us-gov-west-1`);
  }
}

/** `allowedRegions` (SRM-IIP-MGT-03): AWS region names, at least one when given. */
export function validateAllowedRegions(scope: IConstruct, allowedRegions: readonly string[] | undefined): void {
  validateRegions(scope, 'allowedRegions', allowedRegions);
  if (allowedRegions !== undefined && allowedRegions.length === 0) fail(scope, 'allowedRegions must name at least one region, got []');
}

/**
 * Checks `allowedRegions` and returns the regions data may be copied to: the list, else the
 * stack's own region; undefined when the stack has no region and the list is not set.
 */
export function resolveAllowedRegions(scope: IConstruct, allowedRegions: readonly string[] | undefined): readonly string[] | undefined {
  validateAllowedRegions(scope, allowedRegions);
  const ownRegion = Stack.of(scope).region;
  return allowedRegions ?? (Token.isUnresolved(ownRegion) ? undefined : [ownRegion]);
}

/** The allowed regions as an error names them: `allowedRegions: a, b`, noting when they are the stack's own region by default. */
export function allowedRegionsText(allowed: readonly string[], allowedRegions: readonly string[] | undefined): string {
  return `allowedRegions: ${allowed.join(', ')}${allowedRegions === undefined ? ' (the stack region, as allowedRegions is not set)' : ''}`;
}

const ACCOUNT = /^\d{12}$/;
export function validateAccountIds(scope: IConstruct, name: string, accounts: readonly string[] | undefined): void {
  const seen = new Set<string>();
  for (const a of accounts ?? []) {
    if (Token.isUnresolved(a)) continue;
    if (!ACCOUNT.test(a)) fail(scope, `${name}: '${a}' is not an AWS account ID; expected 12 digits`);
    if (seen.has(a)) fail(scope, `${name}: account '${a}' is listed twice`);
    seen.add(a);
  }
}

/** Parse an IPv4 CIDR; undefined when malformed. */
export function parseCidr(cidr: string): { network: number; prefix: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const ip = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((ip & mask) >>> 0 !== ip) return undefined;
  return { network: ip, prefix };
}

export function validateCidr(scope: IConstruct, name: string, cidr: string | undefined, minPrefix = 16, maxPrefix = 28): void {
  if (cidr === undefined || Token.isUnresolved(cidr)) return;
  const c = parseCidr(cidr);
  if (!c) fail(scope, `${name} must be an IPv4 CIDR block with its host bits zero (e.g. 10.0.0.0/16), got '${cidr}'`);
  if (c.prefix < minPrefix || c.prefix > maxPrefix) fail(scope, `${name} must have a prefix length /${minPrefix}../${maxPrefix}, got '${cidr}'`);
}

/** Whether two parsed CIDRs overlap. */
export function cidrsOverlap(a: { network: number; prefix: number }, b: { network: number; prefix: number }): boolean {
  const p = Math.min(a.prefix, b.prefix);
  const mask = p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0;
  return ((a.network & mask) >>> 0) === ((b.network & mask) >>> 0);
}
