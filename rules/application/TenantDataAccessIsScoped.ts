import type { ResourceHandle, StackModel } from '../engine/model';
import { actionCovers, readPolicy, PolicyStatement } from '../engine/policy';
import type { RuleContext, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, isPlainObject, stringOf, textOf } from '../engine/values';
import { METADATA_KEY, readTags } from '../engine/zones';
import { placeholdersAreKnown, ResourceForms, resourceEntryCovers, usesPolicyVariable } from '../communication/resource-match';

/** Tag (on a table or bucket) and template metadata key (`Metadata.srm-iip.tenancy`) that declare tenancy. */
export const TAG_TENANCY = 'srm-iip:tenancy';
export const MULTI_TENANT = 'multi-tenant';

/** DynamoDB item-level actions that read or write tenant data. */
export const DYNAMODB_DATA_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'] as const;
/** S3 object actions that read or write tenant data. */
export const S3_OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] as const;

/** Whether a condition key scopes access to the caller's tenant: `dynamodb:LeadingKeys` or an `aws:PrincipalTag/...` key. */
export function isTenantConditionKey(key: string): boolean {
  const k = key.toLowerCase();
  return k === 'dynamodb:leadingkeys' || k.startsWith('aws:principaltag/');
}

/** Whether a resource pattern scopes objects to the caller's tenant through a principal-tag variable. */
export function isTenantScopedResource(pattern: string): boolean {
  return usesPolicyVariable(pattern, 'aws:PrincipalTag/');
}

interface TenantStore {
  readonly r: ResourceHandle;
  readonly service: 'dynamodb' | 's3';
  readonly forms: ResourceForms;
}

/**
 * SRM-IIP-APP-06 (partial): where tenancy is declared, IAM policies that
 * grant item or object access to multi-tenant tables and buckets confine it
 * to the caller's tenant: DynamoDB statements carry a `dynamodb:LeadingKeys`
 * or `aws:PrincipalTag` condition; S3 statements scope the object ARN with
 * `${aws:PrincipalTag/...}` or carry an `aws:PrincipalTag` condition.
 * Multi-tenant stores are tables and buckets tagged `srm-iip:tenancy` =
 * `multi-tenant`, and every table and bucket of a stack whose template
 * metadata declares `srm-iip.tenancy: multi-tenant` (unless tagged with
 * another tenancy). Without a declaration the rule reports nothing; runtime
 * access tests are attested separately.
 */
export const TenantDataAccessIsScoped: SrmIipRule = {
  id: 'TenantDataAccessIsScoped',
  controlId: 'SRM-IIP-APP-06',
  summary: 'Where tenancy is declared, IAM access to multi-tenant DynamoDB tables and S3 buckets is confined by dynamodb:LeadingKeys or aws:PrincipalTag',
  resourceTypes: ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket'],
  checkApp(ctx) {
    const stores = tenantStores(ctx);
    if (stores.length === 0) return [];
    const byId = new Map<string, TenantStore[]>();
    for (const s of stores) byId.set(s.r.logicalId, [...(byId.get(s.r.logicalId) ?? []), s]);
    const issues: RuleIssue[] = [];
    for (const { owner, location, docs } of policyDocuments(ctx)) {
      const view = readPolicy(owner.stack, docs);
      view.statements.forEach((st, i) => issues.push(...checkStatement(ctx, owner, location, st, i, stores, byId)));
    }
    return issues;
  },
};

function stackDeclaresMultiTenant(stack: StackModel): boolean {
  const meta = stack.metadata[METADATA_KEY];
  return isPlainObject(meta) && meta.tenancy === MULTI_TENANT;
}

