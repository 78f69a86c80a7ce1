import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CfnResource, Stack, Stage, Token, Validations } from 'aws-cdk-lib';
import { IConstruct, MetadataEntry } from 'constructs';
import type { StackInput } from '../engine/model';
import { acknowledgementCovers, AcknowledgementLookup } from '../engine/run';

/** Every stack in a construct tree, nested stacks included, parents first. */
export function stacksIn(scope: IConstruct): Stack[] {
  return readTree(scope).stacks;
}

/** What the checker needs from a construct tree, gathered in one walk. */
export interface TreeScan {
  /** Every stack, nested stacks included, parents first. */
  readonly stacks: Stack[];
  /** The CloudFormation resources of each stack (a nested stack's resources belong to the nested stack). */
  readonly resources: ReadonlyMap<Stack, CfnResource[]>;
  /** Acknowledgements recorded with `Validations.of(construct).acknowledge(...)`, by construct path. */
  readonly acknowledgements: Map<string, RecordedAcknowledgement[]>;
}

/** Walk the tree once (pre-order, as `node.findAll()`): stacks, their resources and the acknowledgements. */
export function readTree(scope: IConstruct): TreeScan {
  const stacks: Stack[] = [];
  const resources = new Map<Stack, CfnResource[]>();
  const acknowledgements = new Map<string, RecordedAcknowledgement[]>();
  const visit = (c: IConstruct): void => {
    if (Stack.isStack(c)) stacks.push(c);
    else if (CfnResource.isCfnResource(c)) {
      let l = resources.get(c.stack);
      if (!l) resources.set(c.stack, (l = []));
      l.push(c);
    }
    const metadata = c.node.metadata;
    if (metadata.length > 0) recordAcknowledgements(c, metadata, acknowledgements);
    for (const child of c.node.children) visit(child);
  };
  visit(scope);
  return { stacks, resources, acknowledgements };
}

/**
 * The templates of every stack under `scope`, with the construct path of each
 * resource so findings point at constructs. Where the app has been
 * synthesized, the templates are read from the cloud assembly (exactly what
 * will be deployed, aspects such as tags applied); otherwise they are
 * rendered from the construct tree as synthesis would.
 *
 * @param templatePaths template files CDK's validation context names, when called from `validate`
 * @param tree the scan of `scope`, when the caller already has it
 */
export function stackInputsFromTree(scope: IConstruct, templatePaths: readonly string[] = [], tree: TreeScan = readTree(scope)): StackInput[] {
  const byFile = new Map(templatePaths.map((p) => [basename(p), p]));
  const outdir = templatePaths.length > 0 ? dirname(templatePaths[0]) : synthesizedOutdir(scope);
  // Read the template texts first, and take the construct paths from the tree (which hashes every logical ID)
  // where a template has no aws:cdk:path metadata, before any template is parsed: young parsed templates are
  // copied by every garbage collection the hashing would trigger.
  const files = tree.stacks.map((stack) => {
    const onDisk = byFile.get(stack.templateFile) ?? (outdir ? join(outdir, stack.templateFile) : undefined);
    const text = onDisk ? readText(onDisk) : undefined;
    const treePaths = text !== undefined && !text.includes('"aws:cdk:path"') ? treeConstructPaths(stack, tree.resources.get(stack) ?? []) : undefined;
    return { stack, onDisk, text, treePaths };
  });
  return files.map(({ stack, onDisk, text, treePaths }) => {
    const fromDisk = text !== undefined ? parseTemplate(text) : undefined;
    const template = fromDisk ?? (stack as unknown as { _toCloudFormation(): Record<string, unknown> })._toCloudFormation();
    return {
      name: stack.node.path,
      // CDK omits Resources for a stack that has none; for the checker that is an empty stack, not a bad template.
      template: { Resources: {}, ...template },
      templatePath: fromDisk ? onDisk : undefined,
      region: Token.isUnresolved(stack.region) ? undefined : stack.region,
      account: Token.isUnresolved(stack.account) ? undefined : stack.account,
      constructPath: stack.node.path,
      constructPaths: constructPathsOf(template, () => treePaths ?? treeConstructPaths(stack, tree.resources.get(stack) ?? [])),
    };
  });
}

/** The output directory of the scope's stage, when that stage has been synthesized in this process. */
function synthesizedOutdir(scope: IConstruct): string | undefined {
  const root = scope.node.root;
  const stage = Stage.isStage(scope) ? scope : Stage.of(scope) ?? (Stage.isStage(root) ? root : undefined);
  // Stage caches its assembly after synth(); without it, files in outdir may be from an earlier run.
  const assembly = stage ? (stage as unknown as { assembly?: { directory: string } }).assembly : undefined;
  return assembly?.directory;
}

/** The text of a template file; undefined when there is none (not synthesized there) or it cannot be read: it is rendered instead. */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parseTemplate(text: string): Record<string, unknown> | undefined {
  try {
    const t = JSON.parse(text);
    return t && typeof t === 'object' && !Array.isArray(t) ? t : undefined;
  } catch {
    return undefined;
  }
}

