import { judgeAlts, SrmIipRule } from '../engine/rule';
import { stringOf, Verdict } from '../engine/values';

/**
 * Date of the runtime schedule below (ISO). The rule judges against this
 * date, not the clock, so a run gives the same answer tomorrow; update the
 * list and this date together.
 */
export const LAMBDA_RUNTIME_SCHEDULE_DATE = '2026-11-27';

/**
 * Lambda runtime identifiers and the date AWS deprecates (deprecated) each,
 * from AWS's published runtime schedule (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html)
 * as known on {@link LAMBDA_RUNTIME_SCHEDULE_DATE}. Dates after that day are
 * projected dates and count only once reached. Runtimes not listed (newer
 * ones) are not deprecated.
 */
export const LAMBDA_RUNTIME_DEPRECATIONS: { readonly [runtime: string]: string } = {
  nodejs: '2016-10-31',
  'nodejs4.3': '2020-03-05',
  'nodejs4.3-edge': '2020-03-05',
  'nodejs6.10': '2019-08-12',
  'nodejs8.10': '2020-03-06',
  'nodejs10.x': '2021-07-30',
  'nodejs12.x': '2023-03-31',
  'nodejs14.x': '2023-12-04',
  'nodejs16.x': '2024-06-12',
  'nodejs18.x': '2025-09-01',
  'nodejs20.x': '2026-04-30',
  'nodejs22.x': '2027-04-30',
  'python2.7': '2021-07-15',
  'python3.6': '2022-07-18',
  'python3.7': '2023-12-04',
  'python3.8': '2024-10-14',
  'python3.9': '2025-12-15',
  'python3.10': '2026-06-30',
  'python3.11': '2026-06-30',
  'ruby2.5': '2021-07-30',
  'ruby2.7': '2023-12-07',
  'ruby3.2': '2026-03-31',
  'ruby3.3': '2027-03-31',
  java8: '2024-01-08',
  'java8.al2': '2026-06-30',
  java11: '2026-06-30',
  java17: '2026-06-30',
  'dotnetcore1.0': '2019-07-30',
  'dotnetcore2.0': '2019-05-30',
  'dotnetcore2.1': '2022-01-05',
  'dotnetcore3.1': '2023-04-03',
  'dotnet5.0': '2022-05-10',
  dotnet6: '2024-12-20',
  dotnet7: '2024-05-14',
  dotnet8: '2026-11-10',
  'go1.x': '2024-01-08',
  provided: '2024-01-08',
  'provided.al2': '2026-06-30',
};

/** Whether AWS has deprecated a Lambda runtime on the given date (ISO `YYYY-MM-DD`). */
export function isDeprecatedLambdaRuntime(runtime: string, asOf: string = LAMBDA_RUNTIME_SCHEDULE_DATE): boolean {
  const d = Object.prototype.hasOwnProperty.call(LAMBDA_RUNTIME_DEPRECATIONS, runtime) ? LAMBDA_RUNTIME_DEPRECATIONS[runtime] : undefined;
  return d !== undefined && d <= asOf;
}

/**
 * SRM-IIP-SYS-03, functions: Lambda functions run on a runtime AWS still
 * supports. Container-image functions (`PackageType: Image`) bring their
 * runtime in the image and are not applicable.
 */
export const LambdaRuntimeSupported: SrmIipRule = {
  id: 'LambdaRuntimeSupported',
  controlId: 'SRM-IIP-SYS-03',
  summary: `Lambda functions use a runtime that AWS has not deprecated (schedule of ${LAMBDA_RUNTIME_SCHEDULE_DATE})`,
  resourceTypes: ['AWS::Lambda::Function'],
  check(r) {
    const resolver = r.stack.resolver;
    if (resolver.get(r, 'PackageType').every((a) => stringOf(a) === 'Image')) return [];
    return judgeAlts(
      r,
      resolver.get(r, 'Runtime'),
      'Runtime',
      (a): Verdict => (a.kind === 'value' ? (stringOf(a) !== undefined && !isDeprecatedLambdaRuntime(stringOf(a)!) ? 'pass' : 'fail') : a.kind === 'absent' ? 'fail' : 'unknown'),
      (a) => {
        const rt = stringOf(a);
        if (a.kind === 'absent') return 'Runtime is not set on a .zip-package function';
        if (rt === undefined) return 'Runtime is not a runtime identifier';
        return `Runtime '${rt}' was deprecated by AWS on ${LAMBDA_RUNTIME_DEPRECATIONS[rt]} (no security patches); move to a supported runtime`;
      },
    );
  },
};
