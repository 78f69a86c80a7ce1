import type { AppModel, ResourceHandle, StackModel } from './model';
import { ABSENT, Alt, describe, isPlainObject, textOf, unknown, value } from './values';

/** How deep an expression may nest before it is reported instead of followed (guards cycles). */
const MAX_DEPTH = 48;
/** Alternatives kept per expression; past this a value is reported as unverifiable, not guessed. */
export const MAX_ALTERNATIVES = 128;

const PSEUDO: Record<string, string> = {
  'AWS::Region': 'the deployment region',
  'AWS::AccountId': 'the deployment account',
  'AWS::Partition': 'the deployment partition',
  'AWS::StackName': 'the stack name',
  'AWS::StackId': 'the stack ID',
  'AWS::URLSuffix': 'the domain suffix of the partition',
  'AWS::NotificationARNs': 'the stack notification ARNs',
};

/** One list as a template may write it: its elements, each with its own alternatives. */
export type ListBranch =
  | { readonly kind: 'list'; readonly elements: readonly (readonly Alt[])[] }
  | { readonly kind: 'other'; readonly alt: Alt };

/**
 * Resolves CloudFormation expressions into alternatives (see values.ts).
 * It never throws on a template's content: what it cannot evaluate becomes an
 * `unknown` alternative that names the reason.
 */
export class Resolver {
  /** Per stack: the same expression object may sit in two templates and mean different things there. */
  private readonly memo = new Map<StackModel, WeakMap<object, Alt[]>>();
  private readonly conditionMemo = new Map<StackModel, Map<string, boolean | undefined>>();

  constructor(private readonly app: AppModel) {}

  /** Alternatives of a property path of a resource: `get(r, 'BucketEncryption', 'ServerSideEncryptionConfiguration')`. */
  public get(r: ResourceHandle, ...path: Array<string | number>): Alt[] {
    return path.length === 0 ? [value(r.properties)] : this.follow(r.stack, undefined, r.properties, path);
  }

  /** Follow a path from given alternatives, resolving intrinsics at every step. */
  public path(stack: StackModel, start: readonly Alt[], path: ReadonlyArray<string | number>): Alt[] {
    return path.length === 0 ? [...start] : this.follow(stack, start, undefined, path);
  }

