import { App, Stack } from 'aws-cdk-lib';
import * as iotsitewise from 'aws-cdk-lib/aws-iotsitewise';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'SiteWiseEncryptionAttestation';

describe('SRM-IIP-SYS-01: IoT SiteWise encryption (an account setting) is attested where SiteWise is used', () => {
  it('is exported from the package root with its judgement', () => {
    expect(kit.SiteWiseEncryptionAttestation.controlId).toBe('SRM-IIP-SYS-01');
    expect(kit.isSiteWiseType('AWS::IoTSiteWise::Portal')).toBe(true);
    expect(kit.isSiteWiseType('AWS::IoT::Thing')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L1 SiteWise asset model needs an attestation (one finding per stack)', () => {
      const stack = new Stack(new App(), 'Plant');
      new iotsitewise.CfnAssetModel(stack, 'Model', { assetModelName: 'press' });
      new iotsitewise.CfnAssetModel(stack, 'Model2', { assetModelName: 'oven' });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-SYS-01', ruleId: RULE, kind: 'unverifiable', stack: 'Plant' });
      expect(fs[0].message).toContain('account setting');
      expect(fs[0].message).toContain('AWS::IoTSiteWise::AssetModel');
    });

    it('2: SiteWise resources in two templates give one finding per stack', () => {
      const a = template({ P: { Type: 'AWS::IoTSiteWise::Portal', Properties: {} } });
      const b = template({ G: { Type: 'AWS::IoTSiteWise::Gateway', Properties: {} } });
      expect(runOnTemplates([a, b], RULE).findings.map((f) => f.stack)).toEqual(['Stack0', 'Stack1']);
    });

    it('3: a SiteWise resource under a condition that may hold still counts', () => {
      const t = template(
        { P: { Type: 'AWS::IoTSiteWise::Project', Condition: 'Prod', Properties: {} } },
        { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } },
      );
      expect(findings(t, RULE)).toHaveLength(1);
    });
  });

  describe('Compliance', () => {
    it('an app without SiteWise resources has nothing to attest', () => {
      expect(findings(template({ T: { Type: 'AWS::IoT::Thing', Properties: {} } }), RULE)).toEqual([]);
    });

    it('a SiteWise resource whose condition is false does not exist', () => {
      const t = template({ P: { Type: 'AWS::IoTSiteWise::Project', Condition: 'Never', Properties: {} } }, { Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } } });
      expect(findings(t, RULE)).toEqual([]);
    });
  });
});
