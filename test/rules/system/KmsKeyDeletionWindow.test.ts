import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'KmsKeyDeletionWindow';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
type Res = Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: unknown; UpdateReplacePolicy?: unknown }>;

/** A raw template written to a file, as `cdk synth` and the CLI give it: the rule reads DeletionPolicy from the file. */
function onDisk(resources: Res, extra: Record<string, unknown> = {}, name = 'Keys') {
  const t = { AWSTemplateFormatVersion: '2010-09-09', ...extra, Resources: resources };
  const file = join(mkdtempSync(join(tmpdir(), 'srm-iip-sys08-')), `${name}.template.json`);
  writeFileSync(file, JSON.stringify(t));
  return { name, template: t, templatePath: file };
}
const key = (p: Record<string, unknown>, policies: Record<string, unknown> = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }) => ({ Type: 'AWS::KMS::Key', Properties: p, ...policies });

describe('SRM-IIP-SYS-08: KMS keys state a deletion waiting period and are retained', () => {
  it('is exported from the package root with its judgements', () => {
    expect(kit.KmsKeyDeletionWindow.controlId).toBe('SRM-IIP-SYS-08');
    expect(kit.isAllowedPendingWindow(7)).toBe(true);
    expect(kit.isAllowedPendingWindow(31)).toBe(false);
    expect(kit.isRetainPolicy('Retain')).toBe(true);
    expect(kit.isRetainPolicy('Delete')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 key with the default waiting period (not stated)', () => {
      const stack = new Stack(new App(), 'S');
      new kms.Key(stack, 'K');
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-SYS-08', ruleId: RULE, kind: 'violation', location: 'PendingWindowInDays', severity: 'warning' }]);
      expect(fs[0].message).toContain('default 30 days');
    });

    it('2: an L2 key with RemovalPolicy.DESTROY', () => {
      const stack = new Stack(new App(), 'S');
      new kms.Key(stack, 'K', { pendingWindow: Duration.days(7), removalPolicy: RemovalPolicy.DESTROY });
      const fs = findingsForApp(stack, RULE);
      expect(fs.map((f) => f.location)).toEqual(['DeletionPolicy', 'UpdateReplacePolicy']);
      expect(fs[0].message).toContain("DeletionPolicy is 'Delete', not Retain");
    });

    it('3: an L1 key with a window outside 7..30 and no policies', () => {
      const r = runOnTemplates([onDisk({ K: key({ PendingWindowInDays: 3 }, {}) })], RULE);
      expect(r.findings.map((f) => [f.kind, f.location])).toEqual([
        ['violation', 'PendingWindowInDays'],
        ['violation', 'DeletionPolicy'],
        ['violation', 'UpdateReplacePolicy'],
      ]);
      expect(r.findings[1].message).toContain('DeletionPolicy is not set');
    });

    it('4: one branch of Fn::If sets a window of 60 days', () => {
      const r = runOnTemplates([onDisk({ K: key({ PendingWindowInDays: { 'Fn::If': ['Prod', 30, 60] } }) }, COND)], RULE);
      expect(r.findings).toMatchObject([{ kind: 'violation', message: expect.stringContaining('got 60') }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 key with a stated window and the default RETAIN', () => {
      const stack = new Stack(new App(), 'S');
      new kms.Key(stack, 'K', { pendingWindow: Duration.days(30) });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('an L2 key tagged for retirement may be destroyed with its data', () => {
      const stack = new Stack(new App(), 'S');
      const k = new kms.Key(stack, 'K', { pendingWindow: Duration.days(7), removalPolicy: RemovalPolicy.DESTROY });
      Tags.of(k).add('srm-iip:stage', 'retirement');
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('L1 keys in two files with every Fn::If branch allowed (replica keys too)', () => {
      const a = onDisk({ K: key({ PendingWindowInDays: { 'Fn::If': ['Prod', 30, '7'] } }) }, COND, 'A');
      const b = onDisk({ R: { Type: 'AWS::KMS::ReplicaKey', Properties: { PendingWindowInDays: 14, PrimaryKeyArn: 'arn:aws:kms:eu-central-1:111122223333:key/mrk-1' }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' } }, {}, 'B');
      expect(runOnTemplates([a, b], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a window from a parameter is unverifiable', () => {
      const r = runOnTemplates([onDisk({ K: key({ PendingWindowInDays: { Ref: 'Days' } }) }, { Parameters: { Days: { Type: 'Number' } } })], RULE);
      expect(r.findings).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Days') }]);
    });

    it('a template checked in memory (no file) is judged on its DeletionPolicy too', () => {
      const fs = findings(template({ K: key({ PendingWindowInDays: 30 }, {}) }), RULE);
      expect(fs.map((f) => [f.kind, f.location])).toEqual([
        ['violation', 'DeletionPolicy'],
        ['violation', 'UpdateReplacePolicy'],
      ]);
    });

    it('a stage tag from a parameter turns a missing Retain into unverifiable', () => {
      const t = onDisk({ K: key({ PendingWindowInDays: 30, Tags: [{ Key: 'srm-iip:stage', Value: { Ref: 'Stage' } }] }, {}) }, { Parameters: { Stage: { Type: 'String' } } });
      expect(runOnTemplates([t], RULE).findings.map((f) => f.kind)).toEqual(['unverifiable', 'unverifiable']);
    });
  });
});
