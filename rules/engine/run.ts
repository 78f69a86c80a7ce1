import { CONTROLS, controlById } from '../catalog/controls';
import { Control, Severity, Verification } from '../catalog/types';
import { SrmIipError } from '../errors';
import { AppModel, ResourceHandle } from './model';
import { RuleContext, RuleIssue, RuleSettings, SrmIipRule } from './rule';
import { METADATA_KEY, ZoneModel } from './zones';
import { isPlainObject } from './values';

/** Options of a check run, shared by the cdk-nag pack, `checkTemplate` and the CLI. */
export interface CheckOptions {
  /** Only controls of these security domains. @default - all domains */
  readonly domains?: string[];
  /** Only controls of these life-cycle stages. @default - all stages */
  readonly stages?: string[];
  /** Only controls that matter for these business scenarios (controls for all scenarios always count). @default - all scenarios */
  readonly scenarios?: string[];
  /** Severity per control ID: `error`, `warning` or `off`. @default - the catalog's severity */
  readonly severityOverrides?: { readonly [controlId: string]: string };
  /** Regions data may live in (SRM-IIP-MGT-03). @default - no region list: MGT-03 reports that none is configured */
  readonly allowedRegions?: string[];
  /** Minimum log retention in days (SRM-IIP-OPS-02). @default 365 */
  readonly logRetentionDays?: number;
  /** Number of classification levels, 1 = lowest (SRM-IIP-SYS-06, PHY-03). @default - the highest `srm-iip:level` tag found */
  readonly classificationLevels?: number;
  /**
   * Controls of your own next to the SRM-IIP catalog, with IDs of your own prefix (`ACME-QA-01`):
   * rules that name them run, their findings and statuses are reported, and `severityOverrides`
   * may name them. Without this, a rule whose control is not in the catalog does not run.
   * @default - the SRM-IIP catalog only
   */
  readonly controls?: Control[];
}

/** One finding: a rule's issue, tied to its control. */
export interface Finding {
  readonly controlId: string;
  readonly ruleId: string;
  readonly severity: 'error' | 'warning';
  /** `violation`: the control is broken; `unverifiable`: a value could not be resolved, so it cannot be shown to hold. */
  readonly kind: 'violation' | 'unverifiable';
  readonly message: string;
  readonly stack?: string;
  readonly templatePath?: string;
  readonly logicalId?: string;
  readonly resourceType?: string;
  readonly constructPath?: string;
  /** Property path inside the resource. */
  readonly location?: string;
  /** Set when an acknowledgement covers the finding. */
  readonly acknowledgement?: AcknowledgementMatch;
}

/** An acknowledgement that covers a finding. */
export interface AcknowledgementMatch {
  /** The ID as written: a control ID, or `controlId[ruleId]`. */
  readonly id: string;
  readonly reason: string;
  /** Where it was made: a construct path, `stack/logicalId`, or a stack name. */
  readonly scope: string;
  /** The ID exactly as the source stored it (CDK: `Annotation::SRM-IIP-NET-05`). @default - same as id */
  readonly key?: string;
}

export type ControlStatusValue = 'passed' | 'failed' | 'acknowledged' | 'not-applicable' | 'manual' | 'excluded';

export interface ControlStatus {
  readonly controlId: string;
  readonly status: ControlStatusValue;
  readonly verification: string;
  /** Findings counted: unacknowledged and acknowledged. */
  readonly findings: number;
  readonly acknowledged: number;
}

export interface CheckResult {
  readonly findings: Finding[];
  readonly controls: ControlStatus[];
  /** Rules that ran, in order. */
  readonly rules: string[];
  readonly resourceCount: number;
  /** Names of the stacks (templates) checked. */
  readonly stacks?: string[];
}

/** Finds the acknowledgement covering a finding, if any. */
export type AcknowledgementLookup = (f: Finding) => AcknowledgementMatch | undefined;

