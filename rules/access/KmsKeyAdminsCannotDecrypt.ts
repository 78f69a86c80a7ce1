import type { AppModel, ResourceHandle, StackModel } from '../engine/model';
import { actionCovers, PolicyDocumentView, PolicyStatement } from '../engine/policy';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, stringOf, textOf } from '../engine/values';
import { AccessProblem, conditionPresence, isAccountRootText, problemsToIssues, readableText, readAccessPolicy, textIsWildcard, unresolvedProblem } from './policy-checks';
import { perApp } from '../engine/cache';

/** Actions that change a key's policy, state, lifecycle, aliases, tags or key material: key administration. */
export const KMS_ADMIN_ACTIONS = [
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:UpdateKeyDescription',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ImportKeyMaterial',
  'kms:DeleteImportedKeyMaterial',
  'kms:ReplicateKey',
  'kms:UpdatePrimaryRegion',
] as const;

/**
 * Grant management: administration, except in the AWS default key-user
 * statement where `kms:GrantIsForAWSResource` limits grants to AWS services
 * attaching the key to a resource (EBS, RDS …).
 */
export const KMS_GRANT_ADMIN_ACTIONS = ['kms:CreateGrant', 'kms:RevokeGrant'] as const;

/** The administration actions an action pattern covers. */
export function kmsAdminActionsCovered(pattern: string, grantsForAwsResourcesOnly = false): string[] {
  const admin: readonly string[] = grantsForAwsResourcesOnly ? KMS_ADMIN_ACTIONS : [...KMS_ADMIN_ACTIONS, ...KMS_GRANT_ADMIN_ACTIONS];
  return admin.filter((a) => actionCovers(pattern.trim(), a));
}

/** Whether an action pattern covers kms:Decrypt. */
export function coversKmsDecrypt(pattern: string): boolean {
  return actionCovers(pattern.trim(), 'kms:Decrypt');
}

/** The key types the rule reads. */
const KEY_TYPES = ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'];

/** Stable identity of a principal entry within one policy. */
function principalKey(p: { type: string; value: Alt }): string {
  const v = p.value;
  if (v.kind === 'ref') return `${p.type}|ref|${v.stack}/${v.logicalId}.${v.attribute ?? ''}`;
  return `${p.type}|${textOf(v) ?? describe(v)}`;
}

function principalLabel(p: { type: string; value: Alt }): string {
  return p.type === '*' ? "'*'" : `${p.type} ${describe(p.value)}`;
}

/** What one principal holds on one key: entries are "'action' (where)". */
interface Holding {
  readonly label: string;
  /** The role, user or group of the app the holding belongs to, when it is one (identity-policy holdings). */
  identity?: ResourceHandle;
  /** The identity policies (or roles, users, groups with inline policies) that grant it. */
  readonly sources: ResourceHandle[];
  readonly admin: string[];
  readonly decrypt: string[];
  /** Actions that cannot be read, for principals that may then hold both. */
  readonly unreadable: string[];
  /** A statement granting it has an Effect that cannot be resolved. */
  uncertain: boolean;
  /** The principal cannot be resolved and may be the account root (IAM delegation). */
  maybeRoot: boolean;
  deniedDecrypt: boolean;
}

const newHolding = (label: string): Holding => ({ label, sources: [], admin: [], decrypt: [], unreadable: [], uncertain: false, maybeRoot: false, deniedDecrypt: false });

function holdingOf(map: Map<string, Holding>, id: string, label: string): Holding {
  let h = map.get(id);
  if (!h) map.set(id, (h = newHolding(label)));
  return h;
}

const SHORT: Record<string, string> = { 'AWS::IAM::Role': 'role', 'AWS::IAM::User': 'user', 'AWS::IAM::Group': 'group' };

/**
 * One identity for a role, user or group, however a policy names it: a
 * resource of the app (by its literal name when it has one), or a name.
 */
function identityOf(r: ResourceHandle): Identity {
  const kind = SHORT[r.type];
  const nameProp = kind === 'role' ? 'RoleName' : kind === 'user' ? 'UserName' : 'GroupName';
  const names = r.stack.resolver.get(r, nameProp);
  const name = names.length === 1 && names[0].kind === 'value' ? stringOf(names[0]) : undefined;
  return { id: name !== undefined ? `${kind}:${name}` : `res:${r.stack.name}/${r.logicalId}`, label: `${kind} ${r.logicalId} in stack ${r.stack.name}`, resource: r };
}

