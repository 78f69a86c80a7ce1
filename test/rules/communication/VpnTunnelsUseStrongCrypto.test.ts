import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, template } from '../../support/harness';

const RULE = 'VpnTunnelsUseStrongCrypto';
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

const STRONG = {
  IKEVersions: [{ Value: 'ikev2' }],
  Phase1EncryptionAlgorithms: [{ Value: 'AES256-GCM-16' }],
  Phase2EncryptionAlgorithms: [{ Value: 'AES256-GCM-16' }],
  Phase1IntegrityAlgorithms: [{ Value: 'SHA2-384' }],
  Phase2IntegrityAlgorithms: [{ Value: 'SHA2-256' }, { Value: 'SHA2-512' }],
  Phase1DHGroupNumbers: [{ Value: 20 }],
  Phase2DHGroupNumbers: [{ Value: 14 }, { Value: 19 }],
};

function vpn(tunnels: unknown, extra: Record<string, unknown> = COND) {
  return template(
    { V: { Type: 'AWS::EC2::VPNConnection', Properties: { Type: 'ipsec.1', CustomerGatewayId: 'cgw-1', VpnGatewayId: 'vgw-1', ...(tunnels === undefined ? {} : { VpnTunnelOptionsSpecifications: tunnels }) } } },
    extra,
  );
}

describe('SRM-IIP-COM-05: VPN tunnels use IKEv2, AES-256-GCM, SHA-2 and DH group 14–21', () => {
  it('is exported from the package root, with its judgements', () => {
    expect(kit.VpnTunnelsUseStrongCrypto.controlId).toBe('SRM-IIP-COM-05');
    expect(kit.COMMUNICATION_RULES).toContain(kit.VpnTunnelsUseStrongCrypto);
    expect(kit.isStrongIkeVersion('ikev1')).toBe(false);
    expect(kit.isStrongVpnEncryption('AES256')).toBe(false);
    expect(kit.isStrongVpnEncryption('AES256-GCM-16')).toBe(true);
    expect(kit.isStrongVpnIntegrity('SHA1')).toBe(false);
    expect([2, 5, 14, 21, 22, 24].map(kit.isStrongDhGroup)).toEqual([false, false, true, true, false, false]);
  });

  describe('Noncompliance', () => {
    it('1: an L2 VpnConnection leaves both tunnels on the AWS defaults', () => {
      const stack = new Stack(new App(), 'S');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, vpnGateway: true });
      vpc.addVpnConnection('Plant', { ip: '203.0.113.10' });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-COM-05', ruleId: RULE, kind: 'violation', resourceType: 'AWS::EC2::VPNConnection', message: expect.stringContaining('both tunnels use the AWS defaults') }]);
    });

    it('2: options for one tunnel only', () => {
      expect(findings(vpn([STRONG]), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('1 of the connection') }]);
    });

    it('3: IKEv1 allowed, AES256-CBC, SHA1, DH group 2 and group 24', () => {
      const weak = { ...STRONG, IKEVersions: [{ Value: 'ikev1' }, { Value: 'ikev2' }], Phase1EncryptionAlgorithms: [{ Value: 'AES256' }], Phase1IntegrityAlgorithms: [{ Value: 'SHA1' }], Phase2DHGroupNumbers: [{ Value: 2 }, { Value: 24 }] };
      const msgs = findings(vpn([weak, STRONG]), RULE).map((f) => f.message);
      expect(msgs).toEqual(
        expect.arrayContaining([
          expect.stringContaining("IKEVersions 'ikev1'"),
          expect.stringContaining("Phase1EncryptionAlgorithms 'AES256'"),
          expect.stringContaining("Phase1IntegrityAlgorithms 'SHA1'"),
          expect.stringContaining('Phase2DHGroupNumbers 2'),
          expect.stringContaining('Phase2DHGroupNumbers 24'),
        ]),
      );
      expect(msgs).toHaveLength(5);
    });

    it('4: a tunnel that omits a list falls back to the defaults', () => {
      const { Phase2IntegrityAlgorithms: _omit, ...partial } = STRONG;
      expect(findings(vpn([partial, STRONG]), RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('sets no Phase2IntegrityAlgorithms') }]);
    });

    it('5: one Fn::If branch of the DH groups adds group 2', () => {
      const t = vpn([{ ...STRONG, Phase1DHGroupNumbers: { 'Fn::If': ['Prod', [{ Value: 20 }], [{ Value: 2 }, { Value: 20 }]] } }, STRONG]);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('Phase1DHGroupNumbers 2') }]);
    });
  });

  describe('Compliance', () => {
    it('an L1 CfnVPNConnection built with CDK, both tunnels pinned', () => {
      const stack = new Stack(new App(), 'S');
      const strong: ec2.CfnVPNConnection.VpnTunnelOptionsSpecificationProperty = {
        ikeVersions: [{ value: 'ikev2' }],
        phase1EncryptionAlgorithms: [{ value: 'AES256-GCM-16' }],
        phase2EncryptionAlgorithms: [{ value: 'AES256-GCM-16' }],
        phase1IntegrityAlgorithms: [{ value: 'SHA2-256' }],
        phase2IntegrityAlgorithms: [{ value: 'SHA2-256' }],
        phase1DhGroupNumbers: [{ value: 19 }],
        phase2DhGroupNumbers: [{ value: 19 }],
      };
      new ec2.CfnVPNConnection(stack, 'Vpn', { type: 'ipsec.1', customerGatewayId: 'cgw-1', vpnGatewayId: 'vgw-1', vpnTunnelOptionsSpecifications: [strong, strong] });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('every Fn::If branch is strong', () => {
      const t = vpn({ 'Fn::If': ['Prod', [STRONG, STRONG], [STRONG, { ...STRONG, Phase1DHGroupNumbers: [{ Value: 21 }] }]] });
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a DH group from a parameter is unverifiable', () => {
      const t = vpn([{ ...STRONG, Phase1DHGroupNumbers: [{ Value: { Ref: 'Dh' } }] }, STRONG], { Parameters: { Dh: { Type: 'Number' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Dh') }]);
    });
  });
});
