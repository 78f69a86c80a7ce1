/**
 * The acknowledgement audit: every acknowledgement is a risk accepted by
 * someone, so it must still be needed and must say why. Stale SRM-IIP
 * acknowledgements (covering no finding) and reasons that are too short or
 * generic become findings of their own. Free of CDK so the CLI stays fast.
 *
 * The findings belong to SRM-IIP-MGT-01 (a security management system
 * governs the platform): accepting a risk, and keeping that acceptance
 * justified and current, is a management-system duty, not a property of
 * any resource. MGT-01 is a manual control, so these findings never turn
 * its status to "passed" or "failed": the report keeps it attested or
 * unattested and lists the audit findings beside it.
 */
import { SrmIipError } from '../rules/errors';
import type { StackInput } from '../rules/engine/model';
import type { Finding } from '../rules/engine/run';
import { METADATA_KEY } from '../rules/engine/zones';
import type { AcknowledgementRecord } from './model';

/** Control the audit findings belong to. */
export const ACKNOWLEDGEMENT_AUDIT_CONTROL = 'SRM-IIP-MGT-01';
/** Rule ID of the audit findings. */
export const ACKNOWLEDGEMENT_AUDIT_RULE = 'AcknowledgementAudit';
/** Default minimum length of a reason, in characters (trimmed). */
export const DEFAULT_MIN_REASON_LENGTH = 20;

/** Reasons that say nothing, compared in lower case without punctuation or surrounding spaces. */
export const GENERIC_REASONS: readonly string[] = [
  'n/a', 'na', 'n a', 'none', 'ok', 'okay', 'fine', 'yes', 'no', 'x', 'false positive', 'fp', 'not needed', 'not required', 'not applicable',
  'not relevant', 'irrelevant', 'ignore', 'ignored', 'suppress', 'suppressed', 'accepted', 'accept', 'acknowledged', 'by design', 'as designed',
  'intended', 'intentional', 'known issue', 'wontfix', "won't fix", 'wont fix', 'todo', 'tbd', 'fixme', 'later', 'temporary', 'test', 'testing',
  'reason', 'no reason', 'see above', 'see ticket', 'approved',
];

const GENERIC = new Set(GENERIC_REASONS.map(normalize));