/** A principal an identity policy grants to: its identity key, its label, and its resource when it is one of the app. */
interface Identity {
  readonly id: string;
  readonly label: string;
  readonly resource?: ResourceHandle;
}

/** The identity a key-policy principal entry names, when it is a role, user or group of the account. */
function principalIdentity(app: AppModel, stack: StackModel, p: { type: string; value: Alt }): { id: string; label: string } | undefined {
  if (p.type !== 'AWS') return undefined;
  if (p.value.kind === 'ref') {
    const target = app.resource(p.value.stack, p.value.logicalId);
    return target && SHORT[target.type] ? { id: identityOf(target).id, label: principalLabel(p) } : undefined;
  }
  const text = readableText(stack, p.value);
  const m = text === undefined ? null : /^arn:[^:]*:iam::[^:]*:(role|user|group)\/(?:.*\/)?([^/]+)$/.exec(text.replace(/\$\{[^}]*\}/g, '0'));
  return m ? { id: `${m[1]}:${m[2]}`, label: principalLabel(p) } : undefined;
}

/** Add the kms actions of one statement to a holding. */
function addActions(stack: StackModel, h: Holding, st: PolicyStatement, where: string): void {
  if (st.effect === 'Deny') {
    const unconditioned = conditionPresence(stack, st) === 'never';
    const decrypts = st.actions.some((a) => {
      const t = readableText(stack, a);
      return t !== undefined && coversKmsDecrypt(t);
    });
    if (!st.notAction && unconditioned && decrypts) h.deniedDecrypt = true;
    return;
  }
  if (st.effect === undefined) h.uncertain = true;
  const grantsForAws = st.conditionKeys?.has('kms:grantisforawsresource') ?? false;
  if (st.notAction) {
    // Allow with NotAction: everything except the listed actions.
    const excluded = st.actions.map((a) => readableText(stack, a));
    if (!excluded.some((t) => t !== undefined && coversKmsDecrypt(t))) h.decrypt.push(`NotAction${where}`);
    if (KMS_ADMIN_ACTIONS.some((a) => !excluded.some((t) => t !== undefined && actionCovers(t, a)))) h.admin.push(`NotAction${where}`);
    return;
  }
  for (const a of st.actions) {
    const t = readableText(stack, a);
    if (t === undefined) {
      h.unreadable.push(describe(a));
      continue;
    }
    if (kmsAdminActionsCovered(t, grantsForAws).length > 0) h.admin.push(`'${t}'${where}`);
    if (coversKmsDecrypt(t)) h.decrypt.push(`'${t}'${where}`);
  }
}

/** kms holdings granted by identity policies of the app, per key (`res:stack/id`) or for every key (`*`). */
type IamKmsIndex = Map<string, Map<string, Holding>>;

