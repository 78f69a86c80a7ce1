import type { AppModel, ResourceHandle, StackModel } from '../engine/model';
import { actionCovers, actionTexts, PolicyStatement, readPolicy } from '../engine/policy';
import type { RuleContext, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, isPlainObject, stringOf } from '../engine/values';
import { TAG_LEVEL } from '../engine/zones';
import { TAGGABLE_TYPES } from '../engine/taggable-types.generated';
import { judgeKeyAlt, keyTextKind, KMS_KEY_TYPES } from './kms-keys';
import { Classification, classificationOf, levelReading } from './levels';
import { dedupeIssues, where } from './support';
import { perApp } from '../engine/cache';

const SUBNET_TYPE = 'AWS::EC2::Subnet';
const ROLE_TYPE = 'AWS::IAM::Role';

/** Whether a resource at one level may use a key or subnet of another: only of its own level, both ways. */
export function mayUseLevel(resourceLevel: number, assetLevel: number): boolean {
  return resourceLevel === assetLevel;
}

/** Whether a principal at one level may decrypt with a key of another: never with a key of a higher level. */
export function mayDecryptLevel(principalLevel: number, keyLevel: number): boolean {
  return principalLevel >= keyLevel;
}

/**
 * Types that are not judged as users of keys and subnets: the keys and
 * subnets themselves (their levels are checked directly), IAM (grants are
 * checked as grants), aliases (followed to their key), nested stacks (they
 * pass values through) and CDK metadata.
 */
function isConsumerType(type: string): boolean {
  return !(type === 'AWS::KMS::Key' || type === 'AWS::KMS::Alias' || type === SUBNET_TYPE || type.startsWith('AWS::IAM::') || type === 'AWS::CloudFormation::Stack' || type === 'AWS::CDK::Metadata');
}

/** Whether the kit can expect a level tag on a resource of this type (untaggable glue is not reported as unclassified). */
function isTaggable(type: string): boolean {
  return TAGGABLE_TYPES[type] !== undefined || type === 'AWS::EC2::LaunchTemplate' || type === 'AWS::DynamoDB::GlobalTable' || type === 'AWS::EFS::FileSystem';
}

/** One use of a classified asset (key or subnet) by a resource. */
interface AssetUse {
  readonly asset: ResourceHandle;
  /** Property path of the reference, for `location`. */
  readonly path: string;
}

/**
 * SRM-IIP-SYS-06: classification levels stay separate. Where levels are in
 * use (some resource carries `srm-iip:level`, or `classificationLevels` is
 * set), every KMS key and subnet carries a level; every resource uses only
 * keys and subnets of its own level (a higher-level resource under a
 * lower-level key leaks to the lower level's principals; a lower-level one
 * under a higher-level key or in a higher-level subnet enters the higher
 * level); and no key policy or IAM policy lets a role of a lower level
 * `kms:Decrypt` with a key of a higher level. Uses are found by following
 * every reference in a resource's properties to a key (also through an
 * alias) or subnet of the app, across stacks.
 */
