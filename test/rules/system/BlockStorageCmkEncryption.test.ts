import { App, Size, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'BlockStorageCmkEncryption';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const vol = (p: Record<string, unknown>) => ({ Type: 'AWS::EC2::Volume', Properties: { AvailabilityZone: 'eu-central-1a', Size: 8, ...p } });

describe('SRM-IIP-SYS-01: EBS volumes and EFS file systems are encrypted with a customer-managed KMS key', () => {
  it('is exported from the package root', () => {
    expect(kit.BlockStorageCmkEncryption.controlId).toBe('SRM-IIP-SYS-01');
  });

  describe('Noncompliance', () => {
    it('1: an L2 volume without encryption relies on the account default', () => {
      const stack = new Stack(new App(), 'S');
      new ec2.Volume(stack, 'V', { availabilityZone: 'eu-central-1a', size: Size.gibibytes(8) });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-SYS-01', ruleId: RULE, kind: 'violation', location: 'Encrypted', resourceType: 'AWS::EC2::Volume' }]);
      expect(fs[0].message).toContain("account's EBS encryption-by-default");
    });

    it('2: an L2 volume encrypted with the default aws/ebs key', () => {
      const stack = new Stack(new App(), 'S');
      new ec2.Volume(stack, 'V', { availabilityZone: 'eu-central-1a', size: Size.gibibytes(8), encrypted: true });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', location: 'KmsKeyId', message: expect.stringContaining('aws/ebs') }]);
    });

    it('3: an L2 EFS file system with the AWS managed key', () => {
      const stack = new Stack(new App(), 'S');
      new efs.FileSystem(stack, 'Fs', { vpc: new ec2.Vpc(stack, 'Vpc'), encrypted: true });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', resourceType: 'AWS::EFS::FileSystem', message: expect.stringContaining('aws/elasticfilesystem') }]);
    });

    it('4: an L1 file system with Encrypted false', () => {
      expect(findings(template({ F: { Type: 'AWS::EFS::FileSystem', Properties: { Encrypted: false } } }), RULE)).toMatchObject([
        { kind: 'violation', message: expect.stringContaining('Encrypted is false') },
      ]);
    });

    it('5: one branch of Fn::If turns encryption off', () => {
      const t = template({ K: { Type: 'AWS::KMS::Key' }, V: vol({ Encrypted: { 'Fn::If': ['Prod', true, false] }, KmsKeyId: { Ref: 'K' } }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'Encrypted' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 volume and an L2 file system with their own keys', () => {
      const stack = new Stack(new App(), 'S');
      const key = new kms.Key(stack, 'K');
      new ec2.Volume(stack, 'V', { availabilityZone: 'eu-central-1a', size: Size.gibibytes(8), encrypted: true, encryptionKey: key });
      new efs.FileSystem(stack, 'Fs', { vpc: new ec2.Vpc(stack, 'Vpc'), encrypted: true, kmsKey: key });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch encrypts under an app key; the key sits in another template', () => {
      const keys = template({ K: { Type: 'AWS::KMS::Key' } }, { Outputs: { A: { Value: { 'Fn::GetAtt': ['K', 'Arn'] }, Export: { Name: 'ebs-key' } } } });
      const data = template({ V: vol({ Encrypted: { 'Fn::If': ['Prod', true, 'true'] }, KmsKeyId: { 'Fn::ImportValue': 'ebs-key' } }) }, COND);
      expect(runOnTemplates([keys, data], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('Encrypted from a parameter is unverifiable', () => {
      const t = template({ V: vol({ Encrypted: { Ref: 'Enc' }, KmsKeyId: 'alias/ebs-data' }) }, { Parameters: { Enc: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'Encrypted', message: expect.stringContaining('parameter Enc') }]);
    });
  });
});