const identityKmsIndex = perApp((app: AppModel): IamKmsIndex => {
  const index: IamKmsIndex = new Map();
  const res = app.resolver;
  const live = (r: ResourceHandle) => res.exists(r) !== 'never';

  // Who each customer managed policy is attached to through ManagedPolicyArns.
  const attachedTo = new Map<string, ResourceHandle[]>();
  const holders = app.resourcesOfType('AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group').filter(live);
  for (const h of holders) {
    for (const { target } of res.targets(res.items(h.stack, res.get(h, 'ManagedPolicyArns')))) {
      if (target?.type !== 'AWS::IAM::ManagedPolicy') continue;
      const k = `${target.stack.name}/${target.logicalId}`;
      let l = attachedTo.get(k);
      if (!l) attachedTo.set(k, (l = []));
      l.push(h);
    }
  }

  const identitiesIn = (r: ResourceHandle, prop: string, kind: string): Identity[] => {
    const out: Identity[] = [];
    for (const { alt, target } of res.targets(res.items(r.stack, res.get(r, prop)))) {
      if (target && SHORT[target.type]) out.push(identityOf(target));
      else if (alt.kind === 'value' && stringOf(alt) !== undefined) out.push({ id: `${kind}:${stringOf(alt)}`, label: `${kind} '${stringOf(alt)}'` });
    }
    return out;
  };

  const record = (r: ResourceHandle, who: readonly Identity[], docAlts: readonly Alt[], location: string) => {
    if (who.length === 0) return;
    const view = readAccessPolicy(r.stack, docAlts);
    const where = ` via ${r.logicalId}${location} in stack ${r.stack.name}`;
    for (const st of view.statements) {
      for (const k of keyTargets(app, r.stack, st)) {
        let m = index.get(k);
        if (!m) index.set(k, (m = new Map()));
        for (const w of who) {
          const h = holdingOf(m, w.id, w.label);
          h.identity ??= w.resource;
          if (!h.sources.includes(r)) h.sources.push(r);
          addActions(r.stack, h, st, where);
        }
      }
    }
  };

  for (const r of app.resourcesOfType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy').filter(live)) {
    const who = [...identitiesIn(r, 'Roles', 'role'), ...identitiesIn(r, 'Users', 'user'), ...identitiesIn(r, 'Groups', 'group')];
    if (r.type === 'AWS::IAM::ManagedPolicy') who.push(...(attachedTo.get(`${r.stack.name}/${r.logicalId}`) ?? []).map(identityOf));
    record(r, who, res.get(r, 'PolicyDocument'), '');
  }
  const single = [
    ['AWS::IAM::RolePolicy', 'RoleName', 'role'],
    ['AWS::IAM::UserPolicy', 'UserName', 'user'],
    ['AWS::IAM::GroupPolicy', 'GroupName', 'group'],
  ] as const;
  for (const [type, prop, kind] of single) {
    for (const r of app.resourcesOfType(type).filter(live)) record(r, identitiesIn(r, prop, kind), res.get(r, 'PolicyDocument'), '');
  }
  for (const h of holders) {
    res.items(h.stack, res.get(h, 'Policies')).forEach((p, i) => record(h, [identityOf(h)], res.path(h.stack, [p], ['PolicyDocument']), `.Policies.${i}`));
  }
  return index;
});

const STAR_ON_ITS_OWN = new WeakMap<IamKmsIndex, Array<[string, Holding]>>();

/** Principals whose grants on every key already hold both administration and decrypt (or cannot be read). */
function starOnItsOwn(index: IamKmsIndex): Array<[string, Holding]> {
  let out = STAR_ON_ITS_OWN.get(index);
  if (!out) {
    out = [...(index.get('*') ?? [])].filter(([, h]) => (h.admin.length > 0 && h.decrypt.length > 0 && !h.deniedDecrypt) || h.unreadable.length > 0);
    STAR_ON_ITS_OWN.set(index, out);
  }
  return out;
}

/** The keys an identity-policy statement's resources reach: a key of the app, or every key (`*`, `arn:…:key/*`). */
function keyTargets(app: AppModel, stack: StackModel, st: PolicyStatement): string[] {
  if (st.notResource) return ['*'];
  const out = new Set<string>();
  for (const { alt, target } of app.resolver.targets(st.resources)) {
    if (target) {
      if (target.type === 'AWS::KMS::Key' || target.type === 'AWS::KMS::ReplicaKey') out.add(`res:${target.stack.name}/${target.logicalId}`);
      continue;
    }
    const text = readableText(stack, alt);
    if (text !== undefined && (textIsWildcard(stack, text) === 'yes' || /:key\/\*$/.test(text))) out.add('*');
  }
  return [...out];
}