const SEVERITIES = ['error', 'warning', 'off'];
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** Validate options; bad input fails with one clear message naming the option, the value and what is allowed. */
export function resolveSettings(options: CheckOptions = {}): RuleSettings {
  const { DOMAINS, STAGES, SCENARIOS } = vocabularies();
  checkList('domains', options.domains, DOMAINS);
  checkList('stages', options.stages, STAGES);
  checkList('scenarios', options.scenarios, SCENARIOS);
  const extra = new Set<string>();
  for (const c of options.controls ?? []) {
    if (typeof c?.id !== 'string' || c.id.trim() === '') throw new SrmIipError(`controls: every control needs an ID such as ACME-QA-01, got ${JSON.stringify(c?.id)}`);
    if (controlById(c.id)) throw new SrmIipError(`controls: '${c.id}' is a control of the SRM-IIP catalog; your own controls need IDs with your own prefix, such as ACME-QA-01`);
    if (extra.has(c.id)) throw new SrmIipError(`controls: '${c.id}' is listed twice`);
    if (!SEVERITIES.slice(0, 2).includes(c.severity)) throw new SrmIipError(`controls: '${c.id}' has severity '${String(c.severity)}'; allowed: error, warning`);
    extra.add(c.id);
  }
  for (const [id, sev] of Object.entries(options.severityOverrides ?? {})) {
    if (!controlById(id) && !extra.has(id)) throw new SrmIipError(`severityOverrides: unknown control ID '${id}'; expected an ID of the catalog such as SRM-IIP-NET-05, or of options.controls`);
    if (!SEVERITIES.includes(sev)) throw new SrmIipError(`severityOverrides[${id}] must be one of ${SEVERITIES.join(', ')}, got '${sev}'`);
  }
  for (const r of options.allowedRegions ?? []) {
    if (typeof r !== 'string' || !REGION.test(r)) {
      throw new SrmIipError(`allowedRegions: '${String(r)}' is not an AWS region name; expected names such as eu-central-1 or us-gov-west-1`);
    }
  }
  const days = options.logRetentionDays ?? 365;
  if (!Number.isInteger(days) || days < 1) throw new SrmIipError(`logRetentionDays must be a whole number of days >= 1, got ${String(options.logRetentionDays)}`);
  const levels = options.classificationLevels;
  if (levels !== undefined && (!Number.isInteger(levels) || levels < 1 || levels > 16)) {
    throw new SrmIipError(`classificationLevels must be a whole number 1..16, got ${String(levels)}`);
  }
  return { allowedRegions: [...(options.allowedRegions ?? [])], logRetentionDays: days, classificationLevels: levels };
}

function vocabularies() {
  const all = (k: 'domains' | 'stages' | 'scenarios') => [...new Set(CONTROLS.flatMap((c) => c[k] as string[]))].sort();
  return { DOMAINS: ['edge', 'cloud-infrastructure', 'platform', 'application'], STAGES: ['development-production', 'utilization-support', 'retirement'], SCENARIOS: all('scenarios') };
}

function checkList(name: string, values: readonly string[] | undefined, allowed: readonly string[]) {
  for (const v of values ?? []) {
    if (!allowed.includes(v)) throw new SrmIipError(`${name}: unknown value '${String(v)}'; allowed: ${allowed.join(', ')}`);
  }
}

/** Whether the options select a control (domain, stage and scenario filters, and not switched off). */
export function controlSelected(c: Control, options: CheckOptions): boolean {
  const hit = (want: readonly string[] | undefined, have: readonly string[]) => !want || want.length === 0 || have.some((h) => want.includes(h));
  if (!hit(options.domains, c.domains)) return false;
  if (!hit(options.stages, c.stages)) return false;
  if (options.scenarios && options.scenarios.length > 0 && c.scenarios.length > 0 && !c.scenarios.some((s) => options.scenarios!.includes(s))) return false;
  return options.severityOverrides?.[c.id] !== 'off';
}

/**
 * Run rules over an app model. Never throws on template content: a rule
 * that fails on an odd property shape yields an "unverifiable" finding for
 * that resource, never a pass.
 */
