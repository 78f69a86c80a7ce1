/**
 * Shared setup and assertions of the construct tests (test/constructs): the
 * test environment, error expectations, the kit tags, and the three packs.
 */
import { App, Environment, Stack } from 'aws-cdk-lib';
import { Match, Matcher } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { SrmIipError } from '../../rules/errors';
import type { SrmIipChecksProps } from '../../rules/packs';
import { acknowledgeAppLevelControls, describeViolations, kitControlIds, PackResults, runAllPacks, vagueReasons } from './packs';

/** Account and region of the test stacks. */
export const ENV = { account: '111122223333', region: 'eu-central-1' };

/** Pack options of a single-region test app. */
export const CHECK: SrmIipChecksProps = { allowedRegions: ['eu-central-1'] };

/** A new app with a stack `S` in `env` (by default `ENV`), or without an environment when `env` is false. */
export function appWithStack(env: Environment | false = ENV): { app: App; stack: Stack } {
  const app = new App();
  return { app, stack: new Stack(app, 'S', env ? { env } : {}) };
}

/** A stack `S` in `ENV`, in a new app. */
export function envStack(): Stack {
  return appWithStack().stack;
}

/**
 * Synthesize first, as `cdk synth` does: the kit's tags and other aspects apply at synthesis,
 * and the packs read the construct tree.
 */
export function checked(app: App): App {
  app.synth();
  return app;
}

/** `fn` throws an SrmIipError whose message is exactly `message`. */
export function expectSrmIipError(fn: () => unknown, message: string): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SrmIipError);
  expect((error as Error).message).toBe(message);
}

/** The kit's four tags with their defaults, in zone `zone` (for `Tags: kitTags('edge')`). */
export function kitTags(zone: string): Matcher {
  return Match.arrayWith([
    { Key: 'srm-iip:level', Value: '1' },
    { Key: 'srm-iip:owner', Value: 'iip-platform' },
    { Key: 'srm-iip:stage', Value: 'utilization-support' },
    { Key: 'srm-iip:zone', Value: zone },
  ]);
}

/**
 * Acknowledge the app-level controls the app does not `provide`, synthesize, and run
 * SrmIipChecks, AwsSolutionsChecks and NIST80053R5Checks: none reports an unacknowledged
 * error, and every acknowledgement has a specific reason. Returns the results for further checks.
 */
export function expectCleanUnderAllPacks(app: App, provided: readonly string[] = [], options: SrmIipChecksProps = CHECK): PackResults {
  acknowledgeAppLevelControls(app, provided);
  const r = runAllPacks(checked(app), options);
  expect(describeViolations(r.srmIip)).toEqual([]);
  expect(describeViolations(r.awsSolutions)).toEqual([]);
  expect(describeViolations(r.nist)).toEqual([]);
  expect(vagueReasons(r.acknowledgements)).toEqual([]);
  return r;
}

/** The kit pack's control IDs on the app, with the app-level controls it does not `provide` acknowledged (for mutation tests). */
export function kitFindings(app: App, provided: readonly string[] = [], options: SrmIipChecksProps = CHECK): string[] {
  acknowledgeAppLevelControls(app, provided);
  return kitControlIds(checked(app), options);
}
