/**
 * Which launch template an EC2 instance is launched from (SYS-03 IMDSv2 and
 * EBS checks, PHY-03 tenancy): `LaunchTemplate.LaunchTemplateId` or
 * `LaunchTemplateName`, as a Ref/GetAtt to an `AWS::EC2::LaunchTemplate` of
 * the app, or a literal name matched against the templates' names (the form
 * CDK writes for `requireImdsv2`).
 */
import type { AppModel, ResourceHandle } from '../engine/model';
import { Alt, describe, stringOf } from '../engine/values';
import { perApp } from '../engine/cache';

export const LAUNCH_TEMPLATE_TYPE = 'AWS::EC2::LaunchTemplate';

/** One way the instance's launch template may be given. */
export interface LaunchTemplateUse {
  /** The LaunchTemplateId/LaunchTemplateName alternative, or `absent` when this branch has no launch template. */
  readonly alt: Alt;
  /** The launch template of the app it resolves to. */
  readonly target?: ResourceHandle;
  /** Why it does not resolve, when `target` is undefined and `alt` is not absent. */
  readonly unresolved?: string;
}

const templatesByName = perApp((app: AppModel): Map<string, ResourceHandle[]> => {
  const idx: Map<string, ResourceHandle[]> = new Map();
  for (const lt of app.resourcesOfType(LAUNCH_TEMPLATE_TYPE)) {
    for (const n of lt.stack.resolver.get(lt, 'LaunchTemplateName')) {
      const s = stringOf(n);
      if (s === undefined) continue;
      const list = idx.get(s) ?? [];
      list.push(lt);
      idx.set(s, list);
    }
  }
  return idx;
});

/**
 * The launch templates a resource with a `LaunchTemplate` specification
 * property (`AWS::EC2::Instance`, auto-scaling groups; `path` defaults to
 * `LaunchTemplate`) may use, one entry per alternative. An entry with an absent `alt` means "no launch template".
 */
export function launchTemplateUses(r: ResourceHandle, ...path: string[]): LaunchTemplateUse[] {
  const resolver = r.stack.resolver;
  const app = r.stack.app;
  const out: LaunchTemplateUse[] = [];
  for (const spec of resolver.get(r, ...(path.length > 0 ? path : ['LaunchTemplate']))) {
    if (spec.kind === 'absent') {
      out.push({ alt: spec });
      continue;
    }
    if (spec.kind !== 'value') {
      out.push({ alt: spec, unresolved: `the launch template is ${describe(spec)}` });
      continue;
    }
    const ids = resolver.path(r.stack, [spec], ['LaunchTemplateId']);
    const byId = !ids.every((a) => a.kind === 'absent');
    for (const a of byId ? ids : resolver.path(r.stack, [spec], ['LaunchTemplateName'])) {
      out.push(resolveUse(app, a, byId));
    }
  }
  return out;
}

function resolveUse(app: AppModel, a: Alt, byId: boolean): LaunchTemplateUse {
  if (a.kind === 'ref') {
    const t = app.resource(a.stack, a.logicalId);
    if (t?.type === LAUNCH_TEMPLATE_TYPE) return { alt: a, target: t };
    return { alt: a, unresolved: `${a.logicalId} is ${t ? `a ${t.type}` : 'not declared in the app'}, not a launch template` };
  }
  if (a.kind === 'absent') return { alt: a, unresolved: 'the launch template specification names no template' };
  const s = stringOf(a);
  if (s !== undefined && !byId) {
    const hits = templatesByName(app).get(s) ?? [];
    if (hits.length === 1) return { alt: a, target: hits[0] };
    if (hits.length > 1) return { alt: a, unresolved: `${hits.length} launch templates of the app are named '${s}'` };
    return { alt: a, unresolved: `launch template '${s}' is not part of the app` };
  }
  if (s !== undefined) return { alt: a, unresolved: `launch template ${s} is not part of the app` };
  return { alt: a, unresolved: `the launch template is ${describe(a)}` };
}