export const ClassificationLevelSeparation: SrmIipRule = {
  id: 'ClassificationLevelSeparation',
  controlId: 'SRM-IIP-SYS-06',
  summary: 'Each classification level has its own KMS keys and subnets; no resource or grant crosses levels',
  resourceTypes: [...KMS_KEY_TYPES, SUBNET_TYPE, 'AWS::KMS::Alias', ROLE_TYPE, 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'],
  checkApp(ctx) {
    const cls = classificationOf(ctx);
    if (!cls.active) return [];
    const issues: RuleIssue[] = [];
    const assets = [...ctx.app.resourcesOfType(...KMS_KEY_TYPES), ...ctx.app.resourcesOfType(SUBNET_TYPE)];
    for (const a of assets) issues.push(...assetLevelIssues(a, cls, ctx));
    const aliases = aliasIndex(ctx.app);
    for (const r of ctx.app.allResources()) {
      if (!isConsumerType(r.type) || ctx.resolver.exists(r) === 'never') continue;
      const uses = assetUses(r, aliases);
      if (uses.length > 0) issues.push(...useIssues(r, uses));
    }
    issues.push(...grantIssues(ctx, aliases));
    return dedupeIssues(issues);
  },
};

function kindOf(asset: ResourceHandle): string {
  return asset.type === SUBNET_TYPE ? 'subnet' : 'KMS key';
}

function levelText(alts: readonly Alt[]): string {
  return alts.map((a) => (a.kind === 'value' ? String(a.value) : describe(a))).join(' or ');
}

function assetLevelIssues(a: ResourceHandle, cls: Classification, ctx: RuleContext): RuleIssue[] {
  const reading = levelReading(a);
  const issues: RuleIssue[] = [];
  for (const l of reading.alts) {
    if (l.kind === 'absent') {
      issues.push({
        resource: a,
        kind: 'violation',
        location: 'Tags',
        message: `unclassified ${kindOf(a)}: it carries no ${TAG_LEVEL} tag while the app uses classification levels, so no level can be shown to own it`,
      });
    } else if (l.kind !== 'value') {
      issues.push({ resource: a, kind: 'unverifiable', location: 'Tags', message: `cannot verify the classification level of this ${kindOf(a)}: ${describe(l)}` });
    } else if (ctx.settings.classificationLevels !== undefined && (l.value as number) > cls.top!) {
      issues.push({ resource: a, kind: 'violation', location: 'Tags', message: `${TAG_LEVEL} is ${String(l.value)}, above the top level (${cls.topSource})` });
    }
  }
  return issues;
}

// ---------------------------------------------------------------- uses

interface AliasIndex {
  /** Literal alias names (`alias/x`) of the app to the key each targets. */
  readonly byName: Map<string, ResourceHandle>;
}

const aliasIndex = perApp((app: AppModel): AliasIndex => {
  const idx: AliasIndex = { byName: new Map() };
  for (const al of app.resourcesOfType('AWS::KMS::Alias')) {
    const key = judgeKeyAlt(app, al.stack, { kind: 'ref', stack: al.stack.name, logicalId: al.logicalId }).key;
    if (!key) continue;
    for (const n of al.stack.resolver.get(al, 'AliasName')) {
      const s = stringOf(n);
      if (s !== undefined) idx.byName.set(s, key);
    }
  }
  return idx;
});

/** The key or subnet a reference alternative points at, following aliases. */
function assetOf(app: AppModel, stack: StackModel, a: Alt, aliases: AliasIndex): ResourceHandle | undefined {
  if (a.kind === 'ref') {
    const t = app.resource(a.stack, a.logicalId);
    if (!t) return undefined;
    if (KMS_KEY_TYPES.includes(t.type) || t.type === SUBNET_TYPE) return t;
    if (t.type === 'AWS::KMS::Alias') return judgeKeyAlt(app, stack, a).key;
    return undefined;
  }
  const s = stringOf(a);
  if (s !== undefined && s.startsWith('alias/') && keyTextKind(s) === 'customer-managed') return aliases.byName.get(s);
  return undefined;
}

const MAX_WALK_DEPTH = 40;

/** Every key and subnet of the app that a resource's properties refer to. */
function assetUses(r: ResourceHandle, aliases: AliasIndex): AssetUse[] {
  const app = r.stack.app;
  const resolver = r.stack.resolver;
  const out: AssetUse[] = [];
  const seen = new Set<string>();
  const push = (a: Alt, path: string) => {
    const asset = assetOf(app, r.stack, a, aliases);
    if (!asset || asset === r) return;
    const k = `${asset.stack.name}/${asset.logicalId}|${path}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ asset, path });
  };
  const walk = (node: unknown, path: string, depth: number): void => {
    if (depth > MAX_WALK_DEPTH) return;
    if (typeof node === 'string') {
      if (node.startsWith('alias/')) push({ kind: 'value', value: node }, path);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((n, i) => walk(n, path ? `${path}.${i}` : String(i), depth + 1));
      return;
    }
    if (!isPlainObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Fn::GetAtt' || keys[0] === 'Fn::ImportValue')) {
      for (const a of resolver.resolve(r.stack, node)) push(a, path);
      return;
    }
    if (keys.length === 1 && keys[0] === 'Fn::Sub') {
      const arg = node['Fn::Sub'];
      const text = typeof arg === 'string' ? arg : Array.isArray(arg) && typeof arg[0] === 'string' ? arg[0] : undefined;
      const vars = Array.isArray(arg) && isPlainObject(arg[1]) ? arg[1] : {};
      for (const m of (text ?? '').matchAll(/\$\{([^}!][^}]*)\}/g)) {
        const name = m[1].trim();
        if (name.startsWith('AWS::') || Object.prototype.hasOwnProperty.call(vars, name)) continue;
        const i = name.indexOf('.');
        const ref = i < 0 ? { Ref: name } : { 'Fn::GetAtt': [name.slice(0, i), name.slice(i + 1)] };
        for (const a of resolver.resolve(r.stack, ref)) push(a, path);
      }
      walk(vars, path, depth + 1);
      return;
    }
    for (const [k, v] of Object.entries(node)) {
      if (depth === 0 && (k === 'Tags' || k === 'TagSpecifications')) continue;
      walk(v, keys.length === 1 && k.startsWith('Fn::') ? path : path ? `${path}.${k}` : k, depth + 1);
    }
  };
  walk(r.properties, '', 0);
  return out;
}

function useIssues(r: ResourceHandle, uses: readonly AssetUse[]): RuleIssue[] {
  const reading = levelReading(r);
  const issues: RuleIssue[] = [];
  const classified = uses.filter((u) => levelReading(u.asset).alts.some((l) => l.kind === 'value'));
  if (classified.length === 0) return [];
  for (const l of reading.alts) {
    if (l.kind === 'absent') {
      if (!isTaggable(r.type)) continue;
      const u = classified[0];
      issues.push({
        resource: r,
        kind: 'violation',
        location: u.path,
        message: `unclassified resource: it uses ${kindOf(u.asset)} ${where(u.asset)} (level ${levelText(levelReading(u.asset).alts)}) but carries no ${TAG_LEVEL} tag`,
      });
      continue;
    }
    if (l.kind !== 'value') {
      issues.push({ resource: r, kind: 'unverifiable', location: 'Tags', message: `cannot verify that this resource uses keys and subnets of its own level: its level is ${describe(l)}` });
      continue;
    }
    const mine = l.value as number;
    for (const u of classified) {
      for (const al of levelReading(u.asset).alts) {
        if (al.kind !== 'value') continue;
        const theirs = al.value as number;
        if (mayUseLevel(mine, theirs)) continue;
        issues.push({
          resource: r,
          kind: 'violation',
          location: u.path,
          message: `a level-${mine} resource uses ${kindOf(u.asset)} ${where(u.asset)} of level ${theirs} (${u.path}): ${
            theirs > mine ? 'a lower level must not use a higher level\'s keys or subnets' : 'data of a higher level must not sit under a lower level\'s keys or in its subnets'
          }`,
        });
      }
    }
  }
  return issues;
}

// ---------------------------------------------------------------- grants

type Coverage = 'yes' | 'maybe' | 'no';

/** Whether a statement may allow kms:Decrypt. */
function decryptCoverage(st: PolicyStatement): Coverage {
  if (st.effect === 'Deny') return 'no';
  const texts = actionTexts(st);
  const known = texts.filter((t): t is string => t !== undefined && !t.includes('${'));
  const hit = known.some((t) => actionCovers(t, 'kms:Decrypt'));
  const unclear = known.length < texts.length;
  let c: Coverage = st.notAction ? (hit ? 'no' : unclear ? 'maybe' : 'yes') : hit ? 'yes' : unclear ? 'maybe' : 'no';
  if (c === 'yes' && st.effect === undefined) c = 'maybe';
  return c;
}

/** Whether a resource entry of an identity policy may cover every key (`*`, `arn:aws:kms:*:*:key/*`). */
function isKeyWildcard(text: string): boolean {
  if (!text.includes('*')) return false;
  return text === '*' || /^arn:[^:]*:kms:[^:]*:[^:]*:(key\/)?\*?/.test(text) || /^arn:\*/.test(text);
}

interface Grant {
  /** Where the grant is written (a key policy, a policy or a role). */
  readonly holder: ResourceHandle;
  readonly role: ResourceHandle;
  /** The key, or undefined for a wildcard resource that covers every key. */
  readonly key?: ResourceHandle;
  readonly coverage: Coverage;
  readonly via: string;
}

const LISTED_KEYS = 3;

function grantIssues(ctx: RuleContext, aliases: AliasIndex): RuleIssue[] {
  const app = ctx.app;
  const grants: Grant[] = [];

  // Key policies: statements whose principal is a role of the app.
  for (const k of app.resourcesOfType('AWS::KMS::Key')) {
    const doc = readPolicy(k.stack, k.stack.resolver.get(k, 'KeyPolicy'));
    for (const st of doc.statements) {
      const c = decryptCoverage(st);
      if (c === 'no' || st.notPrincipal) continue;
      for (const p of st.principals) {
        if (p.type !== 'AWS' || p.value.kind !== 'ref') continue;
        const role = app.resource(p.value.stack, p.value.logicalId);
        if (role?.type === ROLE_TYPE) grants.push({ holder: k, role, key: k, coverage: c, via: `its key policy${st.sid ? ` (statement ${st.sid})` : ''}` });
      }
    }
  }

  // Identity policies: inline role policies, policies and managed policies attached to roles of the app.
  const rolesOf = (holder: ResourceHandle): ResourceHandle[] => {
    const out: ResourceHandle[] = [];
    for (const a of holder.stack.resolver.items(holder.stack, holder.stack.resolver.get(holder, 'Roles'))) {
      // Roles lists role names: a Ref to a role of the app, possibly through an import.
      const t = a.kind === 'ref' ? app.resource(a.stack, a.logicalId) : undefined;
      if (t?.type === ROLE_TYPE) out.push(t);
    }
    return out;
  };
  const managedRoles = new Map<ResourceHandle, ResourceHandle[]>();
  for (const role of app.resourcesOfType(ROLE_TYPE)) {
    for (const a of role.stack.resolver.items(role.stack, role.stack.resolver.get(role, 'ManagedPolicyArns'))) {
      const mp = a.kind === 'ref' ? app.resource(a.stack, a.logicalId) : undefined;
      if (mp?.type === 'AWS::IAM::ManagedPolicy') managedRoles.set(mp, [...(managedRoles.get(mp) ?? []), role]);
    }
  }
  const fromDocument = (holder: ResourceHandle, docAlts: readonly Alt[], roles: readonly ResourceHandle[], via: string) => {
    if (roles.length === 0) return;
    for (const st of readPolicy(holder.stack, docAlts).statements) {
      const c = decryptCoverage(st);
      if (c === 'no') continue;
      const targets = new Set<ResourceHandle>();
      let wildcard = false;
      for (const res of st.resources) {
        if (st.notResource) break;
        const t = res.kind === 'value' ? stringOf(res) : res.kind === 'unknown' ? res.text : undefined;
        if (t !== undefined && isKeyWildcard(t)) wildcard = true;
        const asset = assetOf(app, holder.stack, res, aliases);
        if (asset && KMS_KEY_TYPES.includes(asset.type)) targets.add(asset);
      }
      for (const role of roles) {
        if (wildcard) grants.push({ holder, role, coverage: c, via });
        else for (const key of targets) grants.push({ holder, role, key, coverage: c, via });
      }
    }
  };
  for (const role of app.resourcesOfType(ROLE_TYPE)) {
    const r = role.stack.resolver;
    for (const p of r.items(role.stack, r.get(role, 'Policies'))) {
      fromDocument(role, r.path(role.stack, [p], ['PolicyDocument']), [role], 'an inline policy of the role');
    }
  }
  for (const pol of app.resourcesOfType('AWS::IAM::Policy')) {
    fromDocument(pol, pol.stack.resolver.get(pol, 'PolicyDocument'), rolesOf(pol), `policy ${where(pol)}`);
  }
  for (const mp of app.resourcesOfType('AWS::IAM::ManagedPolicy')) {
    const roles = [...new Set([...rolesOf(mp), ...(managedRoles.get(mp) ?? [])])];
    fromDocument(mp, mp.stack.resolver.get(mp, 'PolicyDocument'), roles, `managed policy ${where(mp)}`);
  }

  // Classified keys by level, for wildcard grants: O(levels) per grant, not O(keys).
  const keysByLevel = new Map<number, ResourceHandle[]>();
  for (const k of app.resourcesOfType(...KMS_KEY_TYPES)) {
    for (const l of levelReading(k).alts) if (l.kind === 'value') keysByLevel.set(l.value as number, [...(keysByLevel.get(l.value as number) ?? []), k]);
  }
  const issues: RuleIssue[] = [];
  for (const g of grants) {
    const keyLevels = g.key ? levelReading(g.key).alts.filter((l) => l.kind === 'value').map((l) => l.value as number) : [...keysByLevel.keys()];
    if (keyLevels.length === 0) continue; // an unclassified key is reported as such
    const keyText = (levels: readonly number[]) => {
      if (g.key) return `level-${levels.join('/')} key ${where(g.key)}`;
      const ks = levels.flatMap((l) => keysByLevel.get(l) ?? []);
      const more = ks.length > LISTED_KEYS ? ` and ${ks.length - LISTED_KEYS} more` : '';
      return `every key (a wildcard resource), including level-${[...levels].sort((a, b) => a - b).join('/')} key(s) ${ks.slice(0, LISTED_KEYS).map(where).join(', ')}${more}`;
    };
    const prefix = g.coverage === 'yes' ? '' : 'cannot verify: ';
    const kind = g.coverage === 'yes' ? 'violation' : 'unverifiable';
    for (const rl of levelReading(g.role).alts) {
      if (rl.kind === 'absent') {
        issues.push({ resource: g.holder, kind, message: `${prefix}${g.via} lets role ${where(g.role)}, which carries no ${TAG_LEVEL} tag, kms:Decrypt with ${keyText(keyLevels)}` });
        continue;
      }
      if (rl.kind !== 'value') {
        issues.push({ resource: g.holder, kind: 'unverifiable', message: `cannot verify the level of role ${where(g.role)}, which ${g.via} lets decrypt with ${keyText(keyLevels)}: ${describe(rl)}` });
        continue;
      }
      const pl = rl.value as number;
      const higher = keyLevels.filter((kl) => !mayDecryptLevel(pl, kl));
      if (higher.length === 0) continue;
      issues.push({
        resource: g.holder,
        kind,
        message: `${prefix}${g.via} lets level-${pl} role ${where(g.role)} kms:Decrypt with ${keyText(higher)}: a lower level must not decrypt a higher level's data`,
      });
    }
  }
  return issues;
}
