import { Resolver } from './resolve';
import { isPlainObject } from './values';

/** A template that is not a CloudFormation template; the CLI turns it into exit code 2. */
export class TemplateShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateShapeError';
  }
}

/** One resource of a template, as the rules see it. */
export interface ResourceHandle {
  /** The stack (template) that holds it. */
  readonly stack: StackModel;
  readonly logicalId: string;
  readonly type: string;
  /** Raw `Properties`, intrinsics unresolved; read through the resolver. */
  readonly properties: Record<string, unknown>;
  /** Name of the template condition guarding the resource, if any. */
  readonly condition?: string;
  /** Raw `Metadata` of the resource. */
  readonly metadata: Record<string, unknown>;
  /** CDK construct path (from `aws:cdk:path` metadata, or the construct tree). */
  readonly constructPath?: string;
  /** Raw `DeletionPolicy` (CloudFormation's default when absent: Delete). */
  readonly deletionPolicy?: unknown;
  /** Raw `UpdateReplacePolicy` (default when absent: Delete). */
  readonly updateReplacePolicy?: unknown;
}

export interface StackInput {
  /** Stack name or id; unique in the app. Used in messages. */
  readonly name: string;
  /** The parsed template. */
  readonly template: unknown;
  /** Where the template lives on disk, when it does. */
  readonly templatePath?: string;
  /** Region of the stack, when known (CDK env). */
  readonly region?: string;
  readonly account?: string;
  /** CDK construct path of the stack. */
  readonly constructPath?: string;
  /** Construct path per logical ID, when the caller knows them (CDK tree). */
  readonly constructPaths?: ReadonlyMap<string, string>;
}

/** A parsed, normalized template. */
export class StackModel {
  public readonly name: string;
  public readonly templatePath?: string;
  public readonly region?: string;
  public readonly account?: string;
  public readonly constructPath?: string;
  public readonly parameters: Record<string, Record<string, unknown>>;
  public readonly mappings: Record<string, unknown>;
  public readonly conditions: Record<string, unknown>;
  public readonly outputs: Record<string, unknown>;
  public readonly metadata: Record<string, unknown>;
  public readonly resources: ReadonlyMap<string, ResourceHandle>;
  /** The app this stack belongs to; set by AppModel. */
  public app!: AppModel;

  constructor(input: StackInput) {
    const t = input.template;
    if (!isPlainObject(t)) {
      throw new TemplateShapeError(`${input.name}: not a CloudFormation template: the document is not a JSON/YAML object`);
    }
    if (!('Resources' in t)) {
      throw new TemplateShapeError(`${input.name}: not a CloudFormation template: it has no Resources section`);
    }
    if (!isPlainObject(t.Resources)) {
      throw new TemplateShapeError(`${input.name}: not a CloudFormation template: Resources is not a map of logical IDs to resources`);
    }
    this.name = input.name;
    this.templatePath = input.templatePath;
    this.region = input.region;
    this.account = input.account;
    this.constructPath = input.constructPath;
    this.parameters = objectOfObjects(t.Parameters);
    this.mappings = isPlainObject(t.Mappings) ? t.Mappings : {};
    this.conditions = isPlainObject(t.Conditions) ? t.Conditions : {};
    this.outputs = isPlainObject(t.Outputs) ? expandForEach(t.Outputs, `${input.name}: Outputs`) : {};
    this.metadata = isPlainObject(t.Metadata) ? t.Metadata : {};

    const resources = new Map<string, ResourceHandle>();
    for (const [logicalId, raw] of Object.entries(expandForEach(t.Resources, `${input.name}: Resources`))) {
      if (!isPlainObject(raw)) {
        throw new TemplateShapeError(`${input.name}: not a CloudFormation template: resource ${logicalId} is not an object`);
      }
      if (typeof raw.Type !== 'string' || raw.Type === '') {
        throw new TemplateShapeError(`${input.name}: not a CloudFormation template: resource ${logicalId} has no Type`);
      }
      const metadata = isPlainObject(raw.Metadata) ? raw.Metadata : {};
      const cdkPath = metadata['aws:cdk:path'];
      resources.set(logicalId, {
        stack: this,
        logicalId,
        type: raw.Type,
        properties: isPlainObject(raw.Properties) ? raw.Properties : {},
        condition: typeof raw.Condition === 'string' ? raw.Condition : undefined,
        metadata,
        constructPath: input.constructPaths?.get(logicalId) ?? (typeof cdkPath === 'string' ? cdkPath : undefined),
        deletionPolicy: raw.DeletionPolicy,
        updateReplacePolicy: raw.UpdateReplacePolicy,
      });
    }
    this.resources = resources;
  }

  /** The resolver for values of this stack. */
  public get resolver(): Resolver {
    return this.app.resolver;
  }
}

/** All stacks of one app (or one raw template), with cross-stack lookups. */
export class AppModel {
  public readonly stacks: readonly StackModel[];
  public readonly resolver: Resolver;
  private readonly byType = new Map<string, ResourceHandle[]>();
  private readonly byStack = new Map<string, StackModel>();
  private readonly exportsByName = new Map<string, { stack: StackModel; value: unknown }>();