export function runRules(app: AppModel, rules: readonly SrmIipRule[], options: CheckOptions = {}, acknowledge?: AcknowledgementLookup): CheckResult {
  const settings = resolveSettings(options);
  const ctx: RuleContext = { app, resolver: app.resolver, settings, zones: ZoneModel.of(app) };
  const lookup = controlLookup(options);
  const selected = rules.filter((r) => {
    const c = lookup(r.controlId);
    return c !== undefined && controlSelected(c, options);
  });

  const byType = new Map<string, SrmIipRule[]>();
  for (const rule of selected) {
    if (!rule.check) continue;
    for (const t of rule.resourceTypes) {
      let l = byType.get(t);
      if (!l) byType.set(t, (l = []));
      l.push(rule);
    }
  }

  const raw: Array<{ rule: SrmIipRule; issue: RuleIssue }> = [];
  const applicable = new Set<string>();
  let resourceCount = 0;
  for (const stack of app.stacks) {
    for (const r of stack.resources.values()) {
      resourceCount++;
      const rs = byType.get(r.type);
      if (!rs || app.resolver.exists(r) === 'never') continue;
      for (const rule of rs) {
        applicable.add(rule.controlId);
        let issues: RuleIssue[];
        try {
          issues = rule.check!(r, ctx);
        } catch (e) {
          issues = [ruleFailure(rule, r, e)];
        }
        if (!Array.isArray(issues)) continue;
        for (const issue of issues) raw.push({ rule, issue });
      }
    }
  }
  for (const rule of selected) {
    if (!rule.checkApp) continue;
    const issues = guard(rule, undefined, () => rule.checkApp!(ctx));
    // An app rule applies when it found something, reads no particular type, or the app has what it reads.
    if (issues.length > 0 || rule.resourceTypes.length === 0 || rule.resourceTypes.some((t) => app.resourcesOfType(t).length > 0)) applicable.add(rule.controlId);
    for (const issue of issues) raw.push({ rule, issue });
  }

  const ackLookup = composeLookups(templateAcknowledgements(app), acknowledge);
  const findings = raw.map(({ rule, issue }) => {
    const f = toFinding(lookup(rule.controlId)!, rule, issue, options);
    const ack = ackLookup(f);
    return ack ? { ...f, acknowledgement: ack } : f;
  });

  return { findings, controls: controlStatuses(findings, applicable, options), rules: selected.map((r) => r.id), resourceCount, stacks: app.stacks.map((s) => s.name) };
}

function guard(rule: SrmIipRule, r: ResourceHandle | undefined, fn: () => RuleIssue[]): RuleIssue[] {
  try {
    const out = fn();
    return Array.isArray(out) ? out : [];
  } catch (e) {
    return [ruleFailure(rule, r, e)];
  }
}

/** The issue for a rule that threw: the resource (or app) cannot be verified, never a pass. */
function ruleFailure(rule: SrmIipRule, r: ResourceHandle | undefined, e: unknown): RuleIssue {
  const msg = e instanceof Error ? e.message : String(e);
  return { resource: r, kind: 'unverifiable', message: `cannot verify: rule ${rule.id} could not read this ${r ? 'resource' : 'app'} (${msg})` };
}

/** Finds a control of the catalog or of `options.controls`. */
export function controlLookup(options: CheckOptions = {}): (id: string) => Control | undefined {
  const extra = options.controls ?? [];
  return (id) => controlById(id) ?? extra.find((c) => c.id === id);
}

function toFinding(control: Control, rule: SrmIipRule, issue: RuleIssue, options: CheckOptions): Finding {
  const override = options.severityOverrides?.[control.id];
  const severity = (override === 'error' || override === 'warning' ? override : control.severity) as 'error' | 'warning';
  const r = issue.resource;
  const stack = r?.stack ?? issue.stack;
  return {
    controlId: control.id,
    ruleId: rule.id,
    severity,
    kind: issue.kind,
    message: issue.message,
    stack: stack?.name,
    templatePath: stack?.templatePath,
    logicalId: r?.logicalId,
    resourceType: r?.type,
    constructPath: r?.constructPath,
    location: issue.location,
  };
}