  /**
   * `path` from `start`, or (when `start` is undefined) from the one concrete
   * value `from`. One alternative that is a concrete value, the common case,
   * is stepped into without intermediate lists. The result is always a list
   * the caller owns: a memoized list of `resolve` is copied.
   */
  private follow(stack: StackModel, start: readonly Alt[] | undefined, from: unknown, path: ReadonlyArray<string | number>): Alt[] {
    let cur: readonly Alt[] | undefined = start;
    let shared = false;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (cur === undefined || (cur.length === 1 && cur[0].kind === 'value')) {
        const child = childOf(cur === undefined ? from : (cur[0] as { value: unknown }).value, seg);
        cur = this.resolve(stack, child);
        shared = typeof child === 'object' && child !== null && !Array.isArray(child);
        if (cur.length >= 2) {
          cur = dedupe(cur as Alt[]);
          shared = false;
        }
        continue;
      }
      const next: Alt[] = [];
      for (const a of cur) {
        if (a.kind === 'value') {
          for (const x of this.resolve(stack, childOf(a.value, seg))) next.push(x);
        } else if (a.kind === 'absent') {
          next.push(ABSENT);
        } else if (a.kind === 'unknown') {
          next.push(unknown(a.reason));
        } else {
          next.push(unknown(`${describe(a)} is a reference, so ${String(seg)} cannot be read`));
        }
      }
      cur = dedupe(next);
      shared = false;
    }
    return shared ? cur!.slice() : (cur as Alt[]);
  }

  /** Elements of a list-valued property, all branches flattened: for "every element must …" checks. */
  public items(stack: StackModel, alts: readonly Alt[]): Alt[] {
    // What `branches` gives, flattened without building the branches.
    const out: Alt[] = [];
    for (const a of alts) {
      if (a.kind === 'value' && Array.isArray(a.value)) {
        for (const el of a.value) for (const x of this.resolve(stack, el)) if (x.kind !== 'absent') out.push(x);
      } else if (a.kind !== 'absent') {
        out.push(a);
      }
    }
    return out;
  }

  /** Each way the list may be written: for "some element must …" checks, which must hold in every branch. */
  public branches(stack: StackModel, alts: readonly Alt[]): ListBranch[] {
    const out: ListBranch[] = [];
    for (const a of alts) {
      if (a.kind === 'value' && Array.isArray(a.value)) {
        const elements: Alt[][] = [];
        for (const el of a.value) {
          const ea = this.resolve(stack, el);
          if (ea.length === 1 && ea[0].kind === 'absent') continue;
          elements.push(ea);
        }
        out.push({ kind: 'list', elements });
      } else {
        out.push({ kind: 'other', alt: a });
      }
    }
    return out;
  }

  /** Resolve the top of an expression (nested objects keep their intrinsics for later paths). */
  public resolve(stack: StackModel, node: unknown, depth = 0): Alt[] {
    if (node === undefined || node === null) return [ABSENT];
    if (typeof node === 'string') {
      return node.includes('{{resolve:') ? [unknown('a dynamic reference resolved at deploy time', node)] : [value(node)];
    }
    if (typeof node !== 'object') return [value(node)];
    if (Array.isArray(node)) return [value(node)];
    let memo = this.memo.get(stack);
    if (!memo) this.memo.set(stack, (memo = new WeakMap()));
    const cached = memo.get(node);
    if (cached) return cached;
    const result = depth > MAX_DEPTH ? [unknown('the expression nests too deeply to evaluate')] : this.evaluate(stack, node as Record<string, unknown>, depth);
    if (depth <= MAX_DEPTH) memo.set(node, result);
    return result;
  }

  private evaluate(stack: StackModel, node: Record<string, unknown>, depth: number): Alt[] {
    const keys = Object.keys(node);
    if (keys.length !== 1) return [value(node)];
    const fn = keys[0];
    const arg = node[fn];
    const d = depth + 1;
    switch (fn) {
      case 'Ref':
        return this.ref(stack, arg, d);
      case 'Fn::GetAtt':
        return this.getAtt(stack, arg, d);
      case 'Fn::If':
        return this.fnIf(stack, arg, d);
      case 'Fn::Sub':
        return this.sub(stack, arg, d);
      case 'Fn::Join':
        return this.join(stack, arg, d);
      case 'Fn::Select':
        return this.select(stack, arg, d);
      case 'Fn::Split':
        return this.split(stack, arg, d);
      case 'Fn::FindInMap':
        return this.findInMap(stack, arg, d);
      case 'Fn::ImportValue':
        return this.importValue(stack, arg, d);
      case 'Fn::Base64':
        return this.resolve(stack, arg, d).map((a) => unknown('Base64-encoded at deploy time', textOf(a)));
      case 'Fn::GetAZs':
        return [unknown('the availability zones of the region')];
      case 'Fn::Cidr':
        return [unknown('CIDR blocks computed at deploy time')];
      case 'Fn::Length':
        return this.branches(stack, this.resolve(stack, arg, d)).map((b) =>
          b.kind === 'list' ? value(b.elements.length) : unknown('the length of a list computed at deploy time'),
        );
      case 'Fn::ToJsonString':
        return this.toJsonString(stack, arg, d);
      case 'Fn::Transform':
        return [unknown('a macro (Fn::Transform) expanded at deploy time')];
      default:
        if (fn.startsWith('Fn::') || fn === 'Condition') return [unknown(`${fn} is evaluated at deploy time`)];
        return [value(node)];
    }
  }

  private ref(stack: StackModel, arg: unknown, depth: number): Alt[] {
    if (typeof arg !== 'string') {
      // Ref takes a literal name; tolerate a computed one.
      return this.resolve(stack, arg, depth).flatMap((a) =>
        a.kind === 'value' && typeof a.value === 'string' ? this.ref(stack, a.value, depth + 1) : [unknown('a Ref to a computed name')],
      );
    }
    if (arg === 'AWS::NoValue') return [ABSENT];
    if (arg === 'AWS::Region' && stack.region) return [value(stack.region)];
    if (arg === 'AWS::AccountId' && stack.account) return [value(stack.account)];
    if (arg in PSEUDO) return [unknown(PSEUDO[arg], `\${${arg}}`)];
    const param = stack.parameters[arg];
    if (param) return this.parameter(arg, param);
    if (stack.resources.has(arg)) return [{ kind: 'ref', stack: stack.name, logicalId: arg }];
    if (arg.startsWith('ForEach:')) return [unknown(`an item of Fn::ForEach (${arg.slice(8)})`, `\${${arg.slice(8)}}`)];
    return [unknown(`a Ref to ${arg}, which the template does not declare`, `\${${arg}}`)];
  }

  /** A parameter resolves only when AllowedValues pins it; a default can be overridden at deploy time. */
  private parameter(name: string, param: Record<string, unknown>): Alt[] {
    const type = typeof param.Type === 'string' ? param.Type : 'String';
    const allowed = param.AllowedValues;
    if (Array.isArray(allowed) && allowed.length > 0 && !type.startsWith('AWS::SSM') && !type.includes('List')) {
      const alts = allowed
        .filter((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        .map((v) => value(type === 'Number' ? Number(v) : String(v)));
      if (alts.length === allowed.length) return dedupe(alts);
    }
    const dflt = param.Default !== undefined ? ` (default ${JSON.stringify(param.Default)})` : '';
    return [unknown(`depends on parameter ${name}${dflt}`, `\${${name}}`)];
  }

  private getAtt(stack: StackModel, arg: unknown, depth: number): Alt[] {
    let id: unknown;
    let attr: unknown;
    if (typeof arg === 'string') {
      const i = arg.indexOf('.');
      id = i < 0 ? arg : arg.slice(0, i);
      attr = i < 0 ? undefined : arg.slice(i + 1);
    } else if (Array.isArray(arg) && arg.length >= 2) {
      [id, attr] = arg;
    } else {
      return [unknown('a malformed Fn::GetAtt')];
    }
    const ids = typeof id === 'string' ? [id] : this.resolve(stack, id, depth).map((a) => (a.kind === 'value' && typeof a.value === 'string' ? a.value : undefined));
    const attrs = typeof attr === 'string' ? [attr] : this.resolve(stack, attr, depth).map((a) => (a.kind === 'value' && typeof a.value === 'string' ? a.value : undefined));
    const out: Alt[] = [];
    for (const i of ids) {
      for (const at of attrs) {
        if (i === undefined || at === undefined) out.push(unknown('an attribute chosen at deploy time'));
        else if (stack.resources.has(i)) out.push({ kind: 'ref', stack: stack.name, logicalId: i, attribute: at });
        else out.push(unknown(`an attribute of ${i}, which the template does not declare`, `\${${i}.${at}}`));
      }
    }
    return dedupe(out);
  }

  private fnIf(stack: StackModel, arg: unknown, depth: number): Alt[] {
    if (!Array.isArray(arg) || arg.length !== 3) return [unknown('a malformed Fn::If')];
    const [cond, whenTrue, whenFalse] = arg;
    const c = typeof cond === 'string' ? this.condition(stack, cond) : undefined;
    if (c === true) return this.resolve(stack, whenTrue, depth);
    if (c === false) return this.resolve(stack, whenFalse, depth);
    return dedupe([...this.resolve(stack, whenTrue, depth), ...this.resolve(stack, whenFalse, depth)]);
  }

  private sub(stack: StackModel, arg: unknown, depth: number): Alt[] {
    let template: unknown;
    let vars: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      [template] = arg;
      if (isPlainObject(arg[1])) vars = arg[1];
    } else {
      template = arg;
    }
    if (typeof template !== 'string') {
      return this.resolve(stack, template, depth).flatMap((t) =>
        t.kind === 'value' && typeof t.value === 'string' ? this.sub(stack, [t.value, vars], depth + 1) : [unknown('a Fn::Sub template computed at deploy time')],
      );
    }
    const parts: Alt[][] = [];
    const re = /\$\{([^}]*)\}/g;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(template)) !== null) {
      if (m.index > last) parts.push([value(template.slice(last, m.index))]);
      const name = m[1].trim();
      if (name.startsWith('!')) {
        parts.push([value(`\${${name.slice(1)}}`)]);
      } else if (Object.prototype.hasOwnProperty.call(vars, name)) {
        parts.push(this.resolve(stack, vars[name], depth));
      } else if (name.includes('.') && !name.startsWith('AWS::')) {
        const i = name.indexOf('.');
        parts.push(this.getAtt(stack, [name.slice(0, i), name.slice(i + 1)], depth));
      } else {
        parts.push(this.ref(stack, name, depth));
      }
      last = m.index + m[0].length;
    }
    if (last < template.length) parts.push([value(template.slice(last))]);
    return concat(parts);
  }

  private join(stack: StackModel, arg: unknown, depth: number): Alt[] {
    if (!Array.isArray(arg) || arg.length !== 2) return [unknown('a malformed Fn::Join')];
    const delims = this.resolve(stack, arg[0], depth);
    const out: Alt[] = [];
    for (const dAlt of delims) {
      if (dAlt.kind !== 'value' || typeof dAlt.value !== 'string') {
        out.push(unknown('a Fn::Join delimiter computed at deploy time'));
        continue;
      }
      for (const b of this.branches(stack, this.resolve(stack, arg[1], depth))) {
        if (b.kind !== 'list') {
          out.push(unknown(b.alt.kind === 'unknown' ? b.alt.reason : 'a list computed at deploy time'));
          continue;
        }
        const parts: Alt[][] = [];
        b.elements.forEach((e, i) => {
          if (i > 0) parts.push([value(dAlt.value)]);
          parts.push([...e]);
        });
        out.push(...concat(parts));
      }
    }
    return dedupe(out);
  }

  private select(stack: StackModel, arg: unknown, depth: number): Alt[] {
    if (!Array.isArray(arg) || arg.length !== 2) return [unknown('a malformed Fn::Select')];
    const out: Alt[] = [];
    for (const iAlt of this.resolve(stack, arg[0], depth)) {
      const idx = iAlt.kind === 'value' ? Number(iAlt.value) : NaN;
      for (const b of this.branches(stack, this.resolve(stack, arg[1], depth))) {
        if (!Number.isInteger(idx)) out.push(unknown('an index chosen at deploy time'));
        else if (b.kind !== 'list') out.push(unknown(b.alt.kind === 'unknown' ? `an element of ${b.alt.reason}` : 'an element of a list computed at deploy time'));
        else if (idx < 0 || idx >= b.elements.length) out.push(unknown(`index ${idx} is outside the list`));
        else out.push(...b.elements[idx]);
      }
    }
    return dedupe(out);
  }

  private split(stack: StackModel, arg: unknown, depth: number): Alt[] {
    if (!Array.isArray(arg) || arg.length !== 2) return [unknown('a malformed Fn::Split')];
    const out: Alt[] = [];
    for (const d of this.resolve(stack, arg[0], depth)) {
      for (const s of this.resolve(stack, arg[1], depth)) {
        if (d.kind === 'value' && typeof d.value === 'string' && s.kind === 'value' && typeof s.value === 'string') {
          out.push(value(s.value.split(d.value)));
        } else {
          out.push(unknown(s.kind === 'unknown' ? s.reason : 'a list split at deploy time'));
        }
      }
    }
    return dedupe(out);
  }

  private findInMap(stack: StackModel, arg: unknown, depth: number): Alt[] {
    if (!Array.isArray(arg) || arg.length < 3) return [unknown('a malformed Fn::FindInMap')];
    const out: Alt[] = [];
    const fallback = isPlainObject(arg[3]) ? arg[3].DefaultValue : undefined;
    // An unknown key may be any key of the map: every entry is then an alternative.
    const level = (container: unknown, keyNode: unknown): Array<{ v: unknown } | { miss: true } | { unk: string }> => {
      const res: Array<{ v: unknown } | { miss: true } | { unk: string }> = [];
      for (const k of this.resolve(stack, keyNode, depth)) {
        if (!isPlainObject(container)) {
          res.push({ miss: true });
        } else if (k.kind === 'value' && (typeof k.value === 'string' || typeof k.value === 'number')) {
          const key = String(k.value);
          res.push(Object.prototype.hasOwnProperty.call(container, key) ? { v: container[key] } : { miss: true });
        } else if (Object.keys(container).length > 0) {
          for (const v of Object.values(container)) res.push({ v });
        } else {
          res.push({ unk: k.kind === 'unknown' ? k.reason : 'a map key chosen at deploy time' });
        }
      }
      return res;
    };
    for (const m of level(stack.mappings, arg[0])) {
      if ('unk' in m || 'miss' in m) {
        out.push('unk' in m ? unknown(m.unk) : unknown('a mapping the template does not declare'));
        continue;
      }
      for (const top of level(m.v, arg[1])) {
        if ('unk' in top) { out.push(unknown(top.unk)); continue; }
        if ('miss' in top) { out.push(...(fallback !== undefined ? this.resolve(stack, fallback, depth) : [unknown('a mapping key the map does not hold')])); continue; }
        for (const second of level(top.v, arg[2])) {
          if ('unk' in second) out.push(unknown(second.unk));
          else if ('miss' in second) out.push(...(fallback !== undefined ? this.resolve(stack, fallback, depth) : [unknown('a mapping key the map does not hold')]));
          else out.push(...this.resolve(stack, second.v, depth));
        }
      }
      if (out.length > MAX_ALTERNATIVES) return [unknown('a mapping with too many possible values')];
    }
    return dedupe(out);
  }

  private importValue(stack: StackModel, arg: unknown, depth: number): Alt[] {
    const out: Alt[] = [];
    for (const n of this.resolve(stack, arg, depth)) {
      const name = n.kind === 'value' && typeof n.value === 'string' ? n.value : undefined;
      const exp = name !== undefined ? this.app.findExport(name) : undefined;
      if (exp) out.push(...this.resolve(exp.stack, exp.value, depth));
      else out.push(unknown(`imported from another stack (export ${name ?? textOf(n) ?? 'with a computed name'})`, `\${Import:${name ?? '?'}}`));
    }
    return dedupe(out);
  }

  private toJsonString(stack: StackModel, arg: unknown, depth: number): Alt[] {
    const deep = this.deep(stack, arg, depth);
    return deep === undefined ? [unknown('a JSON string computed at deploy time')] : [value(JSON.stringify(deep))];
  }

  /** Fully resolve a tree when it has exactly one concrete value; undefined otherwise. */
  public deep(stack: StackModel, node: unknown, depth = 0): unknown {
    if (depth > MAX_DEPTH) return undefined;
    const alts = this.resolve(stack, node, depth);
    if (alts.length !== 1 || alts[0].kind !== 'value') return undefined;
    const v = alts[0].value;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const e of v) {
        const r = this.deep(stack, e, depth + 1);
        if (r === undefined) return undefined;
        out.push(r);
      }
      return out;
    }
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(v)) {
        const r = this.deep(stack, e, depth + 1);
        if (r === undefined) return undefined;
        out[k] = r;
      }
      return out;
    }
    return v;
  }

  /** Evaluate a named template condition: true, false, or undefined when it depends on deploy-time input. */
  public condition(stack: StackModel, name: string): boolean | undefined {
    let m = this.conditionMemo.get(stack);
    if (!m) this.conditionMemo.set(stack, (m = new Map()));
    if (m.has(name)) return m.get(name);
    m.set(name, undefined); // breaks cycles
    const r = this.conditionExpr(stack, stack.conditions[name], 0);
    m.set(name, r);
    return r;
  }

  private conditionExpr(stack: StackModel, expr: unknown, depth: number): boolean | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (typeof expr === 'boolean') return expr;
    if (!isPlainObject(expr)) return undefined;
    const keys = Object.keys(expr);
    if (keys.length !== 1) return undefined;
    const arg = expr[keys[0]];
    switch (keys[0]) {
      case 'Condition':
        return typeof arg === 'string' ? this.condition(stack, arg) : undefined;
      case 'Fn::Not':
        if (!Array.isArray(arg) || arg.length !== 1) return undefined;
        const n = this.conditionExpr(stack, arg[0], depth + 1);
        return n === undefined ? undefined : !n;
      case 'Fn::And':
      case 'Fn::Or': {
        if (!Array.isArray(arg)) return undefined;
        const isAnd = keys[0] === 'Fn::And';
        let sawUnknown = false;
        for (const e of arg) {
          const r = this.conditionExpr(stack, e, depth + 1);
          if (r === undefined) sawUnknown = true;
          else if (r !== isAnd) return r;
        }
        return sawUnknown ? undefined : isAnd;
      }
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2) return undefined;
        const a = this.resolve(stack, arg[0], depth + 1);
        const b = this.resolve(stack, arg[1], depth + 1);
        if (![...a, ...b].every((x) => x.kind === 'value')) return undefined;
        const sa = new Set(a.map((x) => JSON.stringify((x as { value: unknown }).value)));
        const sb = b.map((x) => JSON.stringify((x as { value: unknown }).value));
        if (sa.size === 1 && sb.length === 1) return sa.has(sb[0]);
        return sb.some((x) => sa.has(x)) ? undefined : false;
      }
      default:
        return undefined;
    }
  }

  /** Whether a resource is created: 'always', 'never', or 'maybe' (its Condition depends on deploy-time input). */
  public exists(r: ResourceHandle): 'always' | 'never' | 'maybe' {
    if (!r.condition) return 'always';
    const c = this.condition(r.stack, r.condition);
    return c === true ? 'always' : c === false ? 'never' : 'maybe';
  }

  /** Resolve a reference-like property to the resources it points at (through imports too). */
  public targets(alts: readonly Alt[]): Array<{ target?: ResourceHandle; alt: Alt }> {
    return alts.map((alt) => ({ alt, target: alt.kind === 'ref' ? this.app.resource(alt.stack, alt.logicalId) : undefined }));
  }
}

