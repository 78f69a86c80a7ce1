import type { AppModel, ResourceHandle } from '../engine/model';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, isPlainObject } from '../engine/values';
import { readResourceTags } from '../engine/tags';
import { existing, literal, nameList, perApp, pointees, someElementInEveryBranch, stacksPhrase, Tri, where } from './common';

/**
 * Stores whose data AWS Backup must be able to restore, with how their ARN
 * looks (for wildcard selections). S3 buckets are not in the list: their
 * restore path is versioning (which AWS Backup for S3 needs anyway, and which
 * SRM-IIP-OPS-07 pairs with noncurrent-version expiry), and many buckets hold
 * only rebuildable artifacts. An RDS instance that belongs to a cluster or is
 * a read replica is restored through its cluster or source and is skipped.
 */
export const STATEFUL_STORES: { readonly [type: string]: { readonly service: string; readonly arnPrefix: string; readonly nameProperty?: string } } = {
  'AWS::RDS::DBInstance': { service: 'rds', arnPrefix: 'db:', nameProperty: 'DBInstanceIdentifier' },
  'AWS::RDS::DBCluster': { service: 'rds', arnPrefix: 'cluster:', nameProperty: 'DBClusterIdentifier' },
  'AWS::DocDB::DBCluster': { service: 'rds', arnPrefix: 'cluster:', nameProperty: 'DBClusterIdentifier' },
  'AWS::Neptune::DBCluster': { service: 'rds', arnPrefix: 'cluster:', nameProperty: 'DBClusterIdentifier' },
  'AWS::DynamoDB::Table': { service: 'dynamodb', arnPrefix: 'table/', nameProperty: 'TableName' },
  'AWS::DynamoDB::GlobalTable': { service: 'dynamodb', arnPrefix: 'table/', nameProperty: 'TableName' },
  'AWS::EFS::FileSystem': { service: 'elasticfilesystem', arnPrefix: 'file-system/' },
  'AWS::FSx::FileSystem': { service: 'fsx', arnPrefix: 'file-system/' },
  'AWS::EC2::Volume': { service: 'ec2', arnPrefix: 'volume/' },
};

const PATTERNS = new Map<string, RegExp>();

