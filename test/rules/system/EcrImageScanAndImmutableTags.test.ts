import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'EcrImageScanAndImmutableTags';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const repo = (p: Record<string, unknown> = {}) => ({ Type: 'AWS::ECR::Repository', Properties: p });
const registryScan = (filter: string, frequency = 'SCAN_ON_PUSH') => ({
  Type: 'AWS::ECR::RegistryScanningConfiguration',
  Properties: { ScanType: 'ENHANCED', Rules: [{ ScanFrequency: frequency, RepositoryFilters: [{ Filter: filter, FilterType: 'WILDCARD' }] }] },
});

describe('SRM-IIP-SYS-04: ECR repositories scan on push and keep tags immutable', () => {
  it('is exported from the package root with its judgements', () => {
    expect(kit.EcrImageScanAndImmutableTags.controlId).toBe('SRM-IIP-SYS-04');
    expect(kit.isImmutableTagSetting('IMMUTABLE')).toBe(true);
    expect(kit.isImmutableTagSetting('IMMUTABLE_WITH_EXCLUSION')).toBe(false);
    expect(kit.scanFilterMatches('plant-*', 'plant-mes')).toBe(true);
    expect(kit.scanFilterMatches('plant-*', 'erp')).toBe(false);
    expect(kit.isPushScanFrequency('MANUAL')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 repository with defaults (mutable tags, no scan on push)', () => {
      const stack = new Stack(new App(), 'S');
      new ecr.Repository(stack, 'R');
      const fs = findingsForApp(stack, RULE);
      expect(fs.map((f) => [f.kind, f.location])).toEqual([
        ['violation', 'ImageTagMutability'],
        ['violation', 'ImageScanningConfiguration.ScanOnPush'],
      ]);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-SYS-04', ruleId: RULE, resourceType: 'AWS::ECR::Repository' });
      expect(fs[0].message).toContain('defaults to MUTABLE');
    });

    it('2: an L2 repository with exclusions from immutability', () => {
      const stack = new Stack(new App(), 'S');
      new ecr.Repository(stack, 'R', {
        imageScanOnPush: true,
        imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
        imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('latest')],
      });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('the excluded tags can be overwritten') }]);
    });

    it('3: an L1 repository with ScanOnPush false', () => {
      expect(findings(template({ R: repo({ ImageTagMutability: 'IMMUTABLE', ImageScanningConfiguration: { ScanOnPush: false } }) }), RULE)).toMatchObject([
        { kind: 'violation', message: expect.stringContaining('not scanned') },
      ]);
    });

    it('4: a registry scan rule that does not match the repository, or scans only manually', () => {
      const t = template({ Scan: registryScan('other-*'), Manual: registryScan('*', 'MANUAL'), R: repo({ RepositoryName: 'plant-mes', ImageTagMutability: 'IMMUTABLE' }) });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'ImageScanningConfiguration.ScanOnPush' }]);
    });

    it('5: one branch of Fn::If makes tags mutable', () => {
      const t = template({ R: repo({ ImageTagMutability: { 'Fn::If': ['Prod', 'IMMUTABLE', 'MUTABLE'] }, ImageScanningConfiguration: { ScanOnPush: true } }) }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'ImageTagMutability' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 repository with scan on push and immutable tags', () => {
      const stack = new Stack(new App(), 'S');
      new ecr.Repository(stack, 'R', { imageScanOnPush: true, imageTagMutability: ecr.TagMutability.IMMUTABLE });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('registry-level scanning in another template covers the repository', () => {
      const registry = template({ Scan: registryScan('plant-*', 'CONTINUOUS_SCAN') });
      const repos = template({ R: repo({ RepositoryName: 'plant-mes', ImageTagMutability: 'IMMUTABLE' }) });
      expect(runOnTemplates([registry, repos], RULE).findings).toEqual([]);
    });

    it('every Fn::If branch complies', () => {
      const t = template({ R: repo({ ImageTagMutability: { 'Fn::If': ['Prod', 'IMMUTABLE', 'IMMUTABLE'] }, ImageScanningConfiguration: { ScanOnPush: { 'Fn::If': ['Prod', true, 'true'] } } }) }, COND);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a mutability from a parameter is unverifiable', () => {
      const t = template({ R: repo({ ImageTagMutability: { Ref: 'M' }, ImageScanningConfiguration: { ScanOnPush: true } }) }, { Parameters: { M: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter M') }]);
    });
  });
});