/** The child of a concrete value at one path segment; undefined when it has none. */
function childOf(v: unknown, seg: string | number): unknown {
  if (typeof seg === 'number') return Array.isArray(v) ? v[seg] : undefined;
  return isPlainObject(v) && Object.prototype.hasOwnProperty.call(v, seg) ? v[seg] : undefined;
}

function altKey(a: Alt): string {
  switch (a.kind) {
    case 'value':
      return typeof a.value === 'object' ? `v${JSON.stringify(a.value)}` : `v${typeof a.value}:${String(a.value)}`;
    case 'absent':
      return 'a';
    case 'ref':
      return `r${a.stack}/${a.logicalId}.${a.attribute ?? ''}`;
    case 'unknown':
      return `u${a.reason}|${a.text ?? ''}`;
  }
}

export function dedupe(alts: Alt[]): Alt[] {
  if (alts.length < 2) return alts;
  const seen = new Set<string>();
  const out: Alt[] = [];
  for (const a of alts) {
    const k = altKey(a);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(a);
    }
  }
  return out.length > MAX_ALTERNATIVES ? [unknown(`more than ${MAX_ALTERNATIVES} possible values`)] : out;
}

const PSEUDO_REASONS = new Set(Object.values(PSEUDO));
function isPseudoReason(r: string): boolean {
  return PSEUDO_REASONS.has(r);
}

