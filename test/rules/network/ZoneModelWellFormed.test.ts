import { App, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';
import { declareZoneModel, PROD_CONDITION, securityGroup, VPC, ZONE, zoneModel } from './network-fixtures';

const RULE = 'ZoneModelWellFormed';

const ZONES = [
  { name: 'ingress', domain: 'application', internetFacing: true },
  { name: 'edge', domain: 'edge' },
  { name: 'platform', domain: 'platform' },
];

function sgStack(zone: string, model?: { zones: unknown[]; conduits?: unknown[] }): Stack {
  const stack = new Stack(new App(), 'S');
  if (model) declareZoneModel(stack, model.zones, model.conduits);
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  Tags.of(new ec2.SecurityGroup(stack, 'Sg', { vpc })).add(ZONE, zone);
  return stack;
}

describe('SRM-IIP-NET-06: the zone model is consistent and security groups name declared zones', () => {
  it('is exported from the package root', () => {
    expect(kit.ZoneModelWellFormed.controlId).toBe('SRM-IIP-NET-06');
    expect(kit.isSecurityDomain('edge')).toBe(true);
    expect(kit.isSecurityDomain('dmz')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 security group tagged with a zone the declared model lacks', () => {
      const fs = findingsForApp(sgStack('factory', { zones: ZONES }), RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-NET-06', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::SecurityGroup', location: 'Tags' });
      expect(fs[0].message).toContain("zone 'factory', which the zone model does not declare");
    });

    it('2: a conduit naming an undeclared zone, and a conduit the model cannot read', () => {
      const t = template({ Vpc: VPC }, zoneModel(ZONES, [{ from: 'edge', to: 'factory', protocol: 'tcp', fromPort: 443, toPort: 443 }, { from: 'edge', to: 'platform', protocol: 'tcp' }]));
      const fs = findings(t, RULE);
      expect(fs.map((f) => f.message)).toEqual([
        expect.stringContaining('zone model: stack Stack0: a conduit needs from, to, a protocol (tcp, udp, icmp or -1) and whole-number ports'),
        expect.stringContaining("conduit 0 (edge → factory) names to zone 'factory', which the zone model does not declare"),
      ]);
      expect(fs[1]).toMatchObject({ kind: 'violation', stack: 'Stack0' });
    });

    it('3: a conduit with a protocol the model does not know is reported, never guessed', () => {
      const t = template({ Vpc: VPC }, zoneModel(ZONES, [{ from: 'edge', to: 'platform', protocol: 'sctp', fromPort: 1, toPort: 2 }]));
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('a conduit needs from, to, a protocol (tcp, udp, icmp or -1)') }]);
    });

    it('4: cross-stack: two stacks declare one zone differently', () => {
      const a = template({ Vpc: VPC }, zoneModel([{ name: 'edge', domain: 'edge' }]));
      const b = template({ Vpc: VPC }, zoneModel([{ name: 'edge', domain: 'platform', internetFacing: true }]));
      expect(runOnTemplates([a, b], RULE).findings).toMatchObject([
        { kind: 'violation', message: expect.stringContaining("stack Stack1: zone 'edge' is declared differently in another stack") },
      ]);
    });

    it('5: a zone whose domain is not a security domain', () => {
      const t = template({ Vpc: VPC }, zoneModel([{ name: 'dmz', domain: 'perimeter', internetFacing: 'true' }]));
      expect(findings(t, RULE).map((f) => f.message)).toEqual([expect.stringContaining("zone 'dmz' has domain 'perimeter', which is not an SRM-IIP security domain")]);
    });

    it('6: one Fn::If branch of a security group zone tag is undeclared', () => {
      const t = template({ Vpc: VPC, Sg: securityGroup({ 'Fn::If': ['Prod', 'edge', 'factory'] }) }, PROD_CONDITION);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'Sg', message: expect.stringContaining("'factory', which is not a default zone") }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 group tagged with a declared zone, in a well-formed model', () => {
      expect(findingsForApp(sgStack('edge', { zones: ZONES, conduits: [{ from: 'edge', to: 'platform', protocol: 'tcp', fromPort: 8883, toPort: 8883 }] }), RULE)).toEqual([]);
    });

    it('no declared model: groups tagged with default zones', () => {
      expect(findingsForApp(sgStack('data'), RULE)).toEqual([]);
    });

    it('every Fn::If branch of a zone tag is declared', () => {
      const t = template({ Vpc: VPC, Sg: securityGroup({ 'Fn::If': ['Prod', 'edge', 'platform'] }) }, PROD_CONDITION);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a security group zone tag from a parameter is unverifiable', () => {
      const t = template({ Vpc: VPC, Sg: securityGroup({ Ref: 'Zone' }) }, { Parameters: { Zone: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', location: 'Tags', message: expect.stringContaining('parameter Zone') }]);
    });
  });
});
