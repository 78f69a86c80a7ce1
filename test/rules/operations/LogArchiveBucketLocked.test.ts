import { App, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'LogArchiveBucketLocked';
const LOCKED = {
  VersioningConfiguration: { Status: 'Enabled' },
  ObjectLockEnabled: true,
  ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } },
};
const trail = (bucket: unknown) => ({ T: { Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true, S3BucketName: bucket } } });
const bucket = (props: Record<string, unknown>) => ({ Logs: { Type: 'AWS::S3::Bucket', Properties: props } });
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-OPS-02: the log archive bucket is versioned and object-locked', () => {
  it('is exported from the package root', () => {
    expect(kit.LogArchiveBucketLocked.controlId).toBe('SRM-IIP-OPS-02');
    expect(kit.isLockedArchive({ versioningStatus: 'Enabled', objectLockEnabled: true, retentionMode: 'GOVERNANCE', retentionYears: 1 })).toBe(true);
    expect(kit.isLockedArchive({ versioningStatus: 'Enabled', objectLockEnabled: true, retentionMode: 'GOVERNANCE' })).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: the bucket an L2 trail creates is neither versioned nor locked', () => {
      const stack = new Stack(new App(), 'Audit');
      new cloudtrail.Trail(stack, 'Trail', { encryptionKey: new kms.Key(stack, 'Key') });
      const fs = findingsForApp(stack, RULE);
      expect(fs.map((f) => f.location).sort()).toEqual(['ObjectLockConfiguration.Rule.DefaultRetention', 'ObjectLockEnabled', 'VersioningConfiguration.Status']);
      expect(fs.every((f) => f.kind === 'violation' && f.resourceType === 'AWS::S3::Bucket' && f.controlId === 'SRM-IIP-OPS-02')).toBe(true);
      expect(fs.find((f) => f.location === 'VersioningConfiguration.Status')!.message).toMatch(/log archive bucket of trail Trail\w+ is not versioned/);
    });

    it('2: cross-stack: the trail in one stack writes to an unlocked bucket in another', () => {
      const app = new App();
      const logsStack = new Stack(app, 'LogArchive');
      const archive = new s3.Bucket(logsStack, 'Archive', { versioned: true });
      const audit = new Stack(app, 'Audit');
      new cloudtrail.Trail(audit, 'Trail', { bucket: archive });
      const fs = findingsForApp(app, RULE);
      expect(fs.map((f) => [f.stack, f.location])).toEqual([
        ['LogArchive', 'ObjectLockEnabled'],
        ['LogArchive', 'ObjectLockConfiguration.Rule.DefaultRetention'],
      ]);
      expect(fs[0].message).toMatch(/trail Trail\w+ \(stack Audit\)/);
    });

    it('3: raw templates joined by Export/ImportValue; versioning suspended', () => {
      const producer = template(bucket({ ...LOCKED, VersioningConfiguration: { Status: 'Suspended' } }), { Outputs: { Name: { Value: { Ref: 'Logs' }, Export: { Name: 'LogBucketName' } } } });
      const consumer = template(trail({ 'Fn::ImportValue': 'LogBucketName' }));
      const r = runOnTemplates([producer, consumer], RULE);
      expect(r.findings).toMatchObject([{ kind: 'violation', stack: 'Stack0', logicalId: 'Logs', message: expect.stringContaining("Status is 'Suspended'") }]);
    });

    it('4: a default retention without a period, and an unknown mode', () => {
      const fs = findings(template({ ...trail({ Ref: 'Logs' }), ...bucket({ ...LOCKED, ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'LEGAL' } } } }) }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', location: 'ObjectLockConfiguration.Rule.DefaultRetention', message: expect.stringContaining('needs Mode COMPLIANCE or GOVERNANCE') }]);
    });

    it('5: one branch of Fn::If drops object lock', () => {
      const t = template({ ...trail({ Ref: 'Logs' }), ...bucket({ ...LOCKED, ObjectLockEnabled: { 'Fn::If': ['Prod', true, false] } }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'ObjectLockEnabled' }]);
    });

    it('6: a trail without S3BucketName', () => {
      expect(findings(template({ T: { Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true } } }), RULE)).toMatchObject([{ kind: 'violation', logicalId: 'T', location: 'S3BucketName' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 bucket with versioning and object lock default retention, used by an L2 trail', () => {
      const stack = new Stack(new App(), 'Audit');
      const archive = new s3.Bucket(stack, 'Archive', { versioned: true, objectLockEnabled: true, objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(400)) });
      new cloudtrail.Trail(stack, 'Trail', { bucket: archive });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a bucket referenced by its literal name; unrelated buckets are not judged', () => {
      const t = template({ ...trail('org-logs'), ...bucket({ ...LOCKED, BucketName: 'org-logs' }), Other: { Type: 'AWS::S3::Bucket' } });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('no trail: nothing to judge (OPS-01 reports the missing trail)', () => {
      expect(findings(template({ B: { Type: 'AWS::S3::Bucket' } }), RULE)).toEqual([]);
    });

    it('every branch of Fn::If locks the bucket', () => {
      const t = template({ ...trail({ Ref: 'Logs' }), ...bucket({ ...LOCKED, ObjectLockConfiguration: { Rule: { DefaultRetention: { 'Fn::If': ['Prod', { Mode: 'COMPLIANCE', Years: 7 }, { Mode: 'GOVERNANCE', Days: 90 }] } } } }) }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a bucket name from a parameter is unverifiable', () => {
      const t = template(trail({ Ref: 'LogBucket' }), { Parameters: { LogBucket: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: 'T', message: expect.stringContaining('parameter LogBucket') }]);
    });

    it('a literal bucket outside the app is unverifiable', () => {
      expect(findings(template(trail('central-logs')), RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining("'central-logs' is not defined in the app") }]);
    });

    it('a retention period from a parameter is unverifiable', () => {
      const t = template({ ...trail({ Ref: 'Logs' }), ...bucket({ ...LOCKED, ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: { Ref: 'Days' } } } } }) }, { Parameters: { Days: { Type: 'Number' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'ObjectLockConfiguration.Rule.DefaultRetention' }]);
    });
  });
});