function normalize(reason: string): string {
  return reason.toLowerCase().replace(/[^a-z0-9/' ]+/g, ' ').replace(/\s+/g, ' ').trim();
}

export interface AcknowledgementAuditOptions {
  /** Reasons shorter than this (trimmed, in characters) are reported. 0 turns the check off. @default 20 */
  readonly minReasonLength?: number;
  /** Severity of the audit findings. @default 'warning' */
  readonly severity?: 'error' | 'warning';
}

/** Which pack an acknowledged ID belongs to, by its prefix (`Annotation::` and other namespaces are read through). */
export function packOfRuleId(id: string): string {
  const bare = id.replace(/^[A-Za-z-]+::/, '');
  if (bare.startsWith('SRM-IIP-')) return 'SRM-IIP';
  if (bare.startsWith('AwsSolutions-')) return 'AwsSolutions';
  if (bare.startsWith('NIST.800.53.R5-')) return 'NIST.800.53.R5';
  if (id.includes('::') && !/^annotation::/i.test(id)) return id.slice(0, id.indexOf('::'));
  return 'other';
}

/** SRM-IIP findings an acknowledgement covers: those carrying its ID and scope. */
export function coveredFindings(ack: Pick<AcknowledgementRecord, 'id' | 'scope'>, findings: readonly Finding[]): Finding[] {
  const bare = (s: string) => (s.includes('::') ? s.slice(s.lastIndexOf('::') + 2) : s);
  return findings.filter((f) => f.acknowledgement && bare(f.acknowledgement.id) === bare(ack.id) && f.acknowledgement.scope === ack.scope);
}

/**
 * The acknowledgements as a report lists them, with `covers` filled in for
 * SRM-IIP ones (counted from the findings when the record does not say).
 */
export function listAcknowledgements(acks: readonly AcknowledgementRecord[], findings: readonly Finding[]): AcknowledgementRecord[] {
  return acks.map((a) => (a.pack === 'SRM-IIP' && a.covers === undefined ? { ...a, covers: coveredFindings(a, findings).length } : a));
}

/**
 * The acknowledgements written into templates, as the engine reads them:
 * `Metadata.srm-iip.acknowledgements` and cdk-nag's
 * `Metadata.cdk_nag.rules_to_suppress`, on a resource (scope
 * `stack/logicalId`) or on the template (scope: the stack name). Entries of
 * every pack are listed, with `covers` for SRM-IIP ones; an entry without a
 * reason is listed too (the engine ignores it, so it covers nothing).
 */
export function templateAcknowledgementRecords(stacks: readonly Pick<StackInput, 'name' | 'template'>[], findings: readonly Finding[]): AcknowledgementRecord[] {
  const out: AcknowledgementRecord[] = [];
  const read = (meta: unknown, scope: string) => {
    if (!isRecord(meta)) return;
    const kit = meta[METADATA_KEY];
    const nag = meta.cdk_nag;
    for (const list of [isRecord(kit) ? kit.acknowledgements : undefined, isRecord(nag) ? nag.rules_to_suppress : undefined]) {
      if (!Array.isArray(list)) continue;
      for (const e of list) {
        if (!isRecord(e) || typeof e.id !== 'string') continue;
        out.push({ pack: packOfRuleId(e.id), id: e.id, reason: typeof e.reason === 'string' ? e.reason : '', scope });
      }
    }
  };
  for (const s of stacks) {
    if (!isRecord(s.template)) continue;
    read(s.template.Metadata, s.name);
    const resources = s.template.Resources;
    if (!isRecord(resources)) continue;
    for (const [logicalId, r] of Object.entries(resources)) if (isRecord(r)) read(r.Metadata, `${s.name}/${logicalId}`);
  }
  return listAcknowledgements(out, findings);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Audit acknowledgements: (a) SRM-IIP acknowledgements that cover no finding
 * (stale: the resource was fixed, renamed or removed, or the ID or scope is
 * wrong); (b) reasons, of any pack, that are generic ("n/a", "false
 * positive") or shorter than `minReasonLength`. Returns findings of
 * SRM-IIP-MGT-01, rule AcknowledgementAudit, one per problem.
 */
export function auditAcknowledgements(acks: readonly AcknowledgementRecord[], findings: readonly Finding[], options: AcknowledgementAuditOptions = {}): Finding[] {
  const min = options.minReasonLength ?? DEFAULT_MIN_REASON_LENGTH;
  if (!Number.isInteger(min) || min < 0) throw new SrmIipError(`minReasonLength must be a whole number of characters >= 0, got ${String(options.minReasonLength)}`);
  const severity = options.severity ?? 'warning';
  if (severity !== 'error' && severity !== 'warning') throw new SrmIipError(`acknowledgement audit severity must be error or warning, got '${String(options.severity)}'`);
  const out: Finding[] = [];
  const finding = (a: AcknowledgementRecord, problem: string): Finding => ({
    controlId: ACKNOWLEDGEMENT_AUDIT_CONTROL,
    ruleId: ACKNOWLEDGEMENT_AUDIT_RULE,
    severity,
    kind: 'violation',
    message: `acknowledgement ${a.id} at ${a.scope} ${problem}`,
  });
  for (const a of listAcknowledgements(acks, findings)) {
    const reason = (a.reason ?? '').trim();
    if (a.pack === 'SRM-IIP' && a.covers === 0) {
      out.push(finding(a, `covers no finding (reason: ${JSON.stringify(reason)}); it is stale: remove it, or correct its ID or scope`));
    }
    if (reason !== '' && GENERIC.has(normalize(reason))) {
      out.push(finding(a, `gives a generic reason (${JSON.stringify(reason)}); say why the finding does not apply here or what compensates for it`));
    } else if (reason.length < min) {
      out.push(finding(a, `gives a reason of ${reason.length} character(s) (${JSON.stringify(reason)}), shorter than the minimum of ${min}; say why the finding does not apply here or what compensates for it`));
    }
  }
  return out;
}