/**
 * SRM-IIP-ACC-07 (separation of duties): no principal that holds key
 * administration (kms:PutKeyPolicy, kms:ScheduleKeyDeletion, kms:Disable*,
 * kms:Update*, kms:Create* …, or kms:*) on a key also holds kms:Decrypt on
 * it. Permissions are summed per principal over the key policy's Allow
 * statements and, when the key policy delegates to IAM (the account-root
 * statement, or no KeyPolicy at all, which is AWS's default), over the
 * identity policies of the app that grant on this key's ARN or on every key
 * (`*`): CDK's `new kms.Key(…, { admins })` and `key.grantDecrypt()` write
 * same-account grants into the role's policy, not the key policy. An
 * unconditioned Deny of kms:Decrypt to the same principal removes it.
 *
 * The account root: CDK's default key policy (and the AWS console's) grants
 * `kms:*` to `arn:…:iam::<account>:root`. That statement hands the key to
 * the account's IAM policies, which is AWS's recommended default; it names
 * no administrator. Root principals (of any account: each delegates to that
 * account's IAM) are therefore exempt, and the rule judges the named roles,
 * users and services: a named principal holding both is a violation even
 * when the root statement is there. Identity-policy actions or resources
 * that cannot be resolved are left to IamPolicyNoWildcardGrants.
 *
 * Findings are per key for what a key policy grants and for grants on that
 * key's ARN (with the principal's grants on every key added to them). A
 * principal whose grants on every key (`Resource: '*'`, `arn:…:key/*`)
 * hold both on their own is reported once, on its role, user or group (or
 * the granting policy when the principal is not a resource of the app),
 * naming the keys of the app that delegate to IAM, instead of once per key:
 * a wildcard role in an app with hundreds of keys is one mistake.
 */
export const KmsKeyAdminsCannotDecrypt: SrmIipRule = {
  id: 'KmsKeyAdminsCannotDecrypt',
  controlId: 'SRM-IIP-ACC-07',
  summary: 'No principal holds both key administration and kms:Decrypt on a KMS key (account-root IAM delegation excepted)',
  resourceTypes: KEY_TYPES,
  check(r, ctx) {
    const location = 'KeyPolicy';
    const stack = r.stack;
    const { view, held, delegates } = keyPolicyHoldings(ctx.app, r);
    if (delegates) {
      const index = identityKmsIndex(ctx.app);
      const star = index.get('*');
      const merge = (id: string, from: Holding) => {
        const h = holdingOf(held, id, from.label);
        h.admin.push(...from.admin);
        h.decrypt.push(...from.decrypt);
        h.uncertain ||= from.uncertain;
        h.deniedDecrypt ||= from.deniedDecrypt;
      };
      // Grants on every key count here together with this key's own grants and key-policy statements; grants on
      // every key that hold both on their own are reported once per principal by checkApp, not once per key.
      for (const id of held.keys()) if (star?.has(id)) merge(id, star.get(id)!);
      for (const [id, from] of index.get(`res:${stack.name}/${r.logicalId}`) ?? []) {
        const fresh = !held.has(id);
        merge(id, from);
        if (fresh && star?.has(id)) merge(id, star.get(id)!);
      }
    }
    const problems: AccessProblem[] = [...unresolvedProblem(view, location), ...judgeHoldings(held, location)];
    return problemsToIssues(r, location, problems);
  },
  checkApp(ctx) {
    const alone = starOnItsOwn(identityKmsIndex(ctx.app));
    if (alone.length === 0) return [];
    const keys = ctx.app.resourcesOfType(...KEY_TYPES).filter((k) => ctx.resolver.exists(k) !== 'never' && keyPolicyHoldings(ctx.app, k).delegates);
    if (keys.length === 0) return [];
    const reach = reachedKeys(keys);
    const issues: RuleIssue[] = [];
    for (const [, h] of alone) {
      const problem = judgeEveryKey(h, reach);
      if (!problem) continue;
      // On the role, user or group when it is one of the app, else on the first policy that grants it.
      const resource = h.identity ?? h.sources[0];
      issues.push({ resource, kind: problem.kind, message: problem.message, location: h.identity ? undefined : 'PolicyDocument' });
    }
    return issues;
  },
};

interface KeyPolicyHoldings {
  readonly view: PolicyDocumentView;
  /** Per principal named in the key policy (account roots excepted): what the key policy grants it. */
  readonly held: Map<string, Holding>;
  /** The key policy hands the key to the account's IAM policies (a root statement, or no key policy at all). */
  readonly delegates: boolean;
}

