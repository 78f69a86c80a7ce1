import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'IamNoAccessKeys';

describe('SRM-IIP-ACC-02: no IAM user has a long-lived access key', () => {
  it('is exported from the package root', () => {
    expect(kit.IamNoAccessKeys.controlId).toBe('SRM-IIP-ACC-02');
  });

  describe('Noncompliance', () => {
    it('1: an L2 access key names its user', () => {
      const stack = new Stack(new App(), 'S');
      const user = new iam.User(stack, 'Svc');
      new iam.AccessKey(stack, 'Key', { user });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-ACC-02', ruleId: RULE, kind: 'violation', resourceType: 'AWS::IAM::AccessKey', location: 'UserName' });
      expect(fs[0].message).toMatch(/long-lived access key \(AWS::IAM::AccessKey\) for user Svc[0-9A-F]+ in stack S/);
    });

    it('2: an L1 inactive key for a user named by literal', () => {
      const t = template({ K: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: 'legacy-uploader', Status: 'Inactive' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("user 'legacy-uploader'") }]);
    });

    it('3: a key in another stack than its user (Fn::ImportValue)', () => {
      const users = template(
        { Uploader: { Type: 'AWS::IAM::User', Properties: {} } },
        { Outputs: { U: { Value: { Ref: 'Uploader' }, Export: { Name: 'users-uploader' } } } },
      );
      const keys = template({ K: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: { 'Fn::ImportValue': 'users-uploader' } } } });
      const fs = runOnTemplates([users, keys], RULE).findings;
      expect(fs).toMatchObject([{ stack: 'Stack1', logicalId: 'K', kind: 'violation', message: expect.stringContaining('user Uploader in stack Stack0') }]);
    });

    it('4: a key guarded by a condition that may hold, for a user from Fn::If', () => {
      const t = template(
        {
          A: { Type: 'AWS::IAM::User', Properties: {} },
          K: { Type: 'AWS::IAM::AccessKey', Condition: 'Legacy', Properties: { UserName: { 'Fn::If': ['Legacy', { Ref: 'A' }, 'other'] } } },
        },
        { Parameters: { Env: { Type: 'String' } }, Conditions: { Legacy: { 'Fn::Equals': [{ Ref: 'Env' }, 'legacy'] } } },
      );
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("user A in stack Stack0 or user 'other'") }]);
    });
  });

  describe('Compliance', () => {
    it('users without keys and roles pass', () => {
      const stack = new Stack(new App(), 'S');
      new iam.User(stack, 'Human');
      new iam.Role(stack, 'Workload', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a key whose condition is statically false is never created', () => {
      const t = template({ K: { Type: 'AWS::IAM::AccessKey', Condition: 'Never', Properties: { UserName: 'x' } } }, { Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } } });
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a key for a user from a parameter is still a violation, naming what is unknown', () => {
      const t = template({ K: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: { Ref: 'Who' } } } }, { Parameters: { Who: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining("a user that cannot be resolved ('${Who}' (depends on parameter Who)") }]);
    });
  });
});
