import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument, Tags } from 'yaml';

/** A template file that cannot be read or parsed; the CLI reports it with exit code 2. */
export class TemplateInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateInputError';
  }
}

/** Short-form tags and the long form each stands for. */
const SHORT_FORMS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  FindInMap: 'Fn::FindInMap',
  ImportValue: 'Fn::ImportValue',
  If: 'Fn::If',
  Not: 'Fn::Not',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Equals: 'Fn::Equals',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  GetAZs: 'Fn::GetAZs',
  Transform: 'Fn::Transform',
  ToJsonString: 'Fn::ToJsonString',
  Length: 'Fn::Length',
};

function cfnTags(): Tags {
  const tags: Tags = [];
  for (const [short, long] of Object.entries(SHORT_FORMS)) {
    tags.push({
      tag: `!${short}`,
      // `!GetAtt A.B` is the string form CloudFormation documents; keep it, the resolver reads both.
      resolve: (v: string) => ({ [long]: v }),
    });
    for (const collection of ['seq', 'map'] as const) {
      tags.push({
        tag: `!${short}`,
        collection,
        resolve: (node: { toJSON(): unknown }) => ({ [long]: node.toJSON() }) as never,
      });
    }
  }
  return tags;
}

const TAGS = cfnTags();

/** Parse template text: JSON, or YAML with CloudFormation short-form tags. */
export function parseTemplateText(text: string, name = 'template'): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed === '') throw new TemplateInputError(`${name}: the file is empty`);
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed);
    } catch (e) {
      // Fall through to YAML, which also reads JSON with comments or trailing text; report JSON's error if both fail.
      return parseYaml(trimmed, name, firstLine(e));
    }
  }
  return parseYaml(text, name);
}

function parseYaml(text: string, name: string, jsonError?: string): unknown {
  const doc = parseDocument(text, { customTags: TAGS, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos?.[0] ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    throw new TemplateInputError(`${name}: ${jsonError ? `not valid JSON (${jsonError})` : `not valid YAML${where}: ${firstLine(e)}`}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new TemplateInputError(`${name}: not valid YAML: ${firstLine(e)}`);
  }
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0].trim();
}

/** Largest template file read; CloudFormation itself accepts 1 MB (S3: 1 MB too), this leaves room for generated ones. */
const MAX_BYTES = 64 * 1024 * 1024;

/** Read and parse a template file; any problem becomes a one-line TemplateInputError. */
export function loadTemplateFile(path: string): unknown {
  let text: string;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new TemplateInputError(`${path}: is a directory, not a template file`);
    if (st.size > MAX_BYTES) throw new TemplateInputError(`${path}: the file is larger than ${MAX_BYTES / 1024 / 1024} MiB`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof TemplateInputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : firstLine(e);
    throw new TemplateInputError(`${path}: cannot read the file (${why})`);
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.json') {
    try {
      return JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new TemplateInputError(`${path}: not valid JSON (${firstLine(e)})`);
    }
  }
  return parseTemplateText(text, path);
}
