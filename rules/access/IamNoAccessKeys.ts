import type { SrmIipRule } from '../engine/rule';
import { describe, stringOf } from '../engine/values';

/**
 * SRM-IIP-ACC-02: workloads use roles, not long-lived access keys. Every
 * `AWS::IAM::AccessKey` is a violation, reported on the key (the resource to
 * remove) and naming the user it belongs to, so a user with keys is reported
 * once per key rather than twice. CloudFormation cannot create access keys
 * any other way, so users without an AccessKey resource have none from the
 * template. An inactive key (`Status: Inactive`) still counts: it can be
 * switched on without a deployment.
 */
export const IamNoAccessKeys: SrmIipRule = {
  id: 'IamNoAccessKeys',
  controlId: 'SRM-IIP-ACC-02',
  summary: 'No IAM user has a long-lived access key (AWS::IAM::AccessKey)',
  resourceTypes: ['AWS::IAM::AccessKey'],
  check(r) {
    const res = r.stack.resolver;
    const users = new Set<string>();
    for (const { alt, target } of res.targets(res.get(r, 'UserName'))) {
      if (target) users.add(`${target.type === 'AWS::IAM::User' ? 'user' : target.type} ${target.logicalId} in stack ${target.stack.name}`);
      else if (alt.kind === 'absent') users.add('no user (UserName is not set)');
      else users.add(alt.kind === 'value' ? `user '${stringOf(alt) ?? describe(alt)}'` : `a user that cannot be resolved (${describe(alt)})`);
    }
    const who = users.size > 0 ? [...users].join(' or ') : 'a user';
    return [
      {
        resource: r,
        kind: 'violation',
        location: 'UserName',
        message: `long-lived access key (AWS::IAM::AccessKey) for ${who}; workloads should assume roles instead`,
      },
    ];
  },
};