function controlStatuses(findings: readonly Finding[], applicable: ReadonlySet<string>, options: CheckOptions): ControlStatus[] {
  const counts = new Map<string, { all: number; acked: number }>();
  for (const f of findings) {
    let c = counts.get(f.controlId);
    if (!c) counts.set(f.controlId, (c = { all: 0, acked: 0 }));
    c.all++;
    if (f.acknowledgement) c.acked++;
  }
  return [...CONTROLS, ...(options.controls ?? [])].map((c) => {
    const all = counts.get(c.id)?.all ?? 0;
    const acked = counts.get(c.id)?.acked ?? 0;
    let status: ControlStatusValue;
    if (!controlSelected(c, options)) status = 'excluded';
    else if (c.verification === Verification.MANUAL || c.verification === Verification.INHERITED) status = 'manual';
    else if (all > acked) status = 'failed';
    else if (all > 0) status = 'acknowledged';
    else if (applicable.has(c.id)) status = 'passed';
    else status = 'not-applicable';
    return { controlId: c.id, status, verification: c.verification, findings: all, acknowledged: acked };
  });
}

/** Does an acknowledgement ID cover a finding? Accepts `ID`, `ID[ruleId]` and a `Namespace::` prefix. */
export function acknowledgementCovers(ackId: string, f: Pick<Finding, 'controlId' | 'ruleId'>): boolean {
  const id = ackId.includes('::') ? ackId.slice(ackId.lastIndexOf('::') + 2) : ackId;
  return id === f.controlId || id === `${f.controlId}[${f.ruleId}]`;
}

function composeLookups(...lookups: Array<AcknowledgementLookup | undefined>): AcknowledgementLookup {
  return (f) => {
    for (const l of lookups) {
      const m = l?.(f);
      if (m) return m;
    }
    return undefined;
  };
}

/**
 * Acknowledgements written into templates: `Metadata.srm-iip.acknowledgements`
 * on a resource (covers it) or on the template (covers the whole stack and
 * app-level findings), and cdk-nag's `cdk_nag.rules_to_suppress` entries
 * that name SRM-IIP IDs. Entries without a reason are ignored: an
 * acknowledgement must say why.
 */
export function templateAcknowledgements(app: AppModel): AcknowledgementLookup {
  const read = (meta: Record<string, unknown>): Array<{ id: string; reason: string }> => {
    const out: Array<{ id: string; reason: string }> = [];
    const kit = meta[METADATA_KEY];
    const lists = [isPlainObject(kit) ? kit.acknowledgements : undefined, isPlainObject(meta.cdk_nag) ? meta.cdk_nag.rules_to_suppress : undefined];
    for (const list of lists) {
      if (!Array.isArray(list)) continue;
      for (const e of list) {
        if (isPlainObject(e) && typeof e.id === 'string' && typeof e.reason === 'string' && e.reason.trim() !== '') out.push({ id: e.id, reason: e.reason });
      }
    }
    return out;
  };
  const stackAcks = new Map(app.stacks.map((s) => [s.name, read(s.metadata)]));
  const anyStackAcks = [...stackAcks.values()].some((l) => l.length > 0);
  // Read each resource's acknowledgements once: a resource often has several findings.
  const resourceAcks = new Map<ResourceHandle, Array<{ id: string; reason: string }>>();
  const none: Array<{ id: string; reason: string }> = [];
  const acksOf = (r: ResourceHandle) => {
    if (r.metadata[METADATA_KEY] === undefined && r.metadata.cdk_nag === undefined) return none;
    let l = resourceAcks.get(r);
    if (!l) resourceAcks.set(r, (l = read(r.metadata)));
    return l;
  };
  return (f) => {
    if (f.stack && f.logicalId) {
      const r = app.resource(f.stack, f.logicalId);
      if (r) {
        const hit = acksOf(r).find((a) => acknowledgementCovers(a.id, f));
        if (hit) return { id: hit.id, reason: hit.reason, scope: `${f.stack}/${f.logicalId}` };
      }
    }
    if (!anyStackAcks) return undefined;
    const stacks = f.stack ? [f.stack] : [...stackAcks.keys()];
    for (const s of stacks) {
      const hit = stackAcks.get(s)?.find((a) => acknowledgementCovers(a.id, f));
      if (hit) return { id: hit.id, reason: hit.reason, scope: s };
    }
    return undefined;
  };
}

/** True when a finding makes a run fail: an unacknowledged error. */
export function isBlocking(f: Finding): boolean {
  return f.severity === Severity.ERROR && !f.acknowledgement;
}
