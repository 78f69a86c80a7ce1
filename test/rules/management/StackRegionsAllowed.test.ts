import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'StackRegionsAllowed';
const EU = { allowedRegions: ['eu-central-1', 'eu-west-1'] };
const bucketTemplate = () => template({ B: { Type: 'AWS::S3::Bucket' } });

describe('SRM-IIP-MGT-03: every stack deploys to an allowed region', () => {
  it('is exported from the package root', () => {
    expect(kit.StackRegionsAllowed.controlId).toBe('SRM-IIP-MGT-03');
    expect(kit.isAllowedRegion('eu-west-1', ['eu-west-1'])).toBe(true);
  });

  describe('Noncompliance', () => {
    it('1: a CDK stack in us-east-1 while only EU regions are allowed', () => {
      const app = new App();
      new s3.Bucket(new Stack(app, 'Eu', { env: { region: 'eu-central-1', account: '111111111111' } }), 'B');
      new s3.Bucket(new Stack(app, 'Us', { env: { region: 'us-east-1', account: '111111111111' } }), 'B');
      const fs = findingsForApp(app, RULE, EU);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-MGT-03', ruleId: RULE, kind: 'violation', stack: 'Us', logicalId: undefined }]);
      expect(fs[0].message).toBe('stack Us deploys to us-east-1, which is not an allowed region (eu-central-1, eu-west-1)');
    });

    it('2: raw templates with regions, one outside the list', () => {
      const r = runOnTemplates([{ name: 'A', template: bucketTemplate(), region: 'eu-west-1' }, { name: 'B', template: bucketTemplate(), region: 'ap-southeast-2' }], RULE, EU);
      expect(r.findings).toMatchObject([{ kind: 'violation', stack: 'B', message: expect.stringContaining('ap-southeast-2') }]);
    });
  });

  describe('Compliance', () => {
    it('every CDK stack in an allowed region', () => {
      const app = new App();
      new s3.Bucket(new Stack(app, 'A', { env: { region: 'eu-central-1' } }), 'B');
      new s3.Bucket(new Stack(app, 'B', { env: { region: 'eu-west-1' } }), 'B');
      expect(findingsForApp(app, RULE, EU)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('without an allowed-region list: one app-level unverifiable issue', () => {
      const fs = findings(bucketTemplate(), RULE);
      expect(fs).toMatchObject([{ kind: 'unverifiable', stack: undefined, logicalId: undefined, message: expect.stringContaining('no allowed-region list is configured (option allowedRegions)') }]);
    });

    it('an environment-agnostic stack is an unverifiable stack-level issue', () => {
      const stack = new Stack(new App(), 'Agnostic');
      new s3.Bucket(stack, 'B');
      expect(findingsForApp(stack, RULE, EU)).toMatchObject([{ kind: 'unverifiable', stack: 'Agnostic', logicalId: undefined, message: expect.stringContaining('does not fix its region') }]);
    });
  });
});
