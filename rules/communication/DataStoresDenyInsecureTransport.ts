import type { ResourceHandle, StackModel } from '../engine/model';
import { actionCovers, isPublicPrincipal, PolicyStatement, readStatementObject } from '../engine/policy';
import type { RuleContext, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, boolOf, describe, isPlainObject, judgeAll, stringOf, value, Verdict } from '../engine/values';
import { allOf, anyOf, existsWhenever, ResourceForms, resourceEntryCovers } from './resource-match';

/** A store type, the policy resources that can protect it, and how a statement names it. */
interface StoreSpec {
  readonly storeType: string;
  /** Noun for messages: "bucket". */
  readonly noun: string;
  /** The action the deny must cover (a pattern matching it, such as `s3:*` or `*`, covers it). */
  readonly action: string;
  /** What the deny's Resource must cover, in words. */
  readonly resourceWords: string;
  readonly nameProperty: string;
  readonly policies: ReadonlyArray<{ readonly type: string; readonly target: string; readonly list: boolean }>;
  readonly refAttributes: ReadonlyArray<string | undefined>;
  /** Texts that name the covered resource, given its logical ID, literal name, region and account. */
  texts(logicalId: string, name: string | undefined, region: string, account: string): string[];
  /** The store name inside a literal reference (bucket name, queue URL, topic ARN). */
  nameFromLiteral(s: string): string;
}

const REGIONS = (region?: string) => ['${AWS::Region}', ...(region ? [region] : [])];
const ACCOUNTS = (account?: string) => ['${AWS::AccountId}', ...(account ? [account] : [])];

const STORES: readonly StoreSpec[] = [
  {
    storeType: 'AWS::S3::Bucket',
    noun: 'bucket',
    action: 's3:*',
    resourceWords: "the bucket's objects (its ARN followed by /*)",
    nameProperty: 'BucketName',
    policies: [{ type: 'AWS::S3::BucketPolicy', target: 'Bucket', list: false }],
    refAttributes: [],
    // An object key stands in for "any object"; a pattern such as `${Bucket.Arn}/*` or `*` matches it.
    texts: (id, name) => [`\${${id}.Arn}/any-object-key`, `arn:aws:s3:::\${${id}}/any-object-key`, ...(name ? [`arn:aws:s3:::${name}/any-object-key`] : [])],
    nameFromLiteral: (s) => s.replace(/^arn:[^:]*:s3:::/, ''),
  },
  {
    storeType: 'AWS::SQS::Queue',
    noun: 'queue',
    action: 'sqs:*',
    resourceWords: 'the queue ARN',
    nameProperty: 'QueueName',
    policies: [
      { type: 'AWS::SQS::QueuePolicy', target: 'Queues', list: true },
      { type: 'AWS::SQS::QueueInlinePolicy', target: 'Queue', list: false },
    ],
    refAttributes: ['Arn'],
    texts: (id, name, region, account) => [
      `\${${id}.Arn}`,
      `arn:aws:sqs:${region}:${account}:\${${id}.QueueName}`,
      ...(name ? [`arn:aws:sqs:${region}:${account}:${name}`] : []),
    ],
    nameFromLiteral: (s) => s.split('/').filter((p) => p !== '').pop() ?? s,
  },
  {
    storeType: 'AWS::SNS::Topic',
    noun: 'topic',
    action: 'sns:Publish',
    resourceWords: 'the topic ARN',
    nameProperty: 'TopicName',
    policies: [
      { type: 'AWS::SNS::TopicPolicy', target: 'Topics', list: true },
      { type: 'AWS::SNS::TopicInlinePolicy', target: 'TopicArn', list: false },
    ],
    refAttributes: [undefined, 'TopicArn'],
    texts: (id, name, region, account) => [
      `\${${id}}`,
      `\${${id}.TopicArn}`,
      `arn:aws:sns:${region}:${account}:\${${id}.TopicName}`,
      ...(name ? [`arn:aws:sns:${region}:${account}:${name}`] : []),
    ],
    nameFromLiteral: (s) => s.split(':').pop() ?? s,
  },
];

/** The only condition a transport deny may carry: `Bool`/`BoolIfExists` `aws:SecureTransport` = false. */
export function isInsecureTransportCondition(operator: string, key: string, values: ReadonlyArray<string | boolean>): boolean {
  const op = operator.toLowerCase();
  return (
    (op === 'bool' || op === 'boolifexists') &&
    key.toLowerCase() === 'aws:securetransport' &&
    values.length > 0 &&
    values.every((v) => v === false || (typeof v === 'string' && v.toLowerCase() === 'false'))
  );
}

/** Whether an action pattern of a deny covers the action the store needs denied (`s3:*` needs `s3:*` or `*`). */
export function denyActionCovers(pattern: string, requiredAction: string): boolean {
  return actionCovers(pattern, requiredAction);
}

