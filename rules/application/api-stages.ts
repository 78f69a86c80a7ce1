/**
 * REST API stages as the application rules see them: `AWS::ApiGateway::Stage`
 * resources and deployments that create a stage (`AWS::ApiGateway::Deployment`
 * with `StageName`), with the API they belong to. Not part of the public API.
 */
import type { AppModel, ResourceHandle } from '../engine/model';
import { Alt, stringOf } from '../engine/values';
import { perApp } from '../engine/cache';

export interface RestStage {
  /** The Stage, or the Deployment that creates the stage. */
  readonly handle: ResourceHandle;
  /** The REST API (`RestApiId`), when it is a resource of the app. */
  readonly api?: ResourceHandle;
  /** Literal stage names. */
  readonly names: readonly string[];
  readonly viaDeployment: boolean;
}

interface StageIndex {
  readonly all: RestStage[];
  readonly byHandle: Map<ResourceHandle, RestStage>;
  /** Stages by the `${ApiLogicalId}` placeholder their API appears as in ARN texts. */
  readonly byApiText: Map<string, RestStage[]>;
}

/** The resource a single-alternative reference points at. */
export function refTarget(app: AppModel, alts: readonly Alt[]): ResourceHandle | undefined {
  const targets = new Set(alts.map((a) => (a.kind === 'ref' ? app.resource(a.stack, a.logicalId) : undefined)));
  return targets.size === 1 ? [...targets][0] : undefined;
}

/** Every REST API stage of the app, indexed once per app. */
export function restStages(app: AppModel): RestStage[] {
  return stageIndex(app).all;
}

/** The stage a Stage or Deployment resource creates, if any. */
export function restStageOf(app: AppModel, r: ResourceHandle): RestStage | undefined {
  return stageIndex(app).byHandle.get(r);
}

/** The stages a parsed stage ARN (`/restapis/${Api}/stages/${Stage}`) names. */
export function stagesForArn(app: AppModel, ref: { api: string; stage: string }): RestStage[] {
  return (stageIndex(app).byApiText.get(ref.api) ?? []).filter((s) => stageMatches(s, ref));
}

const stageIndex = perApp((app: AppModel): StageIndex => {
  const out: RestStage[] = [];
  for (const r of app.resourcesOfType('AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment')) {
    const resolver = r.stack.resolver;
    const nameAlts = resolver.get(r, 'StageName');
    const viaDeployment = r.type === 'AWS::ApiGateway::Deployment';
    if (viaDeployment && nameAlts.every((a) => a.kind === 'absent')) continue;
    const names = nameAlts.map((a) => (a.kind === 'value' ? stringOf(a) : undefined)).filter((s): s is string => s !== undefined);
    out.push({ handle: r, api: refTarget(app, resolver.get(r, 'RestApiId')), names, viaDeployment });
  }
  const index: StageIndex = { all: out, byHandle: new Map(out.map((s) => [s.handle, s])), byApiText: new Map() };
  for (const s of out) {
    if (!s.api) continue;
    const k = `\${${s.api.logicalId}}`;
    index.byApiText.set(k, [...(index.byApiText.get(k) ?? []), s]);
  }
  return index;
});

/** Whether a stage is the one a deployment creates (so its settings live in `StageDescription`). */
export function stageSettingsPath(s: RestStage, ...path: string[]): string[] {
  return s.viaDeployment ? ['StageDescription', ...path] : path;
}

/**
 * Whether the REST API is private only (`EndpointConfiguration.Types` is
 * `[PRIVATE]`): reachable from VPC endpoints, not from the internet.
 * `undefined` when the types cannot be resolved.
 */
export function isPrivateRestApi(api: ResourceHandle): boolean | undefined {
  const resolver = api.stack.resolver;
  let sawUnknown = false;
  let allPrivate = true;
  for (const t of resolver.get(api, 'EndpointConfiguration', 'Types')) {
    if (t.kind === 'absent') {
      allPrivate = false;
      continue;
    }
    if (t.kind !== 'value') {
      sawUnknown = true;
      continue;
    }
    const items = resolver.items(api.stack, [t]);
    if (items.some((i) => i.kind !== 'value')) sawUnknown = true;
    const names = items.map((i) => (i.kind === 'value' ? (stringOf(i) ?? '').toUpperCase() : '?'));
    if (!(names.length > 0 && names.every((n) => n === 'PRIVATE'))) allPrivate = false;
  }
  if (!allPrivate) return false;
  return sawUnknown ? undefined : true;
}

/**
 * The API and stage named by a stage ARN text such as
 * `arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Stage}`
 * (placeholders are logical IDs) or with literal IDs.
 */
export function stageFromArnText(text: string): { api: string; stage: string } | undefined {
  const m = /\/restapis\/([^/]+)\/stages\/([^/]+)$/.exec(text);
  return m ? { api: m[1], stage: m[2] } : undefined;
}

/** Whether a REST stage is the one a parsed stage ARN names. */
export function stageMatches(s: RestStage, ref: { api: string; stage: string }): boolean {
  if (!s.api || ref.api !== `\${${s.api.logicalId}}`) return false;
  return ref.stage === `\${${s.handle.logicalId}}` || s.names.includes(ref.stage);
}

/** Short name of a stage for messages: "stage prod (ApiDeploymentStageprod in stack S) of REST API Api". */
export function describeStage(s: RestStage): string {
  const name = s.names.length ? s.names.join('|') : '?';
  return `stage ${name} (${s.handle.logicalId} in stack ${s.handle.stack.name})${s.api ? ` of REST API ${s.api.logicalId}` : ''}`;
}
