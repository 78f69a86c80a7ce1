import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CfnResource, Stack, Stage, Token, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { StackInput } from '../engine/model';
import { acknowledgementCovers, AcknowledgementLookup } from '../engine/run';

/** Every stack in a construct tree, nested stacks included, parents first. */
export function stacksIn(scope: IConstruct): Stack[] {
  return scope.node.findAll().filter((c): c is Stack => Stack.isStack(c));
}

/**
 * The templates of every stack under `scope`, with the construct path of each
 * resource so findings point at constructs. Where the app has been
 * synthesized, the templates are read from the cloud assembly (exactly what
 * will be deployed, aspects such as tags applied); otherwise they are
 * rendered from the construct tree as synthesis would.
 *
 * @param templatePaths template files CDK's validation context names, when called from `validate`
 */
export function stackInputsFromTree(scope: IConstruct, templatePaths: readonly string[] = []): StackInput[] {
  const byFile = new Map(templatePaths.map((p) => [basename(p), p]));
  const outdir = templatePaths.length > 0 ? dirname(templatePaths[0]) : synthesizedOutdir(scope);
  return stacksIn(scope).map((stack) => {
    const onDisk = byFile.get(stack.templateFile) ?? (outdir ? join(outdir, stack.templateFile) : undefined);
    const fromDisk = onDisk ? readTemplate(onDisk) : undefined;
    const template = fromDisk ?? (stack as unknown as { _toCloudFormation(): Record<string, unknown> })._toCloudFormation();
    return {
      name: stack.node.path,
      // CDK omits Resources for a stack that has none; for the checker that is an empty stack, not a bad template.
      template: { Resources: {}, ...template },
      templatePath: fromDisk ? onDisk : undefined,
      region: Token.isUnresolved(stack.region) ? undefined : stack.region,
      account: Token.isUnresolved(stack.account) ? undefined : stack.account,
      constructPath: stack.node.path,
      constructPaths: constructPathsOf(stack, template),
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

function readTemplate(path: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const t = JSON.parse(readFileSync(path, 'utf8'));
    return t && typeof t === 'object' && !Array.isArray(t) ? t : undefined;
  } catch {
    return undefined;
  }
}

/** Construct path per logical ID: from `aws:cdk:path` metadata where synthesis wrote it, else from the tree. */
function constructPathsOf(stack: Stack, template: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  const resources = (template.Resources ?? {}) as Record<string, { Metadata?: Record<string, unknown> }>;
  let missing = false;
  for (const [id, r] of Object.entries(resources)) {
    const p = r?.Metadata?.['aws:cdk:path'];
    if (typeof p === 'string') out.set(id, p);
    else missing = true;
  }
  if (!missing) return out;
  for (const c of stack.node.findAll()) {
    if (CfnResource.isCfnResource(c) && c.stack === stack) out.set(stack.resolve(c.logicalId), c.node.path);
  }
  return out;
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
  const out = new Map<string, RecordedAcknowledgement[]>();
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data || typeof entry.data !== 'object') continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        const list = out.get(c.node.path) ?? [];
        list.push({ key, reason: typeof reason === 'string' ? reason : String(reason), scope: c.node.path });
        out.set(c.node.path, list);
      }
    }
  }
  return out;
}

/**
 * Match findings to the closest acknowledgement on the construct path or its
 * ancestors, as CDK itself does. A finding without a construct path (an
 * app-level finding) is covered by an acknowledgement on its stack or the app.
 */
export function treeAcknowledgements(root: IConstruct, acks: Map<string, RecordedAcknowledgement[]>): AcknowledgementLookup {
  return (f) => {
    let path = f.constructPath ?? f.stack ?? root.node.path;
    for (;;) {
      const hit = acks.get(path)?.find((a) => acknowledgementCovers(a.key, f));
      if (hit) return { id: hit.key.replace(/^annotation::/i, ''), reason: hit.reason, scope: hit.scope === '' ? '(app)' : hit.scope, key: hit.key };
      if (path === '' || path === root.node.path) return undefined;
      const i = path.lastIndexOf('/');
      path = i < 0 ? root.node.path : path.slice(0, i);
    }
  };
}
