import type { ResourceHandle } from '../engine/model';
import { RuleIssue, SrmIipRule, unverifiable } from '../engine/rule';
import { Alt, isPlainObject, stringOf } from '../engine/values';

const SECRET_WORDS = /(secret|password|passwd|pwd|token|api[_-]?key|private[_-]?key|credential)/i;
/** Names that point to where a secret lives rather than hold it: `DB_PASSWORD_SECRET_ARN`, `TOKEN_TABLE`, `API_KEY_PARAM`. */
const REFERENCE_SUFFIX = /[_-]?(arn|name|id|url|uri|path|endpoint|table|param|parameter|header|ttl|length|expiry|expiration|file|secret[_-]?id|bucket|region|kms[_-]?key|kms[_-]?key[_-]?(id|arn)|key[_-]?alias)$/i;

/** Whether a variable or parameter name says it holds a secret. `PWD` alone is the shell's working directory. */
export function isSecretName(name: string): boolean {
  return SECRET_WORDS.test(name) && !REFERENCE_SUFFIX.test(name) && name.toUpperCase() !== 'PWD';
}

/**
 * Whether a value written in a template is a literal secret: a non-empty
 * string that is neither a dynamic reference to Secrets Manager or a
 * SecureString parameter nor an ARN. A plain `{{resolve:ssm:…}}` is a
 * literal too: its parameter is stored unencrypted.
 */
export function isLiteralSecretValue(text: string): boolean {
  const t = text.trim();
  if (t === '') return false;
  if (/^\{\{resolve:(secretsmanager|ssm-secure):/.test(t)) return false;
  if (/^arn:[^:]*:(secretsmanager|ssm|kms):/.test(t)) return false;
  return true;
}

/**
 * SRM-IIP-APP-04: Lambda environment variables and ECS container
 * environment entries whose names say they hold a secret carry no literal
 * value. Take the value from Secrets Manager (ECS `Secrets`, a
 * `{{resolve:secretsmanager:…}}` reference, or the secret's ARN read at run
 * time).
 */
export const NoSecretsInEnvironment: SrmIipRule = {
  id: 'NoSecretsInEnvironment',
  controlId: 'SRM-IIP-APP-04',
  summary: 'Lambda and ECS environment variables named like secrets hold no literal value',
  resourceTypes: ['AWS::Lambda::Function', 'AWS::ECS::TaskDefinition'],
  check(r) {
    return r.type === 'AWS::Lambda::Function' ? checkLambda(r) : checkEcs(r);
  },
};

/** A literal secret in a value alternative; references, parameters and dynamic references are not literals. */
function literalSecret(a: Alt): string | undefined {
  if (a.kind === 'value') {
    const s = stringOf(a);
    return s !== undefined && isLiteralSecretValue(s) ? s : undefined;
  }
  if (a.kind === 'unknown' && a.text !== undefined && /^\{\{resolve:ssm:/.test(a.text.trim())) return a.text;
  return undefined;
}

function message(where: string, name: string, v: string): string {
  const kind = v.startsWith('{{resolve:ssm:') ? 'a plain-text SSM parameter (use a SecureString or Secrets Manager)' : 'a literal value';
  return `${where} ${name} holds ${kind}: the secret is stored in the template and shown in the function or task configuration; take it from Secrets Manager instead`;
}

function checkLambda(r: ResourceHandle): RuleIssue[] {
  const resolver = r.stack.resolver;
  const issues: RuleIssue[] = [];
  for (const vars of resolver.get(r, 'Environment', 'Variables')) {
    if (vars.kind === 'absent') continue;
    if (vars.kind !== 'value' || !isPlainObject(vars.value)) {
      issues.push(unverifiable(r, 'Environment.Variables', vars));
      continue;
    }
    for (const name of Object.keys(vars.value)) {
      if (!isSecretName(name)) continue;
      for (const a of resolver.path(r.stack, [vars], [name])) {
        const lit = literalSecret(a);
        if (lit !== undefined) issues.push({ resource: r, kind: 'violation', location: `Environment.Variables.${name}`, message: message('environment variable', name, lit) });
      }
    }
  }
  return dedupe(issues);
}

function checkEcs(r: ResourceHandle): RuleIssue[] {
  const resolver = r.stack.resolver;
  const issues: RuleIssue[] = [];
  for (const c of resolver.items(r.stack, resolver.get(r, 'ContainerDefinitions'))) {
    if (c.kind !== 'value' || !isPlainObject(c.value)) continue;
    const container = resolver.path(r.stack, [c], ['Name']).map((n) => stringOf(n) ?? '?').join('|');
    for (const e of resolver.items(r.stack, resolver.path(r.stack, [c], ['Environment']))) {
      if (e.kind !== 'value' || !isPlainObject(e.value)) continue;
      for (const n of resolver.path(r.stack, [e], ['Name'])) {
        const name = n.kind === 'value' ? stringOf(n) : undefined;
        const values = resolver.path(r.stack, [e], ['Value']);
        if (name === undefined) {
          const lit = values.map(literalSecret).find((v) => v !== undefined);
          if (lit !== undefined && n.kind !== 'absent') issues.push(unverifiable(r, 'ContainerDefinitions.Environment.Name', n));
          continue;
        }
        if (!isSecretName(name)) continue;
        for (const a of values) {
          const lit = literalSecret(a);
          if (lit !== undefined) {
            issues.push({ resource: r, kind: 'violation', location: `ContainerDefinitions.Environment.${name}`, message: `${message(`container ${container} environment variable`, name, lit)} (use the container's Secrets)` });
          }
        }
      }
    }
  }
  return dedupe(issues);
}

function dedupe(issues: RuleIssue[]): RuleIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => (seen.has(i.message) ? false : (seen.add(i.message), true)));
}
