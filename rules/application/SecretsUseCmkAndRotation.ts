import type { AppModel, ResourceHandle } from '../engine/model';
import { RuleIssue, SrmIipRule, unverifiable } from '../engine/rule';
import { Alt, describe, isPlainObject, stringOf } from '../engine/values';
import { existsWhenever } from '../communication/resource-match';
import { isSecretName } from './NoSecretsInEnvironment';

/** A KMS key reference that names the AWS managed key of a service (`alias/aws/secretsmanager`), not a customer-managed key. */
export function isAwsManagedKeyReference(keyId: string): boolean {
  return /(^|:)alias\/aws\//.test(keyId);
}

/**
 * Keys of a JSON secret text whose values are written literally; `${...}`
 * placeholders (references resolved at deploy time) are not literals.
 * `undefined` when the text is not a JSON object.
 */
export function literalSecretKeys(jsonText: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(jsonText.replace(/\$\{[^}]*\}/g, '__SRM_IIP_REF__'));
  } catch {
    return undefined;
  }
  if (!isPlainObject(parsed)) return undefined;
  return Object.entries(parsed)
    .filter(([k, v]) => isSecretName(k) && typeof v === 'string' && v !== '' && !v.includes('__SRM_IIP_REF__'))
    .map(([k]) => k);
}

const ROTATIONS = new WeakMap<AppModel, Map<ResourceHandle, Array<{ schedule: ResourceHandle; certain: boolean }>>>();

function rotationIndex(app: AppModel) {
  let idx = ROTATIONS.get(app);
  if (idx) return idx;
  idx = new Map();
  for (const s of app.resourcesOfType('AWS::SecretsManager::RotationSchedule')) {
    const resolver = s.stack.resolver;
    const exists = resolver.exists(s);
    if (exists === 'never') continue;
    const alts = resolver.get(s, 'SecretId');
    for (const a of alts) {
      const secret = a.kind === 'ref' ? app.resource(a.stack, a.logicalId) : undefined;
      if (secret) idx.set(secret, [...(idx.get(secret) ?? []), { schedule: s, certain: existsWhenever(s, secret) && alts.length === 1 }]);
    }
  }
  ROTATIONS.set(app, idx);
  return idx;
}

/**
 * SRM-IIP-APP-04: Secrets Manager secrets are encrypted with a
 * customer-managed KMS key, rotate on a schedule (an
 * `AWS::SecretsManager::RotationSchedule` for the secret, possibly in another
 * stack), and carry no literal `SecretString` (`GenerateSecretString` is the
 * way to create one).
 */
export const SecretsUseCmkAndRotation: SrmIipRule = {
  id: 'SecretsUseCmkAndRotation',
  controlId: 'SRM-IIP-APP-04',
  summary: 'Secrets Manager secrets use a customer-managed KMS key, have a rotation schedule and no literal SecretString',
  resourceTypes: ['AWS::SecretsManager::Secret'],
  check(r, ctx) {
    return [...checkKey(r), ...checkRotation(r, ctx.app), ...checkSecretString(r)];
  },
};

function checkKey(r: ResourceHandle): RuleIssue[] {
  const issues: RuleIssue[] = [];
  for (const a of r.stack.resolver.get(r, 'KmsKeyId')) {
    if (a.kind === 'absent') {
      issues.push({ resource: r, kind: 'violation', location: 'KmsKeyId', message: 'KmsKeyId is not set, so the secret is encrypted with the AWS managed key aws/secretsmanager, whose use and rotation you do not control; set a customer-managed KMS key' });
    } else if (a.kind === 'value') {
      const s = stringOf(a);
      if (s === undefined || isAwsManagedKeyReference(s)) {
        issues.push({ resource: r, kind: 'violation', location: 'KmsKeyId', message: `KmsKeyId is ${describe(a)}, an AWS managed key; set a customer-managed KMS key` });
      }
    } else if (a.kind === 'unknown') {
      issues.push(unverifiable(r, 'KmsKeyId', a));
    }
  }
  return issues;
}

function checkRotation(r: ResourceHandle, app: AppModel): RuleIssue[] {
  const schedules = rotationIndex(app).get(r) ?? [];
  if (schedules.some((s) => s.certain)) return [];
  if (schedules.length > 0) {
    return [
      {
        resource: r,
        kind: 'unverifiable',
        message: `cannot verify rotation: ${schedules.map((s) => `RotationSchedule ${s.schedule.logicalId} in stack ${s.schedule.stack.name}`).join(', ')} applies to the secret only under a condition${schedules[0].schedule.condition ? ` (${schedules[0].schedule.condition})` : ''}`,
      },
    ];
  }
  return [
    {
      resource: r,
      kind: 'violation',
      message: `secret ${r.logicalId} in stack ${r.stack.name} has no AWS::SecretsManager::RotationSchedule, so it never rotates; add one (CDK: secret.addRotationSchedule)`,
    },
  ];
}

function checkSecretString(r: ResourceHandle): RuleIssue[] {
  const issues: RuleIssue[] = [];
  for (const a of r.stack.resolver.get(r, 'SecretString')) {
    const issue = judgeSecretString(r, a);
    if (issue) issues.push(issue);
  }
  const seen = new Set<string>();
  return issues.filter((i) => (seen.has(i.message) ? false : (seen.add(i.message), true)));
}

function judgeSecretString(r: ResourceHandle, a: Alt): RuleIssue | undefined {
  const location = 'SecretString';
  if (a.kind === 'absent' || a.kind === 'ref') return undefined;
  if (a.kind === 'value') {
    const s = stringOf(a);
    if (s === '') return undefined;
    return { resource: r, kind: 'violation', location, message: 'SecretString is a literal: the secret value is written into the template; use GenerateSecretString or set the value outside the template' };
  }
  if (a.text === undefined || /^\{\{resolve:(secretsmanager|ssm-secure):/.test(a.text.trim()) || /^depends on parameter /.test(a.reason)) return undefined;
  const keys = literalSecretKeys(a.text);
  if (keys === undefined) return unverifiable(r, location, a);
  if (keys.length === 0) return undefined;
  return { resource: r, kind: 'violation', location, message: `SecretString writes ${keys.join(', ')} literally into the template; reference the values or use GenerateSecretString` };
}