/** One policy resource that may protect a store. */
interface Provider {
  readonly policy: ResourceHandle;
  /** Tied to the store for certain: the policy always exists and names the store in every branch. */
  readonly certain: boolean;
}

interface DocJudgement {
  readonly verdict: Verdict;
  /** Some branch holds the deny and another does not. */
  readonly someBranchPasses: boolean;
  readonly unknownWhy?: string;
}

/**
 * SRM-IIP-COM-01: S3 buckets, SQS queues and SNS topics refuse requests that
 * do not use TLS, through a resource policy that denies
 * `aws:SecureTransport = false` for everyone. This is what CDK's
 * `enforceSSL: true` writes.
 */
export const DataStoresDenyInsecureTransport: SrmIipRule = {
  id: 'DataStoresDenyInsecureTransport',
  controlId: 'SRM-IIP-COM-01',
  summary: 'S3 buckets, SQS queues and SNS topics have a resource policy that denies every request made without TLS (aws:SecureTransport = false)',
  resourceTypes: STORES.flatMap((s) => [s.storeType, ...s.policies.map((p) => p.type)]),
  checkApp(ctx) {
    const issues: RuleIssue[] = [];
    for (const spec of STORES) issues.push(...checkStores(ctx, spec));
    return issues;
  },
};

function storeKey(stack: string, logicalId: string): string {
  return `${stack}\u0000${logicalId}`;
}

function literalName(r: ResourceHandle, property: string): string | undefined {
  const alts = r.stack.resolver.get(r, property);
  return alts.length === 1 && alts[0].kind === 'value' ? stringOf(alts[0]) : undefined;
}

/** A name computed by one expression (`Fn::Sub ${AppName}-logs`), as text; the same text in the same stack is the same name. */
function computedName(r: ResourceHandle, property: string): string | undefined {
  const alts = r.stack.resolver.get(r, property);
  return alts.length === 1 && alts[0].kind === 'unknown' ? alts[0].text : undefined;
}

