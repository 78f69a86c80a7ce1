import type { AppModel } from '../engine/model';
import { judgeAlts, RuleIssue, SrmIipRule } from '../engine/rule';
import { describe, expectBool, stringOf, Verdict } from '../engine/values';

/** The one tag-mutability setting under which no tag can be overwritten. */
export function isImmutableTagSetting(mutability: string | undefined): boolean {
  return mutability === 'IMMUTABLE';
}

/** Registry scan frequencies that scan an image when it is pushed. */
export function isPushScanFrequency(frequency: string | undefined): boolean {
  return frequency === 'SCAN_ON_PUSH' || frequency === 'CONTINUOUS_SCAN';
}

/** Whether a registry scanning filter (`*` and `?` wildcards) matches a repository name. */
export function scanFilterMatches(filter: string, repositoryName: string | undefined): boolean {
  if (filter === '*') return true;
  if (repositoryName === undefined) return false;
  const re = new RegExp(`^${filter.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(repositoryName);
}

interface RegistryScan {
  /** Wildcard filters of registry rules that scan on push. */
  readonly filters: string[];
}

const REGISTRY = new WeakMap<AppModel, RegistryScan>();

/** Registry-level scanning (`AWS::ECR::RegistryScanningConfiguration`) rules of the app that scan on push. */
function registryScan(app: AppModel): RegistryScan {
  let scan = REGISTRY.get(app);
  if (scan) return scan;
  const filters: string[] = [];
  for (const cfg of app.resourcesOfType('AWS::ECR::RegistryScanningConfiguration')) {
    const resolver = cfg.stack.resolver;
    for (const rule of resolver.items(cfg.stack, resolver.get(cfg, 'Rules'))) {
      const freq = resolver.path(cfg.stack, [rule], ['ScanFrequency']);
      if (!freq.every((f) => isPushScanFrequency(stringOf(f)))) continue;
      for (const f of resolver.items(cfg.stack, resolver.path(cfg.stack, [rule], ['RepositoryFilters']))) {
        const text = resolver.path(cfg.stack, [f], ['Filter']).map((a) => stringOf(a));
        if (text.length === 1 && text[0] !== undefined) filters.push(text[0]);
      }
    }
  }
  scan = { filters };
  REGISTRY.set(app, scan);
  return scan;
}

/**
 * SRM-IIP-SYS-04: ECR repositories scan images on push and keep tags
 * immutable. Scanning also counts as on when a registry scanning
 * configuration of the app scans the repository on push or continuously.
 * `IMMUTABLE_WITH_EXCLUSION` lets the excluded tags be overwritten, so it
 * does not count as immutable.
 */
export const EcrImageScanAndImmutableTags: SrmIipRule = {
  id: 'EcrImageScanAndImmutableTags',
  controlId: 'SRM-IIP-SYS-04',
  summary: 'ECR repositories scan images on push and have immutable tags',
  resourceTypes: ['AWS::ECR::Repository'],
  check(r) {
    const resolver = r.stack.resolver;
    const issues: RuleIssue[] = judgeAlts(
      r,
      resolver.get(r, 'ImageTagMutability'),
      'ImageTagMutability',
      (a): Verdict => (a.kind === 'value' ? (isImmutableTagSetting(stringOf(a)) ? 'pass' : 'fail') : a.kind === 'absent' ? 'fail' : 'unknown'),
      (a) =>
        a.kind === 'absent'
          ? 'ImageTagMutability is not set: ECR defaults to MUTABLE, so a pushed tag can be overwritten'
          : `ImageTagMutability is ${describe(a)}, not IMMUTABLE: ${stringOf(a) === 'IMMUTABLE_WITH_EXCLUSION' ? 'the excluded tags' : 'tags'} can be overwritten`,
    );
    const names = resolver.get(r, 'RepositoryName').map((a) => stringOf(a));
    const filters = registryScan(r.stack.app).filters;
    if (filters.length > 0 && names.every((n) => filters.some((f) => scanFilterMatches(f, n)))) return issues;
    issues.push(
      ...judgeAlts(
        r,
        resolver.get(r, 'ImageScanningConfiguration', 'ScanOnPush'),
        'ImageScanningConfiguration.ScanOnPush',
        (a) => expectBool(a, true, false),
        (a) =>
          a.kind === 'absent'
            ? 'ImageScanningConfiguration.ScanOnPush is not set (ECR defaults to false) and no registry scanning configuration of the app scans this repository on push'
            : `ImageScanningConfiguration.ScanOnPush is ${describe(a)}: images are not scanned when pushed`,
      ),
    );
    return issues;
  },
};