function tenantStores(ctx: RuleContext): TenantStore[] {
  const { app, resolver } = ctx;
  const out: TenantStore[] = [];
  for (const r of app.resourcesOfType('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket')) {
    if (resolver.exists(r) === 'never') continue;
    const tag = readTags(r).tags.get(TAG_TENANCY);
    const tagged = tag?.some((a) => a.kind === 'value' && stringOf(a) === MULTI_TENANT) ?? false;
    const otherTenancy = tag !== undefined && tag.every((a) => a.kind === 'value' && stringOf(a) !== MULTI_TENANT);
    if (!tagged && (otherTenancy || !stackDeclaresMultiTenant(r.stack))) continue;
    const nameProp = r.type === 'AWS::S3::Bucket' ? 'BucketName' : 'TableName';
    const names = resolver.get(r, nameProp);
    const name = names.length === 1 && names[0].kind === 'value' ? stringOf(names[0]) : undefined;
    const id = r.logicalId;
    if (r.type === 'AWS::S3::Bucket') {
      const key = 'tenant-a/object-key';
      out.push({
        r,
        service: 's3',
        forms: { stack: r.stack.name, logicalId: id, refAttributes: [], texts: [`\${${id}.Arn}/${key}`, `arn:aws:s3:::\${${id}}/${key}`, ...(name ? [`arn:aws:s3:::${name}/${key}`] : [])] },
      });
    } else {
      const tables = [`\${${id}.Arn}`, `arn:aws:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/\${${id}}`, ...(name ? [`arn:aws:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${name}`] : [])];
      out.push({ r, service: 'dynamodb', forms: { stack: r.stack.name, logicalId: id, refAttributes: ['Arn'], texts: [...tables, ...tables.map((t) => `${t}/index/any-index`)] } });
    }
  }
  return out;
}

/** Identity policy documents of the app: managed and inline policies, and inline policies of roles, users and groups. */
function policyDocuments(ctx: RuleContext): Array<{ owner: ResourceHandle; location: string; docs: Alt[] }> {
  const { app, resolver } = ctx;
  const out: Array<{ owner: ResourceHandle; location: string; docs: Alt[] }> = [];
  for (const p of app.resourcesOfType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy')) {
    if (resolver.exists(p) !== 'never') out.push({ owner: p, location: 'PolicyDocument', docs: resolver.get(p, 'PolicyDocument') });
  }
  for (const p of app.resourcesOfType('AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group')) {
    if (resolver.exists(p) === 'never') continue;
    for (const inline of resolver.items(p.stack, resolver.get(p, 'Policies'))) {
      out.push({ owner: p, location: 'Policies.PolicyDocument', docs: inline.kind === 'value' ? resolver.path(p.stack, [inline], ['PolicyDocument']) : [inline] });
    }
  }
  return out;
}

function actionsGrant(st: PolicyStatement, actions: readonly string[]): 'yes' | 'no' | 'unknown' {
  if (st.notAction) return 'yes'; // an Allow with NotAction grants everything it does not list
  let unknownSeen = false;
  for (const a of st.actions) {
    const t = a.kind === 'value' ? stringOf(a) : undefined;
    if (t === undefined) {
      unknownSeen = true;
      continue;
    }
    if (actions.some((x) => actionCovers(t, x))) return 'yes';
  }
  return unknownSeen ? 'unknown' : 'no';
}

/** Every alternative of the Condition block must scope to the tenant; one without it grants every tenant. */
function conditionScopesTenant(stack: StackModel, st: PolicyStatement): 'yes' | 'no' | 'unknown' {
  const resolver = stack.resolver;
  let out: 'yes' | 'no' | 'unknown' = 'yes';
  if (st.condition.length === 0) return 'no';
  for (const c of st.condition) {
    if (c.kind === 'absent') return 'no';
    if (c.kind !== 'value' || !isPlainObject(c.value)) {
      out = 'unknown';
      continue;
    }
    let scoped = false;
    let unreadable = false;
    for (const op of Object.keys(c.value)) {
      for (const block of resolver.path(stack, [c], [op])) {
        if (block.kind !== 'value' || !isPlainObject(block.value)) {
          if (block.kind !== 'absent') unreadable = true;
          continue;
        }
        for (const k of Object.keys(block.value)) {
          if (isTenantConditionKey(k)) scoped = true;
          // ABAC: aws:ResourceTag/tenant = ${aws:PrincipalTag/tenant}
          for (const v of resolver.path(stack, [block], [k])) {
            const text = v.kind === 'value' ? JSON.stringify(resolver.deep(stack, v.value) ?? v.value) : textOf(v) ?? '';
            if (usesPolicyVariable(text, 'aws:PrincipalTag/')) scoped = true;
          }
        }
      }
    }
    if (!scoped) {
      if (unreadable) out = 'unknown';
      else return 'no';
    }
  }
  return out;
}

