import { App, Stack, Tags } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'ResourcesClassifiedByTags';
const FULL = [
  { Key: 'srm-iip:zone', Value: 'platform' },
  { Key: 'srm-iip:level', Value: '2' },
  { Key: 'srm-iip:owner', Value: 'ops' },
  { Key: 'srm-iip:stage', Value: 'utilization-support' },
];
const FULL_MAP = Object.fromEntries(FULL.map((t) => [t.Key, t.Value]));
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

function tagAll(scope: Stack | App) {
  for (const t of FULL) Tags.of(scope).add(t.Key, t.Value);
}

describe('SRM-IIP-MGT-02: every taggable resource carries zone, level, owner and stage tags', () => {
  it('is exported from the package root', () => {
    expect(kit.ResourcesClassifiedByTags.controlId).toBe('SRM-IIP-MGT-02');
    expect(kit.MANAGEMENT_RULES).toContain(kit.ResourcesClassifiedByTags);
    expect(kit.missingKitTags(['srm-iip:zone', 'srm-iip:level'])).toEqual(['srm-iip:owner', 'srm-iip:stage']);
    expect(kit.tagPropertyOf('AWS::Cognito::UserPool')).toBe('UserPoolTags');
  });

  describe('Noncompliance', () => {
    it('1: an untagged L2 bucket lacks all four tags', () => {
      const stack = new Stack(new App(), 'S');
      new s3.Bucket(stack, 'B');
      const f = findingsForApp(stack, RULE);
      expect(f).toMatchObject([{ controlId: 'SRM-IIP-MGT-02', ruleId: RULE, kind: 'violation', resourceType: 'AWS::S3::Bucket', location: 'Tags' }]);
      expect(f[0].message).toContain('missing tags srm-iip:zone, srm-iip:level, srm-iip:owner, srm-iip:stage (Tags)');
    });

    it('2: a Cognito user pool (UserPoolTags map) missing the owner tag', () => {
      const stack = new Stack(new App(), 'S');
      new cognito.UserPool(stack, 'Pool');
      for (const t of FULL.filter((x) => x.Key !== 'srm-iip:owner')) Tags.of(stack).add(t.Key, t.Value);
      expect(findingsForApp(stack, RULE)).toMatchObject([{ resourceType: 'AWS::Cognito::UserPool', location: 'UserPoolTags', message: expect.stringContaining('missing tag srm-iip:owner (UserPoolTags)') }]);
    });

    it('3: an SSM parameter (Tags map) and a backup plan (BackupPlanTags map) without tags', () => {
      const t = template({
        P: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'v', Tags: { 'srm-iip:zone': 'platform' } } },
        Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: {}, Tags: FULL } },
      });
      const f = findings(t, RULE);
      expect(f.map((x) => `${x.logicalId} ${x.location}`)).toEqual(['P Tags', 'Plan BackupPlanTags']);
      expect(f[0].message).toContain('missing tags srm-iip:level, srm-iip:owner, srm-iip:stage');
    });

    it('4: a tag written in only one branch of Fn::If, and an empty value', () => {
      const t = template({
        Q: { Type: 'AWS::SQS::Queue', Properties: { Tags: [...FULL.slice(0, 2), { Key: 'srm-iip:owner', Value: '' }, { 'Fn::If': ['Prod', FULL[3], { Ref: 'AWS::NoValue' }] }] } },
      }, COND);
      expect(findings(t, RULE).map((x) => x.message)).toEqual([
        expect.stringContaining('tag srm-iip:stage is missing in some Fn::If branch of Tags'),
        expect.stringContaining('tag srm-iip:owner has an empty value'),
      ]);
    });

    it('5: the whole tag list switched off in one branch', () => {
      const t = template({ Q: { Type: 'AWS::SQS::Queue', Properties: { Tags: { 'Fn::If': ['Prod', FULL, { Ref: 'AWS::NoValue' }] } } } }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('missing in some Fn::If branch') }]);
    });
  });

  describe('Compliance', () => {
    it('an app tagged at the root: every taggable L2 resource in every stack carries the tags', () => {
      const app = new App();
      new s3.Bucket(new Stack(app, 'Data'), 'B');
      new sqs.Queue(new Stack(app, 'Work'), 'Q');
      new cognito.UserPool(new Stack(app, 'Users'), 'Pool');
      tagAll(app);
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('the map, autoscaling and EFS shapes are read from their own properties', () => {
      const t = template({
        P: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'v', Tags: FULL_MAP } },
        Asg: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MaxSize: '1', MinSize: '0', Tags: FULL.map((x) => ({ ...x, PropagateAtLaunch: true })) } },
        Fs: { Type: 'AWS::EFS::FileSystem', Properties: { FileSystemTags: FULL } },
        Policy: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', PolicyDocument: {} } },
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every branch of Fn::If writes the tags', () => {
      const t = template({ Q: { Type: 'AWS::SQS::Queue', Properties: { Tags: { 'Fn::If': ['Prod', FULL, [...FULL].reverse()] } } } }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a tag list from a parameter is unverifiable', () => {
      const t = template({ Q: { Type: 'AWS::SQS::Queue', Properties: { Tags: { Ref: 'TagList' } } } }, { Parameters: { TagList: { Type: 'CommaDelimitedList' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter TagList') }]);
    });

    it('a tag key computed at deploy time makes the missing tags unverifiable', () => {
      const t = template({ Q: { Type: 'AWS::SQS::Queue', Properties: { Tags: [...FULL.slice(0, 3), { Key: { Ref: 'K' }, Value: 'x' }] } } }, { Parameters: { K: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('cannot verify tag srm-iip:stage') }]);
    });

    it('a tag value from a parameter still counts as carried', () => {
      const t = template({ Q: { Type: 'AWS::SQS::Queue', Properties: { Tags: [...FULL.slice(0, 3), { Key: 'srm-iip:stage', Value: { Ref: 'Stage' } }] } } }, { Parameters: { Stage: { Type: 'String' } } });
      expect(findings(t, RULE)).toEqual([]);
    });
  });
});
