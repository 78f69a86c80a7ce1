/**
 * The one model every report format renders (JSON, SARIF, JUnit, Markdown,
 * HTML): controls with their status, findings, acknowledgements and
 * attestations. Built from a check result; free of CDK so the CLI stays fast.
 */
import { CONTROLS } from '../rules/catalog/controls';
import { Control, Verification } from '../rules/catalog/types';
import type { CheckResult, ControlStatusValue, Finding } from '../rules/engine/run';
import { isBlocking } from '../rules/engine/run';
import { KIT_VERSION } from '../rules/version';

export const MAPPING_NOTE = "Controls are the kit's own, mapped to clause titles of ISO/IEC 24392:2023 and cross-walked to IEC 62443-3-3; this is not a conformance claim.";

/** Status of a control in a report. Attestation-based controls are never "passed". */
export type ReportStatus =
  | 'passed'
  | 'failed'
  | 'acknowledged'
  | 'not-applicable'
  | 'excluded'
  | 'attested'
  | 'unattested'
  | 'attestation-expired';

/** An attestation of a manual, inherited or partial control (validated before it gets here). */
export interface AttestationRecord {
  readonly controlId: string;
  readonly owner: string;
  /** Where the evidence is: a document ID, a URL, a ticket. */
  readonly evidence: string;
  /** ISO date (YYYY-MM-DD) the attestation was made. */
  readonly date: string;
  /** ISO date (YYYY-MM-DD) it expires. */
  readonly expires: string;
}

/** An acknowledgement as a report lists it. */
export interface AcknowledgementRecord {
  /** The pack whose finding it acknowledges (SRM-IIP, AwsSolutions, NIST.800.53.R5, …). */
  readonly pack: string;
  readonly id: string;
  readonly reason: string;
  /** Construct path, `stack/logicalId`, or a stack name. */
  readonly scope: string;
  /** SRM-IIP findings it covers (peer packs: unknown, undefined). */
  readonly covers?: number;
}

export interface ReportControl {
  readonly control: Control;
  readonly status: ReportStatus;
  /** For partial controls: the status of the part checked from templates. */
  readonly automatedStatus?: ControlStatusValue;
  readonly findings: readonly Finding[];
  readonly attestation?: AttestationRecord;
}

export interface ReportSource {
  /** What was checked: raw templates, a cloud assembly, or an app synthesized for the check. */
  readonly kind: 'template' | 'cdk-out' | 'app';
  /** Template files, the assembly directory, or the app command. */
  readonly paths: readonly string[];
}

export interface ReportModel {
  readonly tool: { readonly name: string; readonly version: string };
  readonly mapping: string;
  readonly source: ReportSource;
  /** When the report was made (ISO timestamp); also the date attestations are judged against. */
  readonly generatedAt: string;
  readonly resourceCount: number;
  /** The stacks (templates) checked. */
  readonly stacks: readonly string[];
  readonly controls: readonly ReportControl[];
  readonly findings: readonly Finding[];
  readonly acknowledgements: readonly AcknowledgementRecord[];
  readonly summary: ReportSummary;
}

export interface ReportSummary {
  readonly errors: number;
  readonly warnings: number;
  readonly acknowledged: number;
  readonly unverifiable: number;
  readonly controls: { readonly [status: string]: number };
  /** No unacknowledged error. */
  readonly passed: boolean;
}

export interface ReportModelInput {
  readonly result: CheckResult;
  readonly source: ReportSource;
  readonly acknowledgements?: readonly AcknowledgementRecord[];
  readonly attestations?: readonly AttestationRecord[];
  /** The date attestations are judged against. @default - now */
  readonly now?: Date;
}

const ATTESTED: ReadonlySet<string> = new Set([Verification.MANUAL, Verification.INHERITED]);

/** The status of an attestation-based control part on a date. */
export function attestationStatus(a: AttestationRecord | undefined, now: Date): 'attested' | 'unattested' | 'attestation-expired' {
  if (!a) return 'unattested';
  return a.expires < now.toISOString().slice(0, 10) ? 'attestation-expired' : 'attested';
}

/** Build the report model from a check result, acknowledgements and attestations. */
export function buildReportModel(input: ReportModelInput): ReportModel {
  const now = input.now ?? new Date();
  const byControl = new Map<string, Finding[]>();
  for (const f of input.result.findings) {
    let l = byControl.get(f.controlId);
    if (!l) byControl.set(f.controlId, (l = []));
    l.push(f);
  }
  const attestations = new Map((input.attestations ?? []).map((a) => [a.controlId, a]));
  const statuses = new Map(input.result.controls.map((c) => [c.controlId, c.status]));
  const controls: ReportControl[] = CONTROLS.map((control) => {
    const automated = statuses.get(control.id) ?? 'not-applicable';
    const attestation = attestations.get(control.id);
    const findings = byControl.get(control.id) ?? [];
    let status: ReportStatus;
    if (automated === 'excluded') status = 'excluded';
    else if (ATTESTED.has(control.verification)) status = attestationStatus(attestation, now);
    else if (control.verification === Verification.PARTIAL) status = automated === 'failed' ? 'failed' : attestationStatus(attestation, now);
    else status = automated === 'manual' ? 'unattested' : automated;
    return { control, status, automatedStatus: control.verification === Verification.PARTIAL ? automated : undefined, findings, attestation };
  });
  const open = input.result.findings.filter((f) => !f.acknowledgement);
  const counts: Record<string, number> = {};
  for (const c of controls) counts[c.status] = (counts[c.status] ?? 0) + 1;
  return {
    tool: { name: 'srm-iip-kit', version: KIT_VERSION },
    mapping: MAPPING_NOTE,
    source: input.source,
    generatedAt: now.toISOString(),
    resourceCount: input.result.resourceCount,
    stacks: input.result.stacks ?? [...new Set(input.result.findings.flatMap((f) => (f.stack ? [f.stack] : [])))],
    controls,
    findings: input.result.findings,
    acknowledgements: input.acknowledgements ?? [],
    summary: {
      errors: open.filter((f) => f.severity === 'error').length,
      warnings: open.filter((f) => f.severity === 'warning').length,
      acknowledged: input.result.findings.length - open.length,
      unverifiable: open.filter((f) => f.kind === 'unverifiable').length,
      controls: counts,
      passed: !input.result.findings.some(isBlocking),
    },
  };
}