function checkStores(ctx: RuleContext, spec: StoreSpec): RuleIssue[] {
  const { app, resolver } = ctx;
  const stores = app.resourcesOfType(spec.storeType).filter((r) => resolver.exists(r) !== 'never');
  if (stores.length === 0) return [];

  const byKey = new Map<string, ResourceHandle>();
  const byName = new Map<string, ResourceHandle[]>();
  // Stores whose name is set but computed (a parameter, Fn::Sub): a literal elsewhere may name them,
  // and the same expression in the same stack certainly does.
  const computedNames: ResourceHandle[] = [];
  const byComputed = new Map<string, ResourceHandle[]>();
  for (const s of stores) {
    byKey.set(storeKey(s.stack.name, s.logicalId), s);
    const name = literalName(s, spec.nameProperty);
    if (name !== undefined) byName.set(name, [...(byName.get(name) ?? []), s]);
    else if (resolver.get(s, spec.nameProperty).some((a) => a.kind !== 'absent')) computedNames.push(s);
    const text = computedName(s, spec.nameProperty);
    if (text !== undefined) byComputed.set(storeKey(s.stack.name, text), [...(byComputed.get(storeKey(s.stack.name, text)) ?? []), s]);
  }

  // Which store each element of a policy's target list denotes: a store key, or undefined when unknown.
  const denote = (a: Alt, from: StackModel): { key?: string; unknownWhy?: string; other?: true } => {
    if (a.kind === 'ref') {
      return byKey.has(storeKey(a.stack, a.logicalId)) ? { key: storeKey(a.stack, a.logicalId) } : { other: true };
    }
    if (a.kind === 'value') {
      const s = stringOf(a);
      const hits = s === undefined ? [] : byName.get(spec.nameFromLiteral(s)) ?? [];
      if (hits.length === 1) return { key: storeKey(hits[0].stack.name, hits[0].logicalId) };
      if (hits.length > 1) return { unknownWhy: `'${s}' names more than one ${spec.noun} of the app` };
      // A literal naming no store of the app protects a store outside it, unless a store's name is computed.
      return computedNames.length === 0
        ? { other: true }
        : { unknownWhy: `'${s}' may be the computed name of ${spec.noun} ${computedNames[0].logicalId} in stack ${computedNames[0].stack.name}` };
    }
    if (a.kind === 'absent') return { other: true };
    const same = a.kind === 'unknown' && a.text !== undefined ? byComputed.get(storeKey(from.name, spec.nameFromLiteral(a.text))) ?? byComputed.get(storeKey(from.name, a.text)) : undefined;
    if (same && same.length === 1) return { key: storeKey(same[0].stack.name, same[0].logicalId) };
    return { unknownWhy: describe(a) };
  };

  const providers = new Map<string, Provider[]>();
  const unresolved: Array<{ policy: ResourceHandle; why: string }> = [];
  for (const pt of spec.policies) {
    for (const p of app.resourcesOfType(pt.type)) {
      const exists = resolver.exists(p);
      if (exists === 'never') continue;
      const alts = resolver.get(p, pt.target);
      const branches: Alt[][][] = pt.list
        ? resolver.branches(p.stack, alts).map((b) => (b.kind === 'list' ? b.elements.map((e) => [...e]) : [[b.alt]]))
        : [[alts]];
      const mentioned = new Set<string>();
      const certainPerBranch: Array<Set<string>> = [];
      for (const elements of branches) {
        const certainHere = new Set<string>();
        for (const el of elements) {
          const ds = el.map((a) => denote(a, p.stack));
          for (const d of ds) {
            if (d.key) mentioned.add(d.key);
            if (d.unknownWhy) unresolved.push({ policy: p, why: d.unknownWhy });
          }
          if (ds.length > 0 && ds.every((d) => d.key !== undefined && d.key === ds[0].key)) certainHere.add(ds[0].key!);
        }
        certainPerBranch.push(certainHere);
      }
      for (const key of mentioned) {
        const certain = existsWhenever(p, byKey.get(key)!) && certainPerBranch.length > 0 && certainPerBranch.every((s) => s.has(key));
        providers.set(key, [...(providers.get(key) ?? []), { policy: p, certain }]);
      }
    }
  }

  const policyWords = spec.policies.map((p) => p.type).join(' or ');
  const denyWords = `a Deny statement for Principal * on ${spec.action} (or a wildcard covering it) over ${spec.resourceWords} with the single condition Bool aws:SecureTransport = false`;
  const issues: RuleIssue[] = [];
  for (const store of stores) {
    const key = storeKey(store.stack.name, store.logicalId);
    const mine = providers.get(key) ?? [];
    const unresolvedWords = unresolved.length
      ? `; ${unresolved
          .slice(0, 3)
          .map((u) => `${u.policy.type} ${u.policy.logicalId} in stack ${u.policy.stack.name} names a ${spec.noun} that cannot be resolved (${u.why})`)
          .join('; ')}`
      : '';
    if (mine.length === 0) {
      if (unresolved.length > 0) {
        issues.push({ resource: store, kind: 'unverifiable', message: `cannot verify that the ${spec.noun} refuses unencrypted transport: no ${policyWords} names it for certain${unresolvedWords}` });
      } else {
        issues.push({
          resource: store,
          kind: 'violation',
          message: `${spec.noun} ${store.logicalId} in stack ${store.stack.name} has no ${policyWords}, so it accepts requests without TLS; add ${denyWords} (CDK: enforceSSL: true)`,
        });
      }
      continue;
    }
    const judged = mine.map((pr) => ({ pr, j: judgeDocument(ctx, pr.policy, spec, store) }));
    if (judged.some(({ pr, j }) => pr.certain && j.verdict === 'pass')) continue;
    const maybe = judged.filter(({ pr, j }) => j.verdict === 'unknown' || (j.verdict === 'pass' && !pr.certain));
    if (maybe.length > 0 || unresolved.length > 0) {
      const why = maybe
        .map(({ pr, j }) =>
          j.verdict === 'unknown'
            ? `${pr.policy.type} ${pr.policy.logicalId} in stack ${pr.policy.stack.name} cannot be read (${j.unknownWhy ?? 'unresolved values'})`
            : `${pr.policy.type} ${pr.policy.logicalId} in stack ${pr.policy.stack.name} holds the deny but applies to the ${spec.noun} only under a condition (${pr.policy.condition ? `resource condition ${pr.policy.condition}` : 'Fn::If in its target list'})`,
        )
        .join('; ');
      issues.push({ resource: store, kind: 'unverifiable', message: `cannot verify that the ${spec.noun} refuses unencrypted transport: ${why || 'no policy is tied to it for certain'}${unresolvedWords}` });
      continue;
    }
    const names = judged
      .map(({ pr, j }) => `${pr.policy.type} ${pr.policy.logicalId} in stack ${pr.policy.stack.name}${j.someBranchPasses ? ' (in at least one Fn::If branch)' : ''}`)
      .join(', ');
    issues.push({
      resource: store,
      kind: 'violation',
      message: `${spec.noun} ${store.logicalId} in stack ${store.stack.name} accepts requests without TLS: ${names} lacks ${denyWords}`,
    });
  }
  return issues;
}