/** String concatenation over alternatives (Fn::Sub, Fn::Join). */
function concat(parts: Alt[][]): Alt[] {
  let acc: Array<{ text: string; reason?: string }> = [{ text: '' }];
  for (const p of parts) {
    const next: Array<{ text: string; reason?: string }> = [];
    for (const a of acc) {
      for (const alt of p) {
        if (alt.kind === 'value' && (typeof alt.value === 'string' || typeof alt.value === 'number' || typeof alt.value === 'boolean')) {
          next.push({ text: a.text + String(alt.value), reason: a.reason });
        } else if (alt.kind === 'absent') {
          next.push({ text: a.text, reason: a.reason });
        } else {
          const t = textOf(alt) ?? '${?}';
          const reason = alt.kind === 'unknown' ? alt.reason : alt.kind === 'ref' ? `contains a reference to ${describe(alt)}` : 'contains a non-string value';
          // Name the part a reader can act on: a parameter or import beats the deployment's pseudo values.
          next.push({ text: a.text + t, reason: a.reason === undefined || (isPseudoReason(a.reason) && !isPseudoReason(reason)) ? reason : a.reason });
        }
      }
    }
    if (next.length > MAX_ALTERNATIVES) return [unknown(`a string with more than ${MAX_ALTERNATIVES} possible values`)];
    acc = next;
  }
  return dedupe(acc.map((a) => (a.reason === undefined ? value(a.text) : unknown(a.reason, a.text))));
}
