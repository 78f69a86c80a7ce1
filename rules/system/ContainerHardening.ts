import { judgeAlts, RuleIssue, SrmIipRule, unverifiable } from '../engine/rule';
import { describe, expectBool, stringOf } from '../engine/values';
import { dedupeIssues } from './support';

/**
 * SRM-IIP-SYS-03, containers: every container of an ECS task definition
 * runs unprivileged (`Privileged` not true; absent means false) with a
 * read-only root file system (`ReadonlyRootFilesystem: true`; absent means
 * writable).
 */
export const ContainerHardening: SrmIipRule = {
  id: 'ContainerHardening',
  controlId: 'SRM-IIP-SYS-03',
  summary: 'ECS containers are not privileged and have a read-only root file system',
  resourceTypes: ['AWS::ECS::TaskDefinition'],
  check(r) {
    const resolver = r.stack.resolver;
    const issues: RuleIssue[] = [];
    for (const b of resolver.branches(r.stack, resolver.get(r, 'ContainerDefinitions'))) {
      if (b.kind === 'other') {
        if (b.alt.kind !== 'absent') issues.push(unverifiable(r, 'ContainerDefinitions', b.alt));
        continue;
      }
      b.elements.forEach((c, i) => {
        const name = resolver.path(r.stack, c, ['Name']).map((a) => stringOf(a)).find((s) => s !== undefined);
        const label = `container ${name !== undefined ? `'${name}'` : `#${i}`}`;
        issues.push(
          ...judgeAlts(
            r,
            resolver.path(r.stack, c, ['Privileged']),
            `ContainerDefinitions.${i}.Privileged`,
            (a) => expectBool(a, false, false),
            (a) => `${label} is privileged (Privileged is ${describe(a)}): it has root access to the host`,
          ),
          ...judgeAlts(
            r,
            resolver.path(r.stack, c, ['ReadonlyRootFilesystem']),
            `ContainerDefinitions.${i}.ReadonlyRootFilesystem`,
            (a) => expectBool(a, true, false),
            (a) =>
              a.kind === 'absent'
                ? `${label} does not set ReadonlyRootFilesystem: ECS gives it a writable root file system`
                : `${label} has a writable root file system (ReadonlyRootFilesystem is ${describe(a)})`,
          ),
        );
      });
    }
    return dedupeIssues(issues);
  },
};
