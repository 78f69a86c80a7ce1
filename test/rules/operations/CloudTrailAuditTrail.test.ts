import { App, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'CloudTrailAuditTrail';
const GOOD = { IsMultiRegionTrail: true, EnableLogFileValidation: true, KMSKeyId: 'arn:aws:kms:eu-central-1:111111111111:key/abc', IsLogging: true, S3BucketName: 'logs' };
const trail = (props: Record<string, unknown>) => ({ T: { Type: 'AWS::CloudTrail::Trail', Properties: { ...GOOD, ...props } } });
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-OPS-01: the app has a multi-region, validated, KMS-encrypted CloudTrail trail that is logging', () => {
  it('is exported from the package root and registered', () => {
    expect(kit.CloudTrailAuditTrail.controlId).toBe('SRM-IIP-OPS-01');
    expect(kit.OPERATIONS_RULES).toContain(kit.CloudTrailAuditTrail);
    expect(kit.isAuditTrail({ multiRegion: true, logFileValidation: true, kmsKeyId: 'k', logging: true })).toBe(true);
    expect(kit.isAuditTrail({ multiRegion: true, logFileValidation: true, logging: true })).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: no trail in any stack of a multi-stack app is an app-level violation naming the stacks', () => {
      const r = runOnTemplates([template({ B: { Type: 'AWS::S3::Bucket' } }), template({ Q: { Type: 'AWS::SQS::Queue' } })], RULE);
      expect(r.findings).toHaveLength(1);
      expect(r.findings[0]).toMatchObject({ controlId: 'SRM-IIP-OPS-01', ruleId: RULE, kind: 'violation', logicalId: undefined });
      expect(r.findings[0].message).toContain('no CloudTrail trail in any of the 2 stacks: Stack0, Stack1');
    });

    it('2: an L2 trail without a KMS key', () => {
      const stack = new Stack(new App(), 'Audit');
      new cloudtrail.Trail(stack, 'Trail');
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ kind: 'violation', resourceType: 'AWS::CloudTrail::Trail', location: 'KMSKeyId', stack: 'Audit' });
      expect(fs[0].message).toContain('KMSKeyId is not set');
    });

    it('3: an L2 single-region trail without log file validation', () => {
      const stack = new Stack(new App(), 'Audit');
      new cloudtrail.Trail(stack, 'Trail', { encryptionKey: new kms.Key(stack, 'Key'), isMultiRegionTrail: false, enableFileValidation: false });
      expect(findingsForApp(stack, RULE).map((f) => f.location).sort()).toEqual(['EnableLogFileValidation', 'IsMultiRegionTrail']);
    });

    it('4: an L1 trail that is not logging, with every setting omitted', () => {
      const fs = findings(template({ T: { Type: 'AWS::CloudTrail::Trail', Properties: { S3BucketName: 'logs' } } }), RULE);
      expect(fs.map((f) => f.location).sort()).toEqual(['EnableLogFileValidation', 'IsLogging', 'IsMultiRegionTrail', 'KMSKeyId']);
      expect(fs.every((f) => f.kind === 'violation')).toBe(true);
      expect(fs.find((f) => f.location === 'IsMultiRegionTrail')!.message).toContain('single-region');
    });

    it('5: IsLogging false as a string, and an empty KMSKeyId', () => {
      const fs = findings(template(trail({ IsLogging: 'false', KMSKeyId: '' })), RULE);
      expect(fs.map((f) => `${f.location}: ${f.message}`).sort()).toEqual([expect.stringContaining("IsLogging is 'false'"), expect.stringContaining("KMSKeyId: the trail does not encrypt its logs with a KMS key: KMSKeyId is ''")]);
    });

    it('6: one branch of Fn::If turns multi-region off', () => {
      const fs = findings(template(trail({ IsMultiRegionTrail: { 'Fn::If': ['Prod', true, false] } }), COND), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', location: 'IsMultiRegionTrail' }]);
    });

    it('7: a second, weaker trail is a violation even when a good one exists in another stack', () => {
      const r = runOnTemplates([template(trail({})), template({ Weak: { Type: 'AWS::CloudTrail::Trail', Properties: { ...GOOD, EnableLogFileValidation: false } } })], RULE);
      expect(r.findings).toMatchObject([{ kind: 'violation', logicalId: 'Weak', stack: 'Stack1', location: 'EnableLogFileValidation' }]);
    });

    it('8: a KMSKeyId removed by AWS::NoValue in one branch', () => {
      const fs = findings(template(trail({ KMSKeyId: { 'Fn::If': ['Prod', 'arn:aws:kms:eu-central-1:1:key/a', { Ref: 'AWS::NoValue' }] } }), COND), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', location: 'KMSKeyId', message: expect.stringContaining('not set') }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 trail with a KMS key (CDK defaults: multi-region, validation, logging)', () => {
      const stack = new Stack(new App(), 'Audit');
      new cloudtrail.Trail(stack, 'Trail', { encryptionKey: new kms.Key(stack, 'Key') });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a trail in one stack satisfies a multi-stack app; its key comes from another stack', () => {
      const app = new App();
      const keys = new Stack(app, 'Keys');
      const key = new kms.Key(keys, 'Key');
      const audit = new Stack(app, 'Audit');
      new cloudtrail.Trail(audit, 'Trail', { encryptionKey: key, bucket: new s3.Bucket(audit, 'Logs') });
      new s3.Bucket(new Stack(app, 'Data'), 'Bucket');
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('an organization trail counts', () => {
      expect(findings(template(trail({ IsOrganizationTrail: true })), RULE)).toEqual([]);
    });

    it('every branch of Fn::If is compliant', () => {
      const fs = findings(template(trail({ IsLogging: { 'Fn::If': ['Prod', true, 'true'] }, KMSKeyId: { 'Fn::If': ['Prod', 'alias/a', 'alias/b'] } }), COND), RULE);
      expect(fs).toEqual([]);
    });

    it('a key ARN built with Fn::Sub over pseudo parameters counts as set', () => {
      const fs = findings(template(trail({ KMSKeyId: { 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/trail' } })), RULE);
      expect(fs).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a parameter for IsLogging or KMSKeyId is unverifiable, never passed', () => {
      const t = template(trail({ IsLogging: { Ref: 'Logging' }, KMSKeyId: { Ref: 'KeyArn' } }), { Parameters: { Logging: { Type: 'String' }, KeyArn: { Type: 'String' } } });
      const fs = findings(t, RULE);
      expect(fs.map((f) => f.kind)).toEqual(['unverifiable', 'unverifiable']);
      expect(fs.map((f) => f.message).sort()).toEqual([expect.stringContaining('parameter Logging'), expect.stringContaining('parameter KeyArn')]);
    });

    it('a trail that only exists under an unknown condition does not prove the app has one', () => {
      const t = template({ T: { Type: 'AWS::CloudTrail::Trail', Condition: 'Prod', Properties: GOOD } }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('only exists when condition Prod holds') }]);
    });

    it('odd shapes never throw', () => {
      const t = template({ T: { Type: 'AWS::CloudTrail::Trail', Properties: { IsMultiRegionTrail: [1], EnableLogFileValidation: null, KMSKeyId: { a: 1 }, IsLogging: 'yes' } } });
      const fs = findings(t, RULE);
      expect(fs.every((f) => !f.message.includes('could not read'))).toBe(true);
      expect(fs.map((f) => f.location).sort()).toEqual(['EnableLogFileValidation', 'IsLogging', 'IsMultiRegionTrail']);
    });
  });
});
