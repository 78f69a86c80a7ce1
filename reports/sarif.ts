/**
 * SARIF 2.1.0 rendering of a report model, for code-scanning tools (GitHub
 * code scanning, Azure DevOps, IDE viewers). One rule per catalog control;
 * one result per finding; acknowledged findings carry a suppression.
 * Free of CDK; reads template files only to find line numbers (best effort).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLAUSES } from '../rules/catalog/controls';
import type { Control } from '../rules/catalog/types';
import type { Finding } from '../rules/engine/run';
import { controlAnchor } from '../rules/catalog/anchors';
import type { ReportModel } from './model';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions {
  /**
   * Where CONTROLS.md is published, e.g. `https://github.com/acme/platform/blob/main/CONTROLS.md`.
   * An absolute URL becomes each rule's `helpUri` (`<url>#<anchor>`); the SARIF schema requires
   * `helpUri` to be an absolute URI, so without one the link appears only in `help.markdown`.
   * @default 'CONTROLS.md' (relative: linked from help.markdown only)
   */
  readonly controlsDocUrl?: string;
  /**
   * Directory URIs are made relative to. @default process.cwd()
   */
  readonly baseDir?: string;
}

/** Render a report model as a SARIF 2.1.0 log (JSON text). */
export function renderSarif(model: ReportModel, options: SarifOptions = {}): string {
  const doc = options.controlsDocUrl ?? 'CONTROLS.md';
  const absoluteDoc = /^[a-z][a-z0-9+.-]*:/i.test(doc);
  const baseDir = options.baseDir ?? process.cwd();

  const rules: Record<string, unknown>[] = model.controls.map(({ control }) => rule(control, doc, absoluteDoc));
  const ruleIndex = new Map(model.controls.map((c, i) => [c.control.id, i]));
  // Findings of controls outside the catalog (options.controls) still get a rule, after the catalog's.
  for (const f of model.findings) {
    if (ruleIndex.has(f.controlId)) continue;
    ruleIndex.set(f.controlId, rules.length);
    rules.push({ id: f.controlId, name: f.controlId, shortDescription: { text: f.controlId }, defaultConfiguration: { level: f.severity }, properties: { tags: ['security'] } });
  }

  const lines = new LineFinder();
  const results = model.findings.map((f) => result(f, ruleIndex.get(f.controlId)!, baseDir, lines));

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: model.tool.name,
            version: model.tool.version,
            semanticVersion: model.tool.version,
            rules,
          },
        },
        invocations: [
          {
            // The check ran to the end; whether it passed is in properties.passed and the results.
            executionSuccessful: true,
            endTimeUtc: model.generatedAt,
            properties: { passed: model.summary.passed },
          },
        ],
        results,
        properties: {
          mapping: model.mapping,
          source: { kind: model.source.kind, paths: [...model.source.paths] },
          resourceCount: model.resourceCount,
          summary: model.summary,
          controls: Object.fromEntries(model.controls.map((c) => [c.control.id, c.status])),
        },
      },
    ],
  };
  return `${JSON.stringify(log, undefined, 2)}\n`;
}

