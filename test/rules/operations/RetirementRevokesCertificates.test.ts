import { App, Stack, Tags } from 'aws-cdk-lib';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template, type Resources } from '../../support/harness';

const RULE = 'RetirementRevokesCertificates';
const MARKER: Resources = { Marker: { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: 'x', Tags: { 'srm-iip:stage': 'retirement' } } } };
const cert = (status: unknown): Resources => ({ Cert: { Type: 'AWS::IoT::Certificate', Properties: { CertificateSigningRequest: 'csr', Status: status } } });
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

describe('SRM-IIP-OPS-07: retirement stacks leave no device certificate active', () => {
  it('is exported from the package root', () => {
    expect(kit.RetirementRevokesCertificates.controlId).toBe('SRM-IIP-OPS-07');
    expect(kit.isRetiredCertificateStatus('revoked')).toBe(true);
    expect(kit.isRetiredCertificateStatus('ACTIVE')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: a CDK retirement stack (stage tag on a bucket) keeps a certificate ACTIVE', () => {
      const stack = new Stack(new App(), 'Retire');
      Tags.of(new s3.Bucket(stack, 'Archive')).add('srm-iip:stage', 'retirement');
      new iot.CfnCertificate(stack, 'Cert', { status: 'ACTIVE', certificateSigningRequest: 'csr' });
      const fs = findingsForApp(stack, RULE);
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-OPS-07', ruleId: RULE, kind: 'violation', resourceType: 'AWS::IoT::Certificate', location: 'Status' }]);
      expect(fs[0].message).toMatch(/stack Retire is a retirement stack \(Archive\w+ is tagged srm-iip:stage=retirement\) but the certificate stays usable \(Status is 'ACTIVE'\)/);
    });

    it('2: the map-shaped tag of an SSM parameter marks the stack (L1)', () => {
      expect(findings(template({ ...MARKER, ...cert('PENDING_TRANSFER') }), RULE)).toMatchObject([{ kind: 'violation' }]);
    });

    it('3: one branch of Fn::If keeps the certificate active', () => {
      expect(findings(template({ ...MARKER, ...cert({ 'Fn::If': ['Prod', 'REVOKED', 'ACTIVE'] }) }, COND), RULE)).toMatchObject([{ kind: 'violation' }]);
    });
  });

  describe('Compliance', () => {
    it('revoked and inactive certificates in a retirement stack', () => {
      expect(findings(template({ ...MARKER, ...cert('REVOKED'), Other: { Type: 'AWS::IoT::Certificate', Properties: { Status: 'INACTIVE' } } }), RULE)).toEqual([]);
    });

    it('multi-stack: an active certificate in a stack that is not retiring is not judged', () => {
      const r = runOnTemplates([template(MARKER), template(cert('ACTIVE'))], RULE);
      expect(r.findings).toEqual([]);
    });

    it('every branch of Fn::If revokes', () => {
      expect(findings(template({ ...MARKER, ...cert({ 'Fn::If': ['Prod', 'REVOKED', 'INACTIVE'] }) }, COND), RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a status parameter in a retirement stack is unverifiable', () => {
      const t = template({ ...MARKER, ...cert({ Ref: 'Status' }) }, { Parameters: { Status: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Status') }]);
    });
  });
});
