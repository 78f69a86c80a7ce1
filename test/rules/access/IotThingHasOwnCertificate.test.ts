import { App, Stack } from 'aws-cdk-lib';
import * as iot from 'aws-cdk-lib/aws-iot';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, summarize, template } from '../../support/harness';

const RULE = 'IotThingHasOwnCertificate';
const thing = (name?: string) => ({ Type: 'AWS::IoT::Thing', Properties: name ? { ThingName: name } : {} });
const cert = { Type: 'AWS::IoT::Certificate', Properties: { Status: 'ACTIVE', CertificateSigningRequest: 'csr' } };
const attach = (thingName: unknown, principal: unknown, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::IoT::ThingPrincipalAttachment',
  Properties: { ThingName: thingName, Principal: principal },
  ...extra,
});
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const cond = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };

function device(stack: Stack, id: string): { thing: iot.CfnThing; cert: iot.CfnCertificate } {
  const t = new iot.CfnThing(stack, `${id}Thing`, {});
  const c = new iot.CfnCertificate(stack, `${id}Cert`, { status: 'ACTIVE', certificateSigningRequest: 'csr' });
  new iot.CfnThingPrincipalAttachment(stack, `${id}Attachment`, { thingName: t.ref, principal: c.attrArn });
  return { thing: t, cert: c };
}

