import type { RuleIssue, SrmIipRule } from '../engine/rule';

/** Whether a region is in the agreed list. */
export function isAllowedRegion(region: string, allowed: readonly string[]): boolean {
  return allowed.includes(region);
}

/**
 * SRM-IIP-MGT-03 (stacks): every stack is deployed to a region of the
 * allowed-region list. A stack whose template does not fix its region
 * (environment-agnostic CDK stack, raw template without a region option) is
 * unverifiable; without an allowed-region list nothing can be verified, which
 * is reported once for the app.
 */
export const StackRegionsAllowed: SrmIipRule = {
  id: 'StackRegionsAllowed',
  controlId: 'SRM-IIP-MGT-03',
  summary: 'Every stack deploys to a region of the allowed-region list',
  resourceTypes: [],
  checkApp(ctx) {
    const allowed = ctx.settings.allowedRegions;
    if (allowed.length === 0) {
      return [{
        kind: 'unverifiable',
        message: 'no allowed-region list is configured (option allowedRegions), so it cannot be verified that data stays in the agreed jurisdictions',
      }];
    }
    const issues: RuleIssue[] = [];
    for (const stack of ctx.app.stacks) {
      if (stack.region === undefined) {
        issues.push({
          stack,
          kind: 'unverifiable',
          message: `stack ${stack.name} does not fix its region (an environment-agnostic stack or a template checked without a region), so it cannot be shown to deploy to ${allowed.join(', ')}`,
        });
      } else if (!isAllowedRegion(stack.region, allowed)) {
        issues.push({ stack, kind: 'violation', message: `stack ${stack.name} deploys to ${stack.region}, which is not an allowed region (${allowed.join(', ')})` });
      }
    }
    return issues;
  },
};