/** What a key's own policy grants, per principal, and whether it delegates to IAM. A fresh map on every call: check adds to it. */
function keyPolicyHoldings(app: AppModel, r: ResourceHandle): KeyPolicyHoldings {
  const stack = r.stack;
  const policyAlts = stack.resolver.get(r, 'KeyPolicy');
  const view = readAccessPolicy(stack, policyAlts);
  const held = new Map<string, Holding>();
  let delegates = policyAlts.every((a) => a.kind === 'absent');
  for (const st of view.statements) {
    if (st.notPrincipal) continue; // a NotPrincipal Allow is public: KmsKeyPolicyNotPublic's case
    for (const p of st.principals) {
      const text = p.value.kind === 'ref' ? undefined : readableText(stack, p.value);
      if (p.type === 'AWS' && text !== undefined && isAccountRootText(text)) {
        if (st.effect !== 'Deny') delegates = true;
        continue;
      }
      const ident = principalIdentity(app, stack, p);
      const h = holdingOf(held, ident?.id ?? principalKey(p), ident?.label ?? principalLabel(p));
      if (p.type !== 'Service' && p.value.kind !== 'ref' && text === undefined) h.maybeRoot = true;
      addActions(stack, h, st, '');
    }
  }
  return { view, held, delegates };
}

/** "the 2 keys of the app whose key policy delegates to IAM (K1 in stack A, K2 in stack B)", naming at most three. */
function reachedKeys(keys: readonly ResourceHandle[]): string {
  const named = keys.slice(0, 3).map((k) => `${k.logicalId} in stack ${k.stack.name}`);
  const more = keys.length > 3 ? ` and ${keys.length - 3} more` : '';
  return keys.length === 1
    ? `the key of the app whose key policy delegates to IAM (${named[0]})`
    : `the ${keys.length} keys of the app whose key policies delegate to IAM (${named.join(', ')}${more})`;
}

/** The problem of a principal whose grants on every key (Resource `*`) on their own hold both, or cannot be read. */
function judgeEveryKey(h: Holding, reach: string): AccessProblem | undefined {
  const decrypt = h.deniedDecrypt ? [] : h.decrypt;
  const both = h.admin.length > 0 && decrypt.length > 0;
  const desc = `key administration (${[...new Set(h.admin)].join(', ')}) and kms:Decrypt (${[...new Set(decrypt)].join(', ')})`;
  if (both && !h.uncertain) {
    return { kind: 'violation', message: `principal ${h.label} may administer and decrypt every KMS key (grants on Resource '*' or key/*): it holds both ${desc} on every key, which reaches ${reach}; key administrators must not be able to decrypt` };
  }
  if (both) {
    return { kind: 'unverifiable', message: `cannot verify that principal ${h.label} cannot administer and decrypt every KMS key (grants on Resource '*' or key/*): it may hold both ${desc} on every key (a statement granting it has an Effect that cannot be resolved), which reaches ${reach}` };
  }
  if (!h.deniedDecrypt && h.unreadable.length > 0) {
    return {
      kind: 'unverifiable',
      message: `cannot verify that principal ${h.label} cannot administer and decrypt every KMS key (grants on Resource '*' or key/*): it has actions on every key that cannot be resolved (${[...new Set(h.unreadable)].join(', ')}), which reaches ${reach}`,
    };
  }
  return undefined;
}

function judgeHoldings(held: ReadonlyMap<string, Holding>, location: string): AccessProblem[] {
  const out: AccessProblem[] = [];
  for (const h of held.values()) {
    const decrypt = h.deniedDecrypt ? [] : h.decrypt;
    const both = h.admin.length > 0 && decrypt.length > 0;
    const desc = `administration (${[...new Set(h.admin)].join(', ')}) and kms:Decrypt (${[...new Set(decrypt)].join(', ')})`;
    if (both && !h.uncertain && !h.maybeRoot) {
      out.push({ kind: 'violation', message: `${location}: principal ${h.label} holds both key ${desc}; key administrators must not be able to decrypt` });
    } else if (both) {
      const why = h.maybeRoot ? 'it cannot be resolved and may be the account root' : 'a statement granting it has an Effect that cannot be resolved';
      out.push({ kind: 'unverifiable', message: `cannot verify ${location}: principal ${h.label} may hold both key ${desc} (${why})` });
    } else if (!h.deniedDecrypt && h.unreadable.length > 0) {
      out.push({
        kind: 'unverifiable',
        message: `cannot verify ${location}: principal ${h.label} has actions that cannot be resolved (${[...new Set(h.unreadable)].join(', ')}), so it may hold both key administration and kms:Decrypt`,
      });
    }
  }
  return out;
}
