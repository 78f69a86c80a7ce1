import { actionCovers } from '../engine/policy';
import type { SrmIipRule } from '../engine/rule';
import { describe } from '../engine/values';
import { AccessProblem, altIsWildcard, problemsToIssues, readableText, readAccessPolicy, statementLabel, unresolvedProblem } from './policy-checks';

/** The policy variable that binds a resource to the connected device's own thing name. */
export const IOT_THING_NAME_VARIABLE = '${iot:Connection.Thing.ThingName}';

/** MQTT actions whose resources must be bound to the device's own thing name. */
export const IOT_DEVICE_SCOPED_ACTIONS = ['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive'] as const;

/**
 * Greengrass V2 data-plane actions that AWS documents on `Resource: *` in the
 * minimal AWS IoT policy of a core device (they have no narrower resource in
 * that policy). They are accepted on `*` by name; `greengrass:*` is not.
 * @see https://docs.aws.amazon.com/greengrass/v2/developerguide/device-auth.html
 */
export const GREENGRASS_CORE_ACTIONS_ON_ALL_RESOURCES = [
  'greengrass:GetComponentVersionArtifact',
  'greengrass:ResolveComponentCandidates',
  'greengrass:GetDeploymentConfiguration',
  'greengrass:ListThingGroupsForCoreDevice',
  'greengrass:PutCertificateAuthorities',
  'greengrass:VerifyClientDeviceIdentity',
] as const;

/** An action pattern that is every action (`*`) or every IoT action (`iot:*`). */
export function isIotWildcardAction(action: string): boolean {
  const a = action.trim().toLowerCase();
  return a === '*' || a === '*:*' || a === 'iot:*';
}

/** Whether an action pattern covers one of the MQTT actions that must be device-scoped. */
export function needsThingNameScope(action: string): boolean {
  return IOT_DEVICE_SCOPED_ACTIONS.some((a) => actionCovers(action.trim(), a));
}

/** Whether a resource ARN is bound to the connected thing's own name. */
export function isThingNameScoped(resource: string): boolean {
  return resource.includes(IOT_THING_NAME_VARIABLE);
}

/** Whether an action may be granted on `Resource: *` in a device policy (the documented Greengrass core actions). */
export function isGreengrassCoreActionOnAllResources(action: string): boolean {
  return GREENGRASS_CORE_ACTIONS_ON_ALL_RESOURCES.some((a) => a.toLowerCase() === action.trim().toLowerCase());
}

/**
 * SRM-IIP-ACC-04: AWS IoT policies are scoped to the device. No `Allow`
 * grants `iot:*` or `*` (nor uses NotAction / NotResource), no resource is
 * `*`, and every resource of `iot:Connect`, `iot:Publish`, `iot:Subscribe`
 * and `iot:Receive` contains `${iot:Connection.Thing.ThingName}` (in Fn::Sub
 * written as `${!iot:Connection.Thing.ThingName}`).
 *
 * Greengrass core devices: AWS's minimal core-device policy grants a few
 * `greengrass:` data-plane actions (GetComponentVersionArtifact,
 * ResolveComponentCandidates, …) on `*`. Those named actions are accepted on
 * `*`; `greengrass:*` (the installer's default) is not, since it also grants
 * every other Greengrass action, so it is reported like `iot:*` on `*`.
 */
export const IotPolicyScopedToDevice: SrmIipRule = {
  id: 'IotPolicyScopedToDevice',
  controlId: 'SRM-IIP-ACC-04',
  summary: 'AWS IoT policies grant no `iot:*` and no `Resource: *`, and bind connect/publish/subscribe/receive to `${iot:Connection.Thing.ThingName}`',
  resourceTypes: ['AWS::IoT::Policy'],
  check(r) {
    const location = 'PolicyDocument';
    const stack = r.stack;
    const view = readAccessPolicy(stack, stack.resolver.get(r, location));
    const problems: AccessProblem[] = [...unresolvedProblem(view, location)];
    view.statements.forEach((st, i) => {
      if (st.effect === 'Deny') return;
      const label = `${location} ${statementLabel(st, i)}`;
      const bad: string[] = [];
      const unsure: string[] = [];
      const actions: string[] = [];
      if (st.notAction) bad.push('uses NotAction with Allow, which grants every action except those listed');
      if (st.notResource) bad.push('uses NotResource with Allow, which grants every resource except those listed');
      for (const a of st.actions) {
        const t = readableText(stack, a);
        if (t === undefined) unsure.push(`Action ${describe(a)} cannot be resolved`);
        else if (isIotWildcardAction(t)) bad.push(`grants '${t}'`);
        else actions.push(t);
      }
      const scoped = actions.filter(needsThingNameScope);
      for (const res of st.resources) {
        const star = altIsWildcard(stack, res);
        // A reference to a resource of the app (a role alias, a thing) is one fixed ARN, never the thing-name variable.
        const text = res.kind === 'ref' ? describe(res) : readableText(stack, res);
        if (star === 'yes') {
          const onStar = actions.filter((a) => !isGreengrassCoreActionOnAllResources(a));
          if (onStar.length > 0) bad.push(`grants ${onStar.map((a) => `'${a}'`).join(', ')} on Resource '*'`);
          continue;
        }
        if (star === 'maybe' || text === undefined) {
          unsure.push(`Resource ${describe(res)} cannot be resolved`);
          continue;
        }
        if (scoped.length > 0 && !isThingNameScoped(text)) {
          bad.push(`grants ${scoped.map((a) => `'${a}'`).join(', ')} on '${text}', which is not bound to ${IOT_THING_NAME_VARIABLE}`);
        }
      }
      if (bad.length > 0) {
        problems.push(
          st.effect === 'Allow'
            ? { kind: 'violation', message: `${label} ${bad.join('; ')}` }
            : { kind: 'unverifiable', message: `cannot verify ${label}: its Effect is ${describe(st.effectUnknown ?? { kind: 'absent' })}, and if it is Allow it ${bad.join('; ')}` },
        );
      } else if (unsure.length > 0) {
        problems.push({ kind: 'unverifiable', message: `cannot verify ${label}: ${unsure.join('; ')}` });
      }
    });
    return problemsToIssues(r, location, problems);
  },
};