/** Stores an entry may name: those whose logical IDs it mentions, or every store of the service when it mentions none. */
function candidates(entry: Alt, service: TenantStore['service'], stores: readonly TenantStore[], byId: Map<string, TenantStore[]>): TenantStore[] {
  if (entry.kind === 'ref') return (byId.get(entry.logicalId) ?? []).filter((s) => s.service === service);
  const text = textOf(entry) ?? '';
  const ids = [...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]).filter((n) => !n.startsWith('AWS::') && !/^[a-z][a-z0-9.-]*:/.test(n)).map((n) => n.split('.')[0]);
  if (ids.length > 0) return ids.flatMap((id) => byId.get(id) ?? []).filter((s) => s.service === service);
  return stores.filter((s) => s.service === service);
}

function checkStatement(
  ctx: RuleContext,
  owner: ResourceHandle,
  location: string,
  st: PolicyStatement,
  index: number,
  stores: readonly TenantStore[],
  byId: Map<string, TenantStore[]>,
): RuleIssue[] {
  if (st.effect === 'Deny') return [];
  const label = `statement ${st.sid ? `'${st.sid}'` : index + 1} of ${owner.type} ${owner.logicalId} in stack ${owner.stack.name}`;
  const issues: RuleIssue[] = [];
  let cond: 'yes' | 'no' | 'unknown' | undefined;
  for (const service of ['dynamodb', 's3'] as const) {
    const grants = actionsGrant(st, service === 'dynamodb' ? DYNAMODB_DATA_ACTIONS : S3_OBJECT_ACTIONS);
    if (grants === 'no') continue;
    cond ??= conditionScopesTenant(owner.stack, st);
    if (cond === 'yes') return [];
    const unscopedHit = new Set<TenantStore>();
    let unknownEntry: Alt | undefined;
    const entries = st.notResource ? [{ kind: 'value', value: '*' } as Alt] : st.resources;
    for (const e of entries) {
      const t = textOf(e);
      const scoped = service === 's3' && isTenantScopedResource(t ?? '');
      for (const s of candidates(e, service, stores, byId)) {
        const v = t === '*' ? 'pass' : resourceEntryCovers(ctx.app, e, s.forms);
        if (v === 'pass') {
          if (!scoped) unscopedHit.add(s);
        } else if (v === 'unknown') {
          unknownEntry ??= e;
        }
      }
      if (e.kind === 'unknown' && (t === undefined || !placeholdersAreKnown(ctx.app, t))) unknownEntry ??= e;
    }
    if (unscopedHit.size === 0 && unknownEntry === undefined) continue;
    const all = [...unscopedHit];
    const names = all.slice(0, 5).map((s) => `${s.service === 's3' ? 'bucket' : 'table'} ${s.r.logicalId} in stack ${s.r.stack.name}`);
    if (all.length > 5) names.push(`${all.length - 5} more`);
    const how =
      service === 'dynamodb'
        ? 'add a ForAllValues:StringEquals dynamodb:LeadingKeys condition on ${aws:PrincipalTag/tenant} (or another aws:PrincipalTag condition)'
        : 'scope the object ARN with ${aws:PrincipalTag/tenant} or add an aws:PrincipalTag condition';
    if (unscopedHit.size > 0 && grants === 'yes' && cond === 'no') {
      issues.push({
        resource: owner,
        kind: 'violation',
        location,
        message: `${label} grants ${service} data access to multi-tenant ${names.join(', ')} for every tenant; ${how}`,
      });
    } else {
      const why = grants === 'unknown' ? 'its actions cannot be resolved' : cond === 'unknown' ? 'its condition cannot be resolved' : `resource ${describe(unknownEntry!)} cannot be resolved`;
      issues.push({ resource: owner, kind: 'unverifiable', location, message: `cannot verify tenant isolation of ${label}: ${why}, and it may grant ${service} data access to multi-tenant stores without a tenant condition` });
    }
  }
  return issues;
}
