import { checkProperty, judgeAlts, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, expectBool } from '../engine/values';
import { literal, shown } from './common';

const PITR = ['PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled'] as const;

function failMessage(what: string) {
  return (a: Alt) =>
    a.kind === 'absent'
      ? `${what} has no point-in-time recovery (PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled is not set; DynamoDB defaults to off)`
      : `${what} has no point-in-time recovery (PointInTimeRecoveryEnabled is ${shown(a)})`;
}

/**
 * SRM-IIP-OPS-05 (DynamoDB): tables, and every replica of a global table,
 * have point-in-time recovery on.
 */
export const DynamoDbPointInTimeRecovery: SrmIipRule = {
  id: 'DynamoDbPointInTimeRecovery',
  controlId: 'SRM-IIP-OPS-05',
  summary: 'DynamoDB tables and global table replicas have point-in-time recovery on',
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  check(r) {
    if (r.type === 'AWS::DynamoDB::Table') {
      return checkProperty(r, [...PITR], (a) => expectBool(a, true, false), failMessage('the table'));
    }
    const res = r.stack.resolver;
    const issues: RuleIssue[] = [];
    const replicas = res.items(r.stack, res.get(r, 'Replicas'));
    replicas.forEach((replica, i) => {
      const region = res.path(r.stack, [replica], ['Region']).map(literal).find((x) => x !== undefined) ?? `#${i}`;
      issues.push(
        ...judgeAlts(r, res.path(r.stack, [replica], [...PITR]), `Replicas.${i}.${PITR.join('.')}`, (a) => expectBool(a, true, false), failMessage(`the replica in ${region}`)),
      );
    });
    return issues;
  },
};
