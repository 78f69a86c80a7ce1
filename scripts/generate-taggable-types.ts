/**
 * Generates rules/engine/taggable-types.generated.ts: every CloudFormation
 * resource type that aws-cdk-lib can tag, with the property that holds its
 * tags and the shape of that property. SRM-IIP-MGT-02 reads the result.
 *
 * aws-cdk-lib is the source because its L1 classes are generated from the
 * CloudFormation resource specification: a `Cfn*` class is taggable exactly
 * when the spec gives the type a tag property. Each class is instantiated in
 * a throw-away stack; required properties are filled in with placeholders
 * until the constructor accepts them.
 *
 *   npx tsx scripts/generate-taggable-types.ts [--check]
 *
 * `--check` exits 1 when the committed file differs from what would be
 * written (for CI after an aws-cdk-lib upgrade).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';

/** How a type writes its tags in a template. */
export type TagShape = 'list' | 'map' | 'autoscaling' | 'keyValue';

export interface TaggableType {
  /** Top-level property holding the tags, PascalCase as in templates: `Tags`, `UserPoolTags`. */
  readonly property: string;
  readonly shape: TagShape;
}

const OUT = path.resolve(__dirname, '..', 'rules', 'engine', 'taggable-types.generated.ts');
const EXCLUDED = new Set(['AWS::CDK::Metadata']);
const MAX_ATTEMPTS = 64;

/** The shape of a tag manager, read from how it renders one tag (its formatter class is not public API). */
function shapeOf(tm: cdk.TagManager): TagShape | undefined {
  tm.setTag('k', 'v');
  const rendered: unknown = tm.renderTags();
  if (Array.isArray(rendered) && rendered.length === 1 && typeof rendered[0] === 'object' && rendered[0] !== null) {
    const e = rendered[0] as Record<string, unknown>;
    if ('propagateAtLaunch' in e) return 'autoscaling';
    if ('Key' in e && 'Value' in e) return 'keyValue';
    if ('key' in e && 'value' in e) return 'list';
  }
  if (typeof rendered === 'object' && rendered !== null && !Array.isArray(rendered) && (rendered as Record<string, unknown>).k === 'v') return 'map';
  return undefined;
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Placeholders tried in turn for a required property. A list comes first: some constructors
 * index into list properties without saying which one failed, while a property that must be a
 * string or a reference says so by name.
 */
const PLACEHOLDERS: readonly unknown[] = [['placeholder'], 'placeholder', {}];

/** Instantiate an L1 class, adding a placeholder for each required property the constructor asks for. */
function instantiate(stack: cdk.Stack, id: string, cls: new (scope: cdk.Stack, id: string, props: Record<string, unknown>) => unknown): unknown {
  const props: Record<string, unknown> = {};
  const tried = new Map<string, number>();
  let last: string | undefined;
  // Try the next placeholder shape for a property; false when every shape was tried.
  const advance = (name: string): boolean => {
    const i = tried.get(name) ?? -1;
    if (i + 1 >= PLACEHOLDERS.length) return false;
    tried.set(name, i + 1);
    props[name] = PLACEHOLDERS[i + 1];
    last = name;
    return true;
  };
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    try {
      return new cls(stack, `${id}${i}`, props);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const named = /missing required property: (\w+)/.exec(msg) ?? /Property (\w+) should be/.exec(msg);
      const name = named?.[1] ?? last;
      if (name === undefined || !advance(name)) return undefined;
    }
  }
  return undefined;
}

export function collectTaggableTypes(): Map<string, TaggableType> {
  // Instantiating every class would print a warning per deprecated one; irrelevant here.
  const saved = process.env.JSII_DEPRECATED;
  process.env.JSII_DEPRECATED = 'quiet';
  try {
    return collect();
  } finally {
    if (saved === undefined) delete process.env.JSII_DEPRECATED;
    else process.env.JSII_DEPRECATED = saved;
  }
}

function collect(): Map<string, TaggableType> {
  const stack = new cdk.Stack(new cdk.App(), 'Scratch');
  const out = new Map<string, TaggableType>();
  const modules = Object.entries(cdk as unknown as Record<string, unknown>)
    .filter(([name, mod]) => /^[a-z][a-z0-9_]*$/.test(name) && typeof mod === 'object' && mod !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [modName, mod] of modules) {
    for (const [className, cls] of Object.entries(mod as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!className.startsWith('Cfn') || typeof cls !== 'function') continue;
      const type = (cls as { CFN_RESOURCE_TYPE_NAME?: unknown }).CFN_RESOURCE_TYPE_NAME;
      if (typeof type !== 'string' || EXCLUDED.has(type) || out.has(type)) continue;
      const instance = instantiate(stack, `${modName}${className}`, cls as never);
      if (instance === undefined) {
        process.stderr.write(`warning: could not instantiate ${modName}.${className} (${type})\n`);
        continue;
      }
      const taggable = cdk.TagManager.isTaggable(instance) || cdk.TagManager.isTaggableV2(instance);
      const tm = taggable ? cdk.TagManager.of(instance) : undefined;
      if (!tm) continue;
      const shape = shapeOf(tm);
      if (!shape) {
        process.stderr.write(`warning: ${type} has tags of an unrecognized shape; left out\n`);
        continue;
      }
      out.set(type, { property: pascal(tm.tagPropertyName), shape });
    }
  }
  return out;
}

export function render(types: ReadonlyMap<string, TaggableType>): string {
  const lines = [...types.keys()].sort().map((t) => {
    const { property, shape } = types.get(t)!;
    return `  '${t}': { property: '${property}', shape: '${shape}' },`;
  });
  return [
    '// Generated by scripts/generate-taggable-types.ts from aws-cdk-lib ' + cdkVersion() + '. Do not edit by hand.',
    '// Every CloudFormation type aws-cdk-lib can tag, with the property that holds its tags and',
    '// the shape of that property (list: [{Key, Value}]; keyValue: the same, written as-is;',
    '// autoscaling: [{Key, Value, PropagateAtLaunch}]; map: {key: value}).',
    '',
    "export type TagShape = 'list' | 'map' | 'autoscaling' | 'keyValue';",
    '',
    'export interface TaggableType {',
    '  readonly property: string;',
    '  readonly shape: TagShape;',
    '}',
    '',
    'export const TAGGABLE_TYPES: { readonly [cfnType: string]: TaggableType } = {',
    ...lines,
    '};',
    '',
  ].join('\n');
}

function cdkVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('aws-cdk-lib/package.json') as { version: string }).version;
  } catch {
    return '(unknown version)';
  }
}

if (require.main === module) {
  const text = render(collectTaggableTypes());
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${path.relative(process.cwd(), OUT)} is out of date; run npx tsx scripts/generate-taggable-types.ts\n`);
      process.exit(1);
    }
  } else {
    fs.writeFileSync(OUT, text);
    process.stdout.write(`wrote ${path.relative(process.cwd(), OUT)}\n`);
  }
}