  constructor(stacks: readonly StackModel[]) {
    this.stacks = stacks;
    for (const s of stacks) {
      s.app = this;
      this.byStack.set(s.name, s);
      for (const r of s.resources.values()) {
        let list = this.byType.get(r.type);
        if (!list) this.byType.set(r.type, (list = []));
        list.push(r);
      }
    }
    this.resolver = new Resolver(this);
    // Export names are usually literals (CDK always writes them so); a computed one is resolved where it can be.
    for (const s of stacks) {
      for (const out of Object.values(s.outputs)) {
        if (!isPlainObject(out) || !isPlainObject(out.Export)) continue;
        for (const alt of this.resolver.resolve(s, out.Export.Name)) {
          if (alt.kind === 'value' && typeof alt.value === 'string') {
            this.exportsByName.set(alt.value, { stack: s, value: out.Value });
          }
        }
      }
    }
  }

  public static fromTemplates(inputs: readonly StackInput[]): AppModel {
    return new AppModel(inputs.map((i) => new StackModel(i)));
  }

  /** Every resource of the given types, across all stacks. */
  public resourcesOfType(...types: string[]): ResourceHandle[] {
    if (types.length === 1) return this.byType.get(types[0]) ?? [];
    const out: ResourceHandle[] = [];
    for (const t of types) out.push(...(this.byType.get(t) ?? []));
    return out;
  }

  public get resourceTypes(): IterableIterator<string> {
    return this.byType.keys();
  }

  public allResources(): ResourceHandle[] {
    const out: ResourceHandle[] = [];
    for (const s of this.stacks) out.push(...s.resources.values());
    return out;
  }

  public stack(name: string): StackModel | undefined {
    return this.byStack.get(name);
  }

  public findExport(name: string): { stack: StackModel; value: unknown } | undefined {
    return this.exportsByName.get(name);
  }

  /** The resource a reference points at. */
  public resource(stack: string, logicalId: string): ResourceHandle | undefined {
    return this.byStack.get(stack)?.resources.get(logicalId);
  }
}

function objectOfObjects(v: unknown): Record<string, Record<string, unknown>> {
  if (!isPlainObject(v)) return {};
  const out: Record<string, Record<string, unknown>> = {};
  for (const [k, p] of Object.entries(v)) out[k] = isPlainObject(p) ? p : {};
  return out;
}

const FOR_EACH = 'Fn::ForEach::';
const MAX_FOR_EACH_EXPANSION = 10_000;

/**
 * Expand `Fn::ForEach` (AWS::LanguageExtensions) in a Resources or Outputs
 * map. A literal collection is expanded item by item; a collection the
 * template cannot fix (a parameter) is expanded once, symbolically, so the
 * rules still read the resource shape and report what they cannot verify.
 */
function expandForEach(section: Record<string, unknown>, where: string, depth = 0): Record<string, unknown> {
  if (!Object.keys(section).some((k) => k.startsWith(FOR_EACH))) return section;
  if (depth > 8) throw new TemplateShapeError(`${where}: Fn::ForEach nested deeper than 8 levels`);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(section)) {
    if (!key.startsWith(FOR_EACH)) {
      out[key] = v;
      continue;
    }
    if (!Array.isArray(v) || v.length !== 3 || typeof v[0] !== 'string' || !isPlainObject(v[2])) {
      throw new TemplateShapeError(`${where}: ${key} must be [identifier, collection, fragment]`);
    }
    const [ident, collection, fragment] = v as [string, unknown, Record<string, unknown>];
    const items: Array<string | undefined> = Array.isArray(collection)
      ? collection.map((c) => (typeof c === 'string' || typeof c === 'number' ? String(c) : undefined))
      : [undefined];
    if (items.length > MAX_FOR_EACH_EXPANSION) {
      throw new TemplateShapeError(`${where}: ${key} expands to more than ${MAX_FOR_EACH_EXPANSION} items`);
    }
    for (const item of items) {
      const expanded = substituteForEach(fragment, ident, item) as Record<string, unknown>;
      Object.assign(out, expandForEach(expanded, where, depth + 1));
    }
  }
  return out;
}

/** Replace `${ident}`, `&{ident}` and `{Ref: ident}`; an unknown item stays symbolic as a reference to a pseudo-parameter. */
function substituteForEach(node: unknown, ident: string, item: string | undefined): unknown {
  const placeholder = item ?? `{${ident}}`;
  const subst = (s: string) => s.split(`\${${ident}}`).join(placeholder).split(`&{${ident}}`).join(placeholder.replace(/[^A-Za-z0-9]/g, ''));
  if (typeof node === 'string') return subst(node);
  if (Array.isArray(node)) return node.map((n) => substituteForEach(n, ident, item));
  if (isPlainObject(node)) {
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === 'Ref' && node.Ref === ident) {
      return item ?? { Ref: `ForEach:${ident}` };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[subst(k)] = substituteForEach(v, ident, item);
    return out;
  }
  return node;
}