describe('SRM-IIP-ACC-03: each IoT thing has its own X.509 certificate, and no certificate is attached to two things', () => {
  it('is exported from the package root', () => {
    expect(kit.IotThingHasOwnCertificate.controlId).toBe('SRM-IIP-ACC-03');
    expect(kit.isIotCertificateArn('arn:aws:iot:eu-central-1:111122223333:cert/abc123')).toBe(true);
    expect(kit.isIotCertificateArn('arn:aws:cognito-identity:eu-central-1:111122223333:identitypool/x')).toBe(false);
    expect(kit.certificateIsShared(new Set(['a', 'b']))).toBe(true);
  });

  describe('Noncompliance', () => {
    it('1: a thing without any certificate attachment (CDK)', () => {
      const stack = new Stack(new App(), 'Edge');
      device(stack, 'Press');
      new iot.CfnThing(stack, 'Lathe', {});
      const fs = findingsForApp(stack, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ controlId: 'SRM-IIP-ACC-03', ruleId: RULE, kind: 'violation', resourceType: 'AWS::IoT::Thing', logicalId: 'Lathe' });
      expect(fs[0].message).toContain('thing Lathe in stack Edge has no X.509 certificate attached');
    });

    it('2: one certificate attached to two things', () => {
      const t = template({ A: thing(), B: thing(), C: cert, AttA: attach({ Ref: 'A' }, arnOf('C')), AttB: attach({ Ref: 'B' }, arnOf('C')) });
      expect(summarize(findings(t, RULE))).toEqual([
        'violation C: certificate C in stack Stack0 is attached to 2 things (A in stack Stack0, B in stack Stack0) through AttA in stack Stack0, AttB in stack Stack0; each device needs its own certificate',
      ]);
    });

    it('3: the same certificate ARN text attached to two things by name', () => {
      const arn = 'arn:aws:iot:eu-central-1:111122223333:cert/0123abcd';
      const t = template({ A: thing('press-1'), B: thing('press-2'), AttA: attach('press-1', arn), AttB: attach({ Ref: 'B' }, arn) });
      const fs = findings(t, RULE);
      expect(fs).toMatchObject([{ kind: 'violation', logicalId: 'AttA', location: 'Principal', message: expect.stringContaining(`certificate '${arn}' is attached to 2 things`) }]);
    });

    it('4: the only attachment names a principal that is not a certificate', () => {
      const t = template({ A: thing(), Att: attach({ Ref: 'A' }, 'arn:aws:cognito-identity:eu-central-1:111122223333:identitypool/x') });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', logicalId: 'A', message: expect.stringContaining('which is not an X.509 certificate') }]);
    });

    it('5: the attachment reaches the thing in only one branch of Fn::If', () => {
      const t = template({ A: thing(), B: thing(), CA: cert, Att: attach({ 'Fn::If': ['Prod', { Ref: 'A' }, { Ref: 'B' }] }, arnOf('CA')) }, cond);
      expect(summarize(findings(t, RULE))).toEqual([
        'violation A: thing A in stack Stack0 does not have an X.509 certificate attached in every case: Att in stack Stack0 attaches to it in only one branch of its ThingName',
        'violation B: thing B in stack Stack0 does not have an X.509 certificate attached in every case: Att in stack Stack0 attaches to it in only one branch of its ThingName',
      ]);
    });

    it('6: across stacks, a certificate shared by things of another stack (CDK cross-stack references)', () => {
      const app = new App();
      const registry = new Stack(app, 'Registry');
      const a = new iot.CfnThing(registry, 'A', {});
      const b = new iot.CfnThing(registry, 'B', {});
      const identity = new Stack(app, 'Identity');
      const c = new iot.CfnCertificate(identity, 'Shared', { status: 'ACTIVE', certificateSigningRequest: 'csr' });
      new iot.CfnThingPrincipalAttachment(identity, 'AttA', { thingName: a.ref, principal: c.attrArn });
      new iot.CfnThingPrincipalAttachment(identity, 'AttB', { thingName: b.ref, principal: c.attrArn });
      const fs = findingsForApp(app, RULE);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ stack: 'Identity', logicalId: 'Shared', kind: 'violation' });
      expect(fs[0].message).toContain('is attached to 2 things (A in stack Registry, B in stack Registry)');
    });
  });

  describe('Compliance', () => {
    it('each CDK thing has its own certificate, across stacks too', () => {
      const app = new App();
      const registry = new Stack(app, 'Registry');
      const t = new iot.CfnThing(registry, 'Remote', {});
      const edge = new Stack(app, 'Edge');
      device(edge, 'Press');
      device(edge, 'Mill');
      const c = new iot.CfnCertificate(edge, 'RemoteCert', { status: 'ACTIVE', certificateSigningRequest: 'csr' });
      new iot.CfnThingPrincipalAttachment(edge, 'RemoteAttachment', { thingName: t.ref, principal: c.attrArn });
      expect(findingsForApp(app, RULE)).toEqual([]);
    });

    it('literal thing names, a second certificate for rotation, and an attachment with the thing\'s own condition', () => {
      const t = template(
        {
          A: thing('press-1'),
          C1: cert,
          C2: cert,
          Att1: attach('press-1', arnOf('C1')),
          Att2: attach('press-1', { 'Fn::Sub': 'arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:cert/${C2}' }),
          B: { ...thing(), Condition: 'Prod' },
          CB: { ...cert, Condition: 'Prod' },
          AttB: attach({ Ref: 'B' }, arnOf('CB'), { Condition: 'Prod' }),
        },
        cond,
      );
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every branch of Fn::If attaches a certificate of the thing', () => {
      const t = template({ A: thing(), C1: cert, C2: cert, Att: attach({ Ref: 'A' }, { 'Fn::If': ['Prod', arnOf('C1'), arnOf('C2')] }) }, cond);
      expect(findings(t, RULE)).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a Principal from a parameter is unverifiable on the attachment', () => {
      const t = template({ A: thing(), Att: attach({ Ref: 'A' }, { Ref: 'CertArn' }) }, { Parameters: { CertArn: { Type: 'String' } } });
      expect(summarize(findings(t, RULE))).toEqual([
        "unverifiable Att: cannot verify Principal: its value is '${CertArn}' (depends on parameter CertArn), so neither that it is an X.509 certificate nor that no other thing shares it can be shown",
      ]);
    });

    it('an attachment that only exists under an unknown condition does not prove the thing has a certificate', () => {
      const t = template({ A: thing(), C: cert, Att: attach({ Ref: 'A' }, arnOf('C'), { Condition: 'Prod' }) }, cond);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: 'A', message: expect.stringContaining('Att in stack Stack0 only exists when condition Prod holds') }]);
    });

    it('an attachment whose ThingName is a parameter makes other things unverifiable', () => {
      const t = template({ A: thing(), C: cert, Att: attach({ Ref: 'Name' }, arnOf('C')) }, { Parameters: { Name: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', logicalId: 'A', message: expect.stringContaining('the ThingName of Att in stack Stack0 is') }]);
    });

    it('a certificate with two attachments, one to a thing whose name is a parameter, may be shared', () => {
      const t = template({ A: thing(), C: cert, AttA: attach({ Ref: 'A' }, arnOf('C')), AttX: attach({ Ref: 'Name' }, arnOf('C')) }, { Parameters: { Name: { Type: 'String' } } });
      expect(summarize(findings(t, RULE))).toEqual([
        "unverifiable C: cannot verify that certificate C in stack Stack0 is attached to one thing only: it has 2 attachments, and the ThingName of AttX in stack Stack0 is '${Name}' (depends on parameter Name)",
      ]);
    });

    it('raw templates with Export/ImportValue resolve across stacks', () => {
      const things = template({ A: thing() }, { Outputs: { A: { Value: { Ref: 'A' }, Export: { Name: 'thing-a' } } } });
      const certs = template({ C: cert, Att: attach({ 'Fn::ImportValue': 'thing-a' }, arnOf('C')) });
      expect(runOnTemplates([things, certs], RULE).findings).toEqual([]);
      expect(runOnTemplates([things, template({ C: cert, Att: attach({ 'Fn::ImportValue': 'missing' }, arnOf('C')) })], RULE).findings).toMatchObject([
        { kind: 'unverifiable', logicalId: 'A', message: expect.stringContaining('export missing') },
      ]);
    });
  });
});