/** SARIF's `name` is an identifier: the title in PascalCase ("Keys rotate" → "KeysRotate"). */
function ruleName(title: string): string {
  return title
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

function rule(c: Control, doc: string, absoluteDoc: boolean): Record<string, unknown> {
  const link = `${doc}#${controlAnchor(c)}`;
  const clause = `${c.clause} ${CLAUSES[c.clause] ?? ''}`.trim();
  return {
    id: c.id,
    name: ruleName(c.title),
    shortDescription: { text: c.title },
    fullDescription: { text: c.objective },
    help: {
      text: `${c.check}\n\nSee ${link}`,
      markdown: `**What is checked:** ${c.check}\n\nClause: ${clause} · verification: ${c.verification}\n\n[${c.id} in CONTROLS.md](${link})`,
    },
    ...(absoluteDoc ? { helpUri: link } : {}),
    defaultConfiguration: { level: c.severity },
    properties: {
      clause: c.clause,
      domains: [...c.domains],
      stages: [...c.stages],
      verification: c.verification,
      iec62443: [...c.iec62443],
      tags: ['security', 'srm-iip', ...c.domains],
    },
  };
}

function result(f: Finding, index: number, baseDir: string, lines: LineFinder): Record<string, unknown> {
  const location: Record<string, unknown> = {};
  if (f.templatePath) {
    const line = f.logicalId ? lines.find(f.templatePath, f.logicalId) : undefined;
    location.physicalLocation = {
      artifactLocation: { uri: artifactUri(f.templatePath, baseDir) },
      ...(line ? { region: { startLine: line } } : {}),
    };
  }
  if (f.logicalId) {
    location.logicalLocations = [{ name: f.logicalId, kind: 'resource', fullyQualifiedName: f.stack ? `${f.stack}/${f.logicalId}` : f.logicalId }];
  } else if (f.stack) {
    location.logicalLocations = [{ name: f.stack, kind: 'module', fullyQualifiedName: f.stack }];
  }
  return {
    ruleId: f.controlId,
    ruleIndex: index,
    level: f.severity,
    message: { text: f.message },
    locations: Object.keys(location).length > 0 ? [location] : [],
    partialFingerprints: { 'srmIipFinding/v1': fingerprint(f) },
    ...(f.acknowledgement
      ? { suppressions: [{ kind: 'external', status: 'accepted', justification: f.acknowledgement.reason, properties: { id: f.acknowledgement.id, scope: f.acknowledgement.scope } }] }
      : {}),
    properties: {
      kind: f.kind,
      ruleId: f.ruleId,
      ...(f.stack ? { stack: f.stack } : {}),
      ...(f.resourceType ? { resourceType: f.resourceType } : {}),
      ...(f.constructPath ? { constructPath: f.constructPath } : {}),
      ...(f.location ? { propertyPath: f.location } : {}),
    },
  };
}

/** Stable across runs and line moves: what was found where, not on which line. */
function fingerprint(f: Finding): string {
  return createHash('sha256')
    .update([f.controlId, f.ruleId, f.stack ?? '', f.logicalId ?? '', f.location ?? '', f.message].join('\0'))
    .digest('hex')
    .slice(0, 32);
}

/** A relative URI (forward slashes, percent-encoded) when the file is under baseDir, else a file: URI. */
function artifactUri(path: string, baseDir: string): string {
  const rel = isAbsolute(path) ? relative(baseDir, path) : path;
  if (isAbsolute(rel) || rel.startsWith('..')) return pathToFileURL(path).href;
  return rel.split(sep).join('/').split('/').map(encodeURIComponent).join('/');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Finds the line of a logical ID under `Resources` in a JSON or YAML template file; reads and indexes each file once. */
class LineFinder {
  private readonly files = new Map<string, FileIndex | undefined>();

  find(path: string, logicalId: string): number | undefined {
    if (!this.files.has(path)) this.files.set(path, indexFile(path));
    const f = this.files.get(path);
    if (!f) return undefined;
    const direct = f.resourceLines.get(logicalId);
    if (direct !== undefined) return direct;
    // Not a key at the resource level (e.g. a one-line JSON template): the first match after Resources.
    const id = escapeRegExp(logicalId);
    const sameLine = new RegExp(`["']?Resources["']?\\s*:\\s*\\{?\\s*["']?${id}["']?\\s*:`);
    if (sameLine.test(f.lines[f.start])) return f.start + 1;
    const key = new RegExp(`(^|[{,\\s])["']?${id}["']?\\s*:`);
    for (let i = f.start + 1; i < f.lines.length; i++) if (key.test(f.lines[i])) return i + 1;
    return undefined;
  }
}

interface FileIndex {
  readonly lines: readonly string[];
  /** Index of the `Resources:` line. */
  readonly start: number;
  /** 1-based line of every key at the resource level under Resources. */
  readonly resourceLines: ReadonlyMap<string, number>;
}

function indexFile(path: string): FileIndex | undefined {
  let lines: string[];
  try {
    if (!existsSync(path)) return undefined;
    lines = readFileSync(path, 'utf8').split(/\r?\n/);
  } catch {
    return undefined;
  }
  const start = lines.findIndex((l) => /^\s*["']?Resources["']?\s*:/.test(l));
  if (start < 0) return undefined;
  // The resource level is the indentation of the first line under Resources.
  const first = lines.findIndex((l, i) => i > start && l.trim() !== '' && !l.trim().startsWith('#'));
  const indent = first >= 0 ? /^\s*/.exec(lines[first])![0].length : -1;
  const resourceLines = new Map<string, number>();
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*/.exec(l)![0].length !== indent) continue;
    const m = /^\s*["']?([^"':\s]+)["']?\s*:/.exec(l);
    if (m && !resourceLines.has(m[1])) resourceLines.set(m[1], i + 1);
  }
  return { lines, start, resourceLines };
}