/** Construct path per logical ID: from `aws:cdk:path` metadata where synthesis wrote it, else from the tree. */
function constructPathsOf(template: Record<string, unknown>, fromTree: () => ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const templateResources = (template.Resources ?? {}) as Record<string, { Metadata?: Record<string, unknown> }>;
  let missing = false;
  for (const id in templateResources) {
    const p = templateResources[id]?.Metadata?.['aws:cdk:path'];
    if (typeof p === 'string') out.set(id, p);
    else missing = true;
  }
  if (!missing) return out;
  for (const [id, p] of fromTree()) out.set(id, p);
  return out;
}

/** Construct path per logical ID of the stack's resources, from the tree. */
function treeConstructPaths(stack: Stack, resources: readonly CfnResource[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of resources) out.set(logicalIdOf(stack, c), c.node.path);
  return out;
}

/**
 * The logical ID synthesis gives a resource. `_synthesizeLogicalId` is what
 * the `logicalId` token produces (an override, else the stack's allocation
 * with renames applied), without a pass through the token resolver; the
 * token is resolved where that method is missing or returns a token.
 */
function logicalIdOf(stack: Stack, c: CfnResource): string {
  const synth = (c as unknown as { _synthesizeLogicalId?: () => unknown })._synthesizeLogicalId;
  const id = typeof synth === 'function' ? synth.call(c) : undefined;
  return typeof id === 'string' && !Token.isUnresolved(id) ? id : stack.resolve(c.logicalId);
}

/** One acknowledgement recorded with `Validations.of(construct).acknowledge(...)`. */
export interface RecordedAcknowledgement {
  /** The ID as CDK stored it, e.g. `Annotation::SRM-IIP-NET-05`. */
  readonly key: string;
  readonly reason: string;
  /** Construct path where it was made ('' for the app). */
  readonly scope: string;
}

/** All acknowledgements in the tree, by construct path. */
export function recordedAcknowledgements(root: IConstruct): Map<string, RecordedAcknowledgement[]> {
  return readTree(root).acknowledgements;
}

function recordAcknowledgements(c: IConstruct, metadata: readonly MetadataEntry[], out: Map<string, RecordedAcknowledgement[]>): void {
  for (const entry of metadata) {
    if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data || typeof entry.data !== 'object') continue;
    for (const [key, reason] of Object.entries(entry.data as Record<string, unknown>)) {
      const list = out.get(c.node.path) ?? [];
      list.push({ key, reason: typeof reason === 'string' ? reason : String(reason), scope: c.node.path });
      out.set(c.node.path, list);
    }
  }
}

/**
 * Match findings to the closest acknowledgement on the construct path or its
 * ancestors, as CDK itself does. A finding without a construct path (an
 * app-level finding) is covered by an acknowledgement on its stack or the app.
 */
export function treeAcknowledgements(root: IConstruct, acks: Map<string, RecordedAcknowledgement[]>): AcknowledgementLookup {
  // The control IDs the acknowledgements can cover: most recorded ones are other tools' (CloudFormation-Validate::W3010).
  const controlIds = new Set<string>();
  for (const list of acks.values()) for (const a of list) for (const id of coverableControlIds(a.key)) controlIds.add(id);
  if (controlIds.size === 0) return () => undefined;
  const rootPath = root.node.path;
  // The acknowledgements on a path and on its ancestors, closest first; worked out once per path.
  const chains = new Map<string, RecordedAcknowledgement[][]>();
  const chainOf = (path: string): RecordedAcknowledgement[][] => {
    let chain = chains.get(path);
    if (chain) return chain;
    let parent: RecordedAcknowledgement[][] = [];
    if (path !== '' && path !== rootPath) {
      const i = path.lastIndexOf('/');
      parent = chainOf(i < 0 ? rootPath : path.slice(0, i));
    }
    const own = acks.get(path);
    chain = own ? [own, ...parent] : parent;
    chains.set(path, chain);
    return chain;
  };
  return (f) => {
    if (!controlIds.has(f.controlId)) return undefined;
    for (const list of chainOf(f.constructPath ?? f.stack ?? rootPath)) {
      const hit = list.find((a) => acknowledgementCovers(a.key, f));
      if (hit) return { id: hit.key.replace(/^annotation::/i, ''), reason: hit.reason, scope: hit.scope === '' ? '(app)' : hit.scope, key: hit.key };
    }
    return undefined;
  };
}

/**
 * The control IDs an acknowledgement key can cover (see `acknowledgementCovers`):
 * the ID after any `Namespace::`, and, for `ID[ruleId]`, the ID before each `[`.
 */
function coverableControlIds(key: string): string[] {
  const id = key.includes('::') ? key.slice(key.lastIndexOf('::') + 2) : key;
  const out = [id];
  if (id.endsWith(']')) for (let i = id.indexOf('['); i >= 0; i = id.indexOf('[', i + 1)) out.push(id.slice(0, i));
  return out;
}