function judgeDocument(ctx: RuleContext, policy: ResourceHandle, spec: StoreSpec, store: ResourceHandle): DocJudgement {
  const { resolver } = ctx;
  const stack = policy.stack;
  const forms: ResourceForms = {
    stack: store.stack.name,
    logicalId: store.logicalId,
    refAttributes: spec.refAttributes,
    texts: REGIONS(store.stack.region).flatMap((rg) =>
      ACCOUNTS(store.stack.account).flatMap((ac) => spec.texts(store.logicalId, literalName(store, spec.nameProperty) ?? computedName(store, spec.nameProperty), rg, ac)),
    ),
  };
  const verdicts: Verdict[] = [];
  let unknownWhy: string | undefined;
  for (let doc of resolver.get(policy, 'PolicyDocument')) {
    if (doc.kind === 'value' && typeof doc.value === 'string') {
      try {
        doc = value(JSON.parse(doc.value));
      } catch {
        verdicts.push('fail');
        continue;
      }
    }
    if (doc.kind === 'absent') {
      verdicts.push('fail');
      continue;
    }
    if (doc.kind !== 'value' || !isPlainObject(doc.value)) {
      unknownWhy ??= `PolicyDocument is ${describe(doc)}`;
      verdicts.push(doc.kind === 'value' ? 'fail' : 'unknown');
      continue;
    }
    for (const b of resolver.branches(stack, resolver.path(stack, [doc], ['Statement']))) {
      const elements = b.kind === 'list' ? b.elements : [[b.alt]];
      const v = anyOf(elements, (el) => judgeAll(el, (a) => judgeStatement(ctx, stack, a, spec, forms)).verdict);
      if (v === 'unknown') unknownWhy ??= 'a statement holds values that cannot be resolved';
      verdicts.push(v);
    }
  }
  const verdict = verdicts.length === 0 ? 'fail' : allOf(verdicts);
  return { verdict, someBranchPasses: verdict === 'fail' && verdicts.includes('pass'), unknownWhy };
}

function judgeStatement(ctx: RuleContext, stack: StackModel, a: Alt, spec: StoreSpec, forms: ResourceForms): Verdict {
  if (a.kind === 'absent') return 'fail';
  if (a.kind !== 'value') return 'unknown';
  if (!isPlainObject(a.value)) return 'fail';
  const st: PolicyStatement | undefined = readStatementObject(stack, a.value)[0];
  if (!st) return 'unknown';
  if (st.notAction || st.notPrincipal || st.notResource) return 'fail';
  const effect: Verdict = st.effect === 'Deny' ? 'pass' : st.effect === 'Allow' || st.effectUnknown?.kind === 'value' || st.effectUnknown?.kind === 'absent' ? 'fail' : 'unknown';
  const principal = anyOf(st.principals, (p) => (isPublicPrincipal(p) ? 'pass' : p.value.kind === 'value' && p.type !== '?' ? 'fail' : 'unknown'));
  const action = anyOf(st.actions, (x) => {
    const t = x.kind === 'value' ? stringOf(x) : undefined;
    if (t !== undefined) return denyActionCovers(t, spec.action) ? 'pass' : 'fail';
    return x.kind === 'absent' ? 'fail' : 'unknown';
  });
  const resource = anyOf(st.resources, (x) => resourceEntryCovers(ctx.app, x, forms));
  const condition = judgeAll(st.condition, (c) => judgeCondition(stack, c)).verdict;
  return allOf([effect, principal, action, resource, condition]);
}

function judgeCondition(stack: StackModel, c: Alt): Verdict {
  if (c.kind === 'absent') return 'fail';
  if (c.kind !== 'value') return 'unknown';
  if (!isPlainObject(c.value)) return 'fail';
  const resolver = stack.resolver;
  const entries: Array<{ op: string; key: string; values: Alt[] }> = [];
  for (const op of Object.keys(c.value)) {
    for (const block of resolver.path(stack, [c], [op])) {
      if (block.kind === 'absent') continue;
      if (block.kind !== 'value') return 'unknown';
      if (!isPlainObject(block.value)) return 'fail';
      for (const key of Object.keys(block.value)) entries.push({ op, key, values: resolver.path(stack, [block], [key]) });
    }
  }
  // Any further condition narrows the deny to some requests only.
  if (entries.length !== 1) return 'fail';
  const [{ op, key, values }] = entries;
  return judgeAll(values, (v) => {
    if (v.kind !== 'value') return v.kind === 'absent' ? 'fail' : 'unknown';
    const list = Array.isArray(v.value) ? resolver.items(stack, [v]) : [v];
    if (list.some((x) => x.kind !== 'value')) return 'unknown';
    const bools = list.map((x) => boolOf(x) ?? 'not-a-boolean');
    return isInsecureTransportCondition(op, key, bools) ? 'pass' : 'fail';
  }).verdict;
}
