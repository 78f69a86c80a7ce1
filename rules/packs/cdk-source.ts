import { basename } from 'node:path';
import { CfnElement, CfnResource, NestedStack, Stack, Token, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { StackInput } from '../engine/model';
import { acknowledgementCovers, AcknowledgementLookup } from '../engine/run';

/** Every stack in a construct tree, nested stacks included, parents first. */
export function stacksIn(scope: IConstruct): Stack[] {
  return scope.node.findAll().filter((c): c is Stack => Stack.isStack(c));
}

/**
 * The templates of every stack under `scope`, rendered from the construct
 * tree (the same rendering synthesis writes), with the construct path of
 * each resource so findings point at constructs.
 */
export function stackInputsFromTree(scope: IConstruct, templatePaths: readonly string[] = []): StackInput[] {
  const byFile = new Map(templatePaths.map((p) => [basename(p), p]));
  return stacksIn(scope).map((stack) => {
    const constructPaths = new Map<string, string>();
    for (const c of stack.node.findAll()) {
      if (CfnElement.isCfnElement(c) && c.stack === stack && CfnResource.isCfnResource(c)) {
        constructPaths.set(stack.resolve(c.logicalId), c.node.path);
      }
    }
    const rendered = (stack as unknown as { _toCloudFormation(): Record<string, unknown> })._toCloudFormation();
    // CDK omits Resources for a stack that has none; for the checker that is an empty stack, not a bad template.
    const template = { Resources: {}, ...rendered };
    return {
      name: stack.node.path,
      template,
      templatePath: NestedStack.isNestedStack(stack) ? undefined : byFile.get(stack.templateFile),
      region: Token.isUnresolved(stack.region) ? undefined : stack.region,
      account: Token.isUnresolved(stack.account) ? undefined : stack.account,
      constructPath: stack.node.path,
      constructPaths,
    };
  });
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
