import { App, Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template, type Resources } from '../../support/harness';

const RULE = 'BackupVaultEncryptedAndLocked';
const KEY = 'arn:aws:kms:eu-central-1:111111111111:key/abc';
const vault = (props: Record<string, unknown>): Resources => ({ Vault: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: 'vault', ...props } } });
const plan = (target: unknown): Resources => ({ Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: [{ RuleName: 'daily', TargetBackupVault: target }] } } } });
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-OPS-05: backup vaults are encrypted with a KMS key and locked', () => {
  it('is exported from the package root', () => {
    expect(kit.BackupVaultEncryptedAndLocked.controlId).toBe('SRM-IIP-OPS-05');
    expect(kit.isLockedVault(7)).toBe(true);
    expect(kit.isLockedVault(undefined)).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 vault without key or lock', () => {
      const stack = new Stack(new App(), 'S');
      new backup.BackupVault(stack, 'Vault');
      const fs = findingsForApp(stack, RULE);
      expect(fs.map((f) => f.location).sort()).toEqual(['EncryptionKeyArn', 'LockConfiguration']);
      expect(fs.every((f) => f.kind === 'violation' && f.controlId === 'SRM-IIP-OPS-05' && f.resourceType === 'AWS::Backup::BackupVault')).toBe(true);
      expect(fs.find((f) => f.location === 'LockConfiguration')!.message).toContain('not locked');
    });

    it('2: a lock without a minimum retention', () => {
      const fs = findings(template(vault({ EncryptionKeyArn: KEY, LockConfiguration: { MaxRetentionDays: 30 } })), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', location: 'LockConfiguration', message: expect.stringContaining('MinRetentionDays') }]);
    });

    it('3: one branch of Fn::If drops the lock', () => {
      const t = template(vault({ EncryptionKeyArn: KEY, LockConfiguration: { 'Fn::If': ['Prod', { MinRetentionDays: 30 }, { Ref: 'AWS::NoValue' }] } }), COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'LockConfiguration' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 vault with a key and a lock', () => {
      const stack = new Stack(new App(), 'S');
      new backup.BackupVault(stack, 'Vault', { encryptionKey: new kms.Key(stack, 'K'), lockConfiguration: { minRetention: Duration.days(35) } });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('cross-stack: a plan targets a compliant vault of another stack by import and by name', () => {
      const producer = template(vault({ EncryptionKeyArn: KEY, LockConfiguration: { MinRetentionDays: 7 } }), { Outputs: { V: { Value: { Ref: 'Vault' }, Export: { Name: 'VaultName' } } } });
      const byImport = template(plan({ 'Fn::ImportValue': 'VaultName' }));
      const byName = template(plan('vault'));
      expect(runOnTemplates([producer, byImport, byName], RULE).findings).toEqual([]);
    });

    it('every branch of Fn::If is locked', () => {
      const t = template(vault({ EncryptionKeyArn: KEY, LockConfiguration: { 'Fn::If': ['Prod', { MinRetentionDays: 30 }, { MinRetentionDays: '7' }] } }), COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a key from a parameter is unverifiable', () => {
      const t = template(vault({ EncryptionKeyArn: { Ref: 'Key' }, LockConfiguration: { MinRetentionDays: 7 } }), { Parameters: { Key: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'EncryptionKeyArn', message: expect.stringContaining('parameter Key') }]);
    });

    it('a plan that stores into the Default vault (not in the app) is unverifiable', () => {
      expect(findings(template(plan('Default')), RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: 'Plan', message: expect.stringContaining("vault 'Default', which is not defined in the app") }]);
    });
  });
});
