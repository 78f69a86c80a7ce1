import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { isPlainObject } from '../engine/values';
import { isSecretName } from './NoSecretsInEnvironment';

/** Parameter types that hold a reference (a name or ID), never the secret itself. */
export function isReferenceParameterType(type: string): boolean {
  return type.startsWith('AWS::SSM::Parameter::Name') || (type.startsWith('AWS::') && !type.startsWith('AWS::SSM::Parameter::Value'));
}

/**
 * SRM-IIP-APP-04: template parameters whose names say they hold a secret
 * set `NoEcho: true`, so CloudFormation masks them in the console, API
 * responses and events. Better still, pass a Secrets Manager reference.
 */
export const SecretParametersUseNoEcho: SrmIipRule = {
  id: 'SecretParametersUseNoEcho',
  controlId: 'SRM-IIP-APP-04',
  summary: 'Template parameters named like secrets set NoEcho: true',
  resourceTypes: [],
  checkApp(ctx) {
    const issues: RuleIssue[] = [];
    for (const stack of ctx.app.stacks) {
      for (const [name, p] of Object.entries(stack.parameters)) {
        if (!isSecretName(name)) continue;
        const type = typeof p.Type === 'string' ? p.Type : 'String';
        if (isReferenceParameterType(type)) continue;
        const noEcho = p.NoEcho === true || (typeof p.NoEcho === 'string' && p.NoEcho.toLowerCase() === 'true');
        const hasDefault = p.Default !== undefined && p.Default !== null && String(p.Default) !== '';
        if (noEcho && hasDefault) {
          issues.push({
            stack,
            kind: 'violation',
            location: `Parameters.${name}.Default`,
            message: `parameter ${name} in stack ${stack.name} is NoEcho but has a Default, which writes the secret into the template; remove the Default and pass the value at deploy time or use a Secrets Manager dynamic reference`,
          });
          continue;
        }
        if (noEcho) continue;
        const shown = p.NoEcho === undefined ? 'not set' : JSON.stringify(p.NoEcho);
        const dflt = isPlainObject(p) && hasDefault ? '; its Default also writes a value into the template' : '';
        issues.push({
          stack,
          kind: 'violation',
          location: `Parameters.${name}`,
          message: `parameter ${name} in stack ${stack.name} looks like a secret but NoEcho is ${shown}, so its value shows in the console, API responses and stack events${dflt}; set NoEcho: true or pass a Secrets Manager dynamic reference`,
        });
      }
    }
    return issues;
  },
};
