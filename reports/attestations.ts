/**
 * Attestations: the evidence a person vouches for where templates cannot
 * show a control holds (manual and inherited controls, and the runtime part
 * of partial controls). Read from `srm-iip.attestations.yaml`:
 *
 * ```yaml
 * attestations:
 *   - control: SRM-IIP-PHY-01          # or `controlId` (the report's spelling); not both
 *     owner: Cloud platform team
 *     evidence: AWS Artifact SOC 2 Type II report 2025
 *     date: 2026-03-01                 # YYYY-MM-DD, when it was attested
 *     expires: 2027-03-01              # YYYY-MM-DD, not before `date`
 * ```
 *
 * Every field is required; any other field is an error (a misspelled
 * `expiry` would otherwise go unnoticed). Entries are numbered from 1 in
 * error messages, in file order. Free of CDK so the CLI stays fast.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { controlById } from '../rules/catalog/controls';
import { Verification } from '../rules/catalog/types';
import { SrmIipError } from '../rules/errors';
import type { AttestationRecord } from './model';

/** The attestations file the main job reads from the repository root. */
export const ATTESTATIONS_FILE = 'srm-iip.attestations.yaml';

/** Verification kinds that take an attestation; `automated` controls are shown by templates alone. */
export const ATTESTABLE_VERIFICATIONS: readonly string[] = [Verification.MANUAL, Verification.INHERITED, Verification.PARTIAL];

const FIELDS = ['control', 'owner', 'evidence', 'date', 'expires'] as const;
const ALLOWED_FIELDS = [...FIELDS, 'controlId'];

/** A bad attestations file: the message names the file, the entry (number and control) and what is wrong. */
export class AttestationError extends SrmIipError {
  /** File (or name) the attestations came from. */
  public readonly source: string;
  /** Entry number, from 1, in file order; undefined when the file as a whole is wrong. */
  public readonly entry?: number;
  /** Control ID the entry names, when it names one. */
  public readonly controlId?: string;

  constructor(source: string, problem: string, entry?: number, controlId?: string) {
    super(`${source}: ${entry === undefined ? '' : `entry ${entry} (${controlId ?? 'no control'}): `}${problem}`);
    this.name = 'AttestationError';
    this.source = source;
    this.entry = entry;
    this.controlId = controlId;
    Object.setPrototypeOf(this, AttestationError.prototype);
  }
}

/** Read and validate an attestations file. Throws AttestationError naming the file and the entry. */
export function loadAttestations(path: string): AttestationRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AttestationError(path, code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? (e as Error).message})`);
  }
  return parseAttestations(text, path);
}

/**
 * Parse and validate the text of an attestations file. YAML 1.2 (the yaml
 * package's default): unquoted dates stay strings, so an impossible date such
 * as 2026-02-30 is caught rather than rolled over to 2026-03-02.
 */
export function parseAttestations(text: string, source: string = ATTESTATIONS_FILE): AttestationRecord[] {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new AttestationError(source, `not valid YAML: ${oneLine((e as Error).message)}`);
  }
  return attestationsFromData(data, source);
}

/**
 * Validate attestations already parsed (from JSON, or YAML read with a
 * schema that turns dates into Date objects: both work, and the records
 * carry ISO date strings).
 */
export function attestationsFromData(data: unknown, source: string = ATTESTATIONS_FILE): AttestationRecord[] {
  if (!isObject(data) || !('attestations' in data)) {
    throw new AttestationError(source, "expected a mapping with an 'attestations' list, such as: attestations: [ { control: SRM-IIP-PHY-01, owner: ..., evidence: ..., date: 2026-03-01, expires: 2027-03-01 } ]");
  }
  const extra = Object.keys(data).filter((k) => k !== 'attestations');
  if (extra.length > 0) throw new AttestationError(source, `unknown top-level field ${extra.map((k) => `'${k}'`).join(', ')}; the file holds only 'attestations'`);
  const list = data.attestations;
  if (list === null) return [];
  if (!Array.isArray(list)) throw new AttestationError(source, `'attestations' must be a list, got ${describe(list)}`);
  const seen = new Map<string, number>();
  return list.map((raw, i) => {
    const n = i + 1;
    if (!isObject(raw)) throw new AttestationError(source, `expected a mapping with ${FIELDS.join(', ')}, got ${describe(raw)}`, n);
    const named = raw.control ?? raw.controlId;
    const id = typeof named === 'string' ? named.trim() : undefined;
    const fail = (problem: string): never => {
      throw new AttestationError(source, problem, n, id);
    };
    if (raw.control !== undefined && raw.controlId !== undefined) fail("gives both 'control' and 'controlId'; use one");
    const unknown = Object.keys(raw).filter((k) => !ALLOWED_FIELDS.includes(k));
    if (unknown.length > 0) fail(`unknown field ${unknown.map((k) => `'${k}'`).join(', ')}; allowed: ${FIELDS.join(', ')}`);
    if (named === undefined || named === null || id === '') fail("missing field 'control'");
    if (id === undefined) fail(`'control' must be a control ID such as SRM-IIP-PHY-01, got ${describe(named)}`);
    const control = controlById(id!);
    if (!control) fail('unknown control ID; expected an ID of the catalog, such as SRM-IIP-PHY-01');
    if (!ATTESTABLE_VERIFICATIONS.includes(control!.verification)) {
      fail(`control is checked from templates (verification '${control!.verification}'); only manual, inherited and partial controls take attestations`);
    }
    const text = (field: 'owner' | 'evidence'): string => {
      const v = raw[field];
      if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) fail(`missing field '${field}'`);
      if (typeof v !== 'string') fail(`'${field}' must be text, got ${describe(v)}`);
      return (v as string).trim();
    };
    const owner = text('owner');
    const evidence = text('evidence');
    const date = isoDate(raw.date, 'date', fail);
    const expires = isoDate(raw.expires, 'expires', fail);
    if (expires < date) fail(`expires (${expires}) is before date (${date})`);
    const first = seen.get(id!);
    if (first !== undefined) fail(`duplicate control; entry ${first} already attests it`);
    seen.set(id!, n);
    return { controlId: id!, owner, evidence, date, expires };
  });
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD string or a Date at UTC midnight, as an ISO date string; anything else fails. */
function isoDate(v: unknown, field: 'date' | 'expires', fail: (problem: string) => never): string {
  if (v === undefined || v === null || v === '') return fail(`missing field '${field}'`);
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return fail(`'${field}' is not a valid date`);
    const iso = v.toISOString();
    if (!iso.endsWith('T00:00:00.000Z')) return fail(`'${field}' must be a date (YYYY-MM-DD), got the timestamp ${iso}`);
    return iso.slice(0, 10);
  }
  const s = typeof v === 'string' ? v.trim() : undefined;
  const m = s === undefined ? null : ISO_DATE.exec(s);
  if (!m) return fail(`'${field}' must be a date YYYY-MM-DD, got ${describe(v)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return fail(`'${field}' ${s} is not a date of the calendar`);
  return s!;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function describe(v: unknown): string {
  if (v === null) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v}'`;
  return `${typeof v} ${String(v)}`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n[\s\S]*$/, '').trim().replace(/:$/, '');
}