/** Whether a selection pattern with `*` wildcards (as AWS Backup accepts) matches an ARN. */
export function backupPatternMatches(pattern: string, arn: string): boolean {
  let re = PATTERNS.get(pattern);
  if (!re) {
    if (PATTERNS.size > 10_000) PATTERNS.clear();
    PATTERNS.set(pattern, (re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`)));
  }
  return re.test(arn);
}

const or = (...ts: Tri[]): Tri => (ts.includes('yes') ? 'yes' : ts.includes('maybe') ? 'maybe' : 'no');
const and = (...ts: Tri[]): Tri => (ts.includes('no') ? 'no' : ts.includes('maybe') ? 'maybe' : 'yes');

const sampleArns = new WeakMap<ResourceHandle, string>();

/** A sample ARN of a store, with its physical name when the template fixes it. */
function sampleArn(store: ResourceHandle): string {
  let arn = sampleArns.get(store);
  if (arn === undefined) sampleArns.set(store, (arn = computeSampleArn(store)));
  return arn;
}

function computeSampleArn(store: ResourceHandle): string {
  const spec = STATEFUL_STORES[store.type];
  const names = spec.nameProperty ? store.stack.resolver.get(store, spec.nameProperty).map(literal) : [];
  const name = names.length === 1 && names[0] !== undefined ? names[0] : '\u0000unnamed';
  return `arn:aws:${spec.service}:region:account:${spec.arnPrefix}${name}`;
}

/** Does one entry of Resources / NotResources name the store? */
function entryNames(sel: ResourceHandle, entry: Alt, store: ResourceHandle): Tri {
  if (pointees(sel.stack, entry).includes(store)) return 'yes';
  if (entry.kind === 'ref') return 'no';
  if (entry.kind === 'value') {
    const s = literal(entry);
    return s !== undefined && backupPatternMatches(s, sampleArn(store)) ? 'yes' : 'no';
  }
  if (entry.kind !== 'unknown' || entry.text === undefined) return 'maybe';
  const { pattern, unknownPart } = patternOfText(sel, entry.text);
  if (!backupPatternMatches(pattern, sampleArn(store))) return 'no';
  return unknownPart ? 'maybe' : 'yes';
}

/** A computed ARN as a pattern: pseudo parameters and unknown parts match anything; other resources never are this store. */
function patternOfText(sel: ResourceHandle, text: string): { pattern: string; unknownPart: boolean } {
  let unknownPart = false;
  const pattern = text.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    if (name.startsWith('AWS::')) return '*';
    if (sel.stack.resources.has(name.split('.')[0])) return '\u0001';
    unknownPart = true;
    return '*';
  });
  return { pattern, unknownPart };
}

/** Does a tag condition (key, value, StringEquals or StringLike) hold for the store? */
function tagMatches(store: ResourceHandle, keys: Alt[], values: Alt[], like: boolean): Tri {
  const results: Tri[] = [];
  for (const k of keys) {
    let key = literal(k);
    if (key === undefined) {
      results.push('maybe');
      continue;
    }
    if (key.startsWith('aws:ResourceTag/')) key = key.slice('aws:ResourceTag/'.length);
    const tags = readResourceTags(store);
    const presence = tags.presence(key);
    if (presence === 'missing') {
      results.push('no');
      continue;
    }
    for (const want of values) {
      const w = literal(want);
      const have = tags.values(key);
      if (w === undefined || have.some((h) => literal(h) === undefined)) {
        results.push('maybe');
        continue;
      }
      const hit = (h: Alt) => (like ? backupPatternMatches(w, literal(h)!) : literal(h) === w);
      results.push(have.every(hit) && presence === 'present' ? 'yes' : have.some(hit) ? 'maybe' : 'no');
    }
  }
  // Every alternative of the condition must select the store for it to be covered in every branch.
  return results.length === 0 ? 'no' : results.includes('no') ? (results.every((r) => r === 'no') ? 'no' : 'maybe') : results.includes('maybe') ? 'maybe' : 'yes';
}

interface Selection {
  readonly resource: ResourceHandle;
  readonly planKnown: boolean;
  /** Resources and ListOfTags as written (with Fn::If branches), and flattened. */
  readonly resourcesAlts: Alt[];
  readonly resources: Alt[];
  readonly notResources: Alt[];
  readonly listOfTagsAlts: Alt[];
  /** Conditions block entries: operator and the entry. */
  readonly conditions: Array<{ op: string; entry: Alt }>;
  readonly conditionsOpaque: boolean;
}

const selections = perApp((app: AppModel): Selection[] =>
  existing(app, 'AWS::Backup::BackupSelection').map((sel) => {
    const res = sel.stack.resolver;
    const planAlts = res.get(sel, 'BackupPlanId');
    const planKnown = planAlts.length > 0 && planAlts.every((a) => pointees(sel.stack, a).some((p) => p.type === 'AWS::Backup::BackupPlan'));
    const body = res.get(sel, 'BackupSelection');
    const items = (...path: string[]) => res.items(sel.stack, res.path(sel.stack, body, path));
    const conditions: Array<{ op: string; entry: Alt }> = [];
    let conditionsOpaque = false;
    for (const c of res.path(sel.stack, body, ['Conditions'])) {
      if (c.kind === 'absent') continue;
      if (c.kind !== 'value' || !isPlainObject(c.value)) {
        conditionsOpaque = true;
        continue;
      }
      for (const op of Object.keys(c.value)) for (const entry of res.items(sel.stack, res.path(sel.stack, [c], [op]))) conditions.push({ op, entry });
    }
    return {
      resource: sel,
      planKnown,
      resourcesAlts: res.path(sel.stack, body, ['Resources']),
      resources: items('Resources'),
      notResources: items('NotResources'),
      listOfTagsAlts: res.path(sel.stack, body, ['ListOfTags']),
      conditions,
      conditionsOpaque,
    };
  }),
);

/** How a selection covers a store: by ARN, by ListOfTags, or by ARN narrowed by tag Conditions. */
function covers(sel: Selection, store: ResourceHandle): Tri {
  const res = sel.resource.stack.resolver;
  const stack = sel.resource.stack;
  // An entry that only one Fn::If branch writes selects the store in that branch only.
  const byTags = someElementInEveryBranch(stack, sel.listOfTagsAlts, (t) =>
    tagMatches(store, res.path(stack, [t], ['ConditionKey']), res.path(stack, [t], ['ConditionValue']), false),
  );
  const byArn: Tri =
    sel.resources.length > 0 ? someElementInEveryBranch(stack, sel.resourcesAlts, (e) => entryNames(sel.resource, e, store)) : sel.conditions.length > 0 ? 'yes' : 'no';
  const conds: Tri[] = sel.conditions.map(({ op, entry }) => {
    const m = tagMatches(store, res.path(stack, [entry], ['ConditionKey']), res.path(stack, [entry], ['ConditionValue']), /Like$/.test(op));
    if (op === 'StringEquals' || op === 'StringLike') return m;
    if (op === 'StringNotEquals' || op === 'StringNotLike') return m === 'yes' ? 'no' : m === 'no' ? 'yes' : 'maybe';
    return 'maybe';
  });
  if (sel.conditionsOpaque) conds.push('maybe');
  let covered = or(byTags, and(byArn, ...conds));
  const excluded = or(...sel.notResources.map((e) => entryNames(sel.resource, e, store)));
  if (excluded === 'yes') covered = 'no';
  else if (excluded === 'maybe' && covered === 'yes') covered = 'maybe';
  if (!sel.planKnown && covered === 'yes') covered = 'maybe';
  return covered;
}

/** Whether a store is restored through another resource (cluster member, read replica). */
function restoredElsewhere(store: ResourceHandle): boolean {
  if (store.type !== 'AWS::RDS::DBInstance') return false;
  const res = store.stack.resolver;
  const setEverywhere = (p: string) => {
    const alts = res.get(store, p);
    return alts.length > 0 && alts.every((a) => a.kind !== 'absent');
  };
  return setEverywhere('DBClusterIdentifier') || setEverywhere('SourceDBInstanceIdentifier');
}

/**
 * SRM-IIP-OPS-05 (coverage): every stateful store (RDS, Aurora, DocumentDB,
 * Neptune, DynamoDB, EFS, FSx, EBS volumes) is selected by an
 * AWS::Backup::BackupSelection of a backup plan in the app, by ARN (a
 * reference, a literal ARN or a wildcard pattern), by ListOfTags, or by tag
 * Conditions; NotResources excludes.
 */
export const BackupCoversStatefulStores: SrmIipRule = {
  id: 'BackupCoversStatefulStores',
  controlId: 'SRM-IIP-OPS-05',
  summary: 'An AWS Backup plan and selection cover every stateful store (RDS, Aurora, DynamoDB, EFS, FSx, EBS)',
  resourceTypes: [...Object.keys(STATEFUL_STORES), 'AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection'],
  checkApp(ctx) {
    const app = ctx.app;
    const stores = existing(app, ...Object.keys(STATEFUL_STORES)).filter((s) => !restoredElsewhere(s));
    if (stores.length === 0) return [];
    const sels = selections(app);
    const plans = existing(app, 'AWS::Backup::BackupPlan');
    const best = new Map<ResourceHandle, { v: Tri; sels: ResourceHandle[] }>();
    const candidates = candidateFinder(stores);
    // Selections of a plan outside the app can only make a store 'maybe': judge them last, for stores still open.
    const ordered = [...sels.filter((x) => x.planKnown), ...sels.filter((x) => !x.planKnown)];
    for (const sel of ordered) {
      for (const store of candidates(sel)) {
        const cur = best.get(store);
        if (cur?.v === 'yes' || (cur && !sel.planKnown && cur.sels.length >= 3)) continue; // settled, or enough named for the message
        const v = covers(sel, store);
        if (v === 'no') continue;
        if (!cur || (cur.v === 'maybe' && v === 'yes')) best.set(store, { v, sels: [sel.resource] });
        else if (cur.v === v) cur.sels.push(sel.resource);
      }
    }
    const issues: RuleIssue[] = [];
    for (const store of stores) {
      const b = best.get(store);
      if (b?.v === 'yes') continue;
      if (b?.v === 'maybe') {
        issues.push({
          resource: store,
          kind: 'unverifiable',
          message: `cannot verify that the store is backed up: whether ${nameList(b.sels.map(where), 3)} selects it depends on values the template does not fix (a parameter, a tag, or a backup plan outside the app)`,
        });
        continue;
      }
      const context =
        plans.length === 0
          ? `the app has no AWS::Backup::BackupPlan in ${stacksPhrase(app)}`
          : sels.length === 0
            ? `the backup plans (${nameList(plans.map(where), 3)}) have no AWS::Backup::BackupSelection`
            : `none of the selections ${nameList(sels.map((s) => where(s.resource)), 3)} names it by ARN or tag`;
      issues.push({ resource: store, kind: 'violation', message: `the store is not covered by an AWS Backup plan: ${context}` });
    }
    return issues;
  },
};

/**
 * The stores a selection may cover, found through indexes (ARN, tag key and
 * value, one scan per distinct wildcard pattern) so the rule stays linear in
 * practice; `covers` then judges each candidate exactly.
 */
function candidateFinder(stores: readonly ResourceHandle[]): (sel: Selection) => Iterable<ResourceHandle> {
  const all = new Set(stores);
  const byArn = new Map<string, ResourceHandle[]>();
  // The resource part of an ARN (after arn:partition:service:region:account:) narrows most patterns to a few stores.
  const byResourcePart = new Map<string, ResourceHandle[]>();
  const resourcePart = (arn: string) => arn.split(':').slice(5).join(':');
  const byTag = new Map<string, Map<string, ResourceHandle[]>>();
  const looseTag = new Map<string, ResourceHandle[]>();
  const opaqueTags: ResourceHandle[] = [];
  const push = <K>(m: Map<K, ResourceHandle[]>, k: K, r: ResourceHandle) => m.set(k, [...(m.get(k) ?? []), r]);
  for (const s of stores) {
    push(byArn, sampleArn(s), s);
    push(byResourcePart, resourcePart(sampleArn(s)), s);
    const tags = readResourceTags(s);
    if (tags.opaque) opaqueTags.push(s);
    for (const k of tags.keys()) {
      for (const v of tags.values(k)) {
        const lit = literal(v);
        if (lit === undefined) push(looseTag, k, s);
        else {
          let m = byTag.get(k);
          if (!m) byTag.set(k, (m = new Map()));
          push(m, lit, s);
        }
      }
    }
  }
  const scans = new Map<string, ResourceHandle[]>();
  const scan = (pattern: string) => {
    let hit = scans.get(pattern);
    if (!hit) {
      const part = pattern.split(':').length >= 6 ? resourcePart(pattern) : '*';
      const pool = part.includes('*') ? stores : byResourcePart.get(part) ?? [];
      scans.set(pattern, (hit = pool.filter((s) => backupPatternMatches(pattern, sampleArn(s)))));
    }
    return hit;
  };
  return (sel) => {
    const out = new Set<ResourceHandle>();
    const res = sel.resource.stack.resolver;
    const stack = sel.resource.stack;
    for (const e of sel.resources) {
      for (const p of pointees(stack, e)) if (all.has(p)) out.add(p);
      const lit = literal(e);
      if (lit !== undefined) for (const s of lit.includes('*') ? scan(lit) : byArn.get(lit) ?? []) out.add(s);
      else if (e.kind === 'unknown' && e.text !== undefined) for (const s of scan(patternOfText(sel.resource, e.text).pattern)) out.add(s);
      else if (e.kind !== 'ref') return all;
    }
    if (sel.resources.length === 0 && (sel.conditions.length > 0 || sel.conditionsOpaque)) return all;
    for (const t of res.items(stack, sel.listOfTagsAlts)) {
      const keys = res.path(stack, [t], ['ConditionKey']).map(literal);
      const values = res.path(stack, [t], ['ConditionValue']).map(literal);
      if (keys.some((k) => k === undefined) || values.some((v) => v === undefined)) return all;
      for (const k of keys) {
        for (const v of values) for (const s of byTag.get(k!)?.get(v!) ?? []) out.add(s);
        for (const s of looseTag.get(k!) ?? []) out.add(s);
      }
      for (const s of opaqueTags) out.add(s);
    }
    return out;
  };
}
