import { App, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'BackupVaultCmkEncryption';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const vault = (p: Record<string, unknown> = {}) => ({ Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'v', ...p } });

describe('SRM-IIP-SYS-01: AWS Backup vaults encrypt with a customer-managed KMS key', () => {
  it('is exported from the package root', () => {
    expect(kit.BackupVaultCmkEncryption.controlId).toBe('SRM-IIP-SYS-01');
  });

  describe('Noncompliance', () => {
    it('1: an L2 vault with the default key', () => {
      const stack = new Stack(new App(), 'S');
      new backup.BackupVault(stack, 'V');
      expect(findingsForApp(stack, RULE)).toMatchObject([
        { controlId: 'SRM-IIP-SYS-01', ruleId: RULE, kind: 'violation', location: 'EncryptionKeyArn', message: expect.stringContaining('aws/backup') },
      ]);
    });

    it('2: an L1 vault with the AWS managed alias ARN', () => {
      const fs = findings(template({ V: vault({ EncryptionKeyArn: 'arn:aws:kms:eu-central-1:111122223333:alias/aws/backup' }) }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', message: expect.stringContaining('AWS managed key') }]);
    });

    it('3: one Fn::If branch has no key', () => {
      const t = template({ K: { Type: 'AWS::KMS::Key' }, V: vault({ EncryptionKeyArn: { 'Fn::If': ['Prod', { 'Fn::GetAtt': ['K', 'Arn'] }, { Ref: 'AWS::NoValue' }] } }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 vault with a key of another stack', () => {
      const app = new App();
      const key = new kms.Key(new Stack(app, 'Keys'), 'K');
      new backup.BackupVault(new Stack(app, 'Backup'), 'V', { encryptionKey: key });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('every Fn::If branch names a key', () => {
      const t = template({ K: { Type: 'AWS::KMS::Key' }, V: vault({ EncryptionKeyArn: { 'Fn::If': ['Prod', { 'Fn::GetAtt': ['K', 'Arn'] }, 'arn:aws:kms:eu-central-1:111122223333:key/mrk-1234567890abcdef1234567890abcdef'] } }) }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a key from a parameter is unverifiable', () => {
      const t = template({ V: vault({ EncryptionKeyArn: { Ref: 'K' } }) }, { Parameters: { K: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable' }]);
    });
  });
});
