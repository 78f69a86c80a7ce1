import { CfnParameter, RemovalPolicy, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import * as kit from '../../index';
import { appWithStack, envStack, expectCleanUnderAllPacks, kitTags } from '../support/construct-helpers';
import { kitControlIds } from '../support/packs';

describe('IipKeyRing', () => {
  describe('secure defaults', () => {
    const s = envStack();
    const ring = new kit.IipKeyRing(s, 'Keys');
    const t = Template.fromStack(s);

    it('one customer-managed key per purpose', () => {
      t.resourceCountIs('AWS::KMS::Key', 5);
      expect(ring.keys).toHaveLength(5);
      for (const p of Object.values(kit.KeyPurpose)) expect(ring.key(p)).toBeDefined();
    });

    it('rotation on, yearly', () => {
      t.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true, RotationPeriodInDays: 365 });
    });

    it('an explicit 30-day deletion waiting period, retained on stack deletion', () => {
      t.allResourcesProperties('AWS::KMS::Key', { PendingWindowInDays: 30 });
      t.allResources('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    it('the key policy delegates to the account only and grants no public principal', () => {
      t.allResourcesProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: [
            Match.objectLike({
              Sid: 'AccountIamDelegation',
              Principal: { AWS: Match.anyValue() },
              Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' } },
            }),
          ],
        },
      });
    });

    it('the kit tags on every key', () => {
      t.allResourcesProperties('AWS::KMS::Key', {
        Tags: kitTags('cloud-infrastructure'),
      });
    });
  });

  it('named administrators get administration and no use of the key', () => {
    const s = envStack();
    const admin = new iam.Role(s, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    new kit.IipKeyRing(s, 'Keys', { purposes: [kit.KeyPurpose.DATA], administrators: [admin] });
    const statement = Template.fromStack(s).findResources('AWS::KMS::Key');
    const stmts = (Object.values(statement)[0] as { Properties: { KeyPolicy: { Statement: Array<{ Sid?: string; Action: string[] }> } } }).Properties.KeyPolicy.Statement;
    const adminStmt = stmts.find((x) => x.Sid === 'KeyAdministration')!;
    expect(adminStmt.Action).toEqual(kit.KEY_ADMIN_ACTIONS);
    expect(adminStmt.Action.some((a) => /Decrypt|Encrypt|GenerateDataKey|ReEncrypt/.test(a))).toBe(false);
  });

  it('separate keys per classification level, each tagged with its level', () => {
    const s = envStack();
    const ring = new kit.IipKeyRing(s, 'Keys', { purposes: [kit.KeyPurpose.DATA, kit.KeyPurpose.LOGS], classificationLevels: 3 });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::KMS::Key', 6);
    expect(ring.key(kit.KeyPurpose.DATA, 1)).not.toBe(ring.key(kit.KeyPurpose.DATA, 3));
    for (const level of ['1', '2', '3']) {
      expect(Object.keys(t.findResources('AWS::KMS::Key', { Properties: { Tags: Match.arrayWith([{ Key: 'srm-iip:level', Value: level }]) } }))).toHaveLength(2);
    }
    expect(() => ring.key(kit.KeyPurpose.DATA, 4)).toThrow('[S/Keys] the key ring has no data key for level 4; it holds purposes and levels 1..3');
  });

  describe('bad props fail at construction with the prop, the value and what is allowed', () => {
    it.each([
      [{ pendingWindowDays: 3 }, '[S/Keys] pendingWindowDays must be a whole number 7..30, got 3'],
      [{ pendingWindowDays: 31 }, '[S/Keys] pendingWindowDays must be a whole number 7..30, got 31'],
      [{ rotationPeriodDays: 30 }, '[S/Keys] rotationPeriodDays must be a whole number 90..365, got 30'],
      [{ classificationLevels: 0 }, '[S/Keys] classificationLevels must be a whole number 1..16, got 0'],
      [{ purposes: [] }, '[S/Keys] purposes must name at least one KeyPurpose, got []'],
      [{ purposes: [kit.KeyPurpose.DATA, kit.KeyPurpose.DATA] }, '[S/Keys] purposes must not repeat a purpose, got [data, data]'],
      [{ classificationLevel: 0 }, '[S/Keys] classificationLevel must be a whole number 1..16, got 0'],
      [{ owner: ' ' }, "[S/Keys] owner must not be empty, got ' '"],
    ])('%j', (props, message) => {
      const s = envStack();
      expect(() => new kit.IipKeyRing(s, 'Keys', props as kit.IipKeyRingProps)).toThrow(kit.SrmIipError);
      expect(() => new kit.IipKeyRing(envStack(), 'Keys', props as kit.IipKeyRingProps)).toThrow(message);
    });

    it('a token passes validation (known at deploy time only)', () => {
      const s = envStack();
      const owner = new CfnParameter(s, 'Owner').valueAsString;
      expect(Token.isUnresolved(owner)).toBe(true);
      expect(() => new kit.IipKeyRing(s, 'Keys', { owner })).not.toThrow();
    });
  });

  describe('deliberate weakening is visible as a warning naming the control', () => {
    it('rotation off warns SRM-IIP-SYS-02', () => {
      const s = envStack();
      new kit.IipKeyRing(s, 'Keys', { enableRotation: false });
      Annotations.fromStack(s).hasWarning('/S/Keys', Match.stringLikeRegexp('SRM-IIP-SYS-02'));
    });

    it('a removal policy other than RETAIN warns SRM-IIP-SYS-08', () => {
      const s = envStack();
      new kit.IipKeyRing(s, 'Keys', { removalPolicy: RemovalPolicy.DESTROY });
      Annotations.fromStack(s).hasWarning('/S/Keys', Match.stringLikeRegexp('SRM-IIP-SYS-08'));
    });

    it('secure defaults raise no warning', () => {
      const s = envStack();
      new kit.IipKeyRing(s, 'Keys');
      Annotations.fromStack(s).hasNoWarning('*', Match.stringLikeRegexp('SRM-IIP'));
    });
  });

  it('alone in a stack with default props, passes SrmIipChecks, AwsSolutions and NIST 800-53 R5', () => {
    const { app, stack } = appWithStack();
    new kit.IipKeyRing(stack, 'Keys');
    expectCleanUnderAllPacks(app);
  });

  describe('mutation: a secure default switched off through an escape hatch is reported', () => {
    function mutated(change: (k: kms.CfnKey) => void): string[] {
      const { app, stack } = appWithStack();
      const ring = new kit.IipKeyRing(stack, 'Keys', { purposes: [kit.KeyPurpose.DATA] });
      change(ring.keys[0].node.defaultChild as kms.CfnKey);
      return kitControlIds(app, { allowedRegions: ['eu-central-1'] });
    }
    it('rotation off → SRM-IIP-SYS-02', () => expect(mutated((k) => k.addPropertyOverride('EnableKeyRotation', false))).toContain('SRM-IIP-SYS-02'));
    it('waiting period removed → SRM-IIP-SYS-08', () => expect(mutated((k) => k.addPropertyDeletionOverride('PendingWindowInDays'))).toContain('SRM-IIP-SYS-08'));
    it('public principal → SRM-IIP-ACC-07', () =>
      expect(mutated((k) => k.addPropertyOverride('KeyPolicy.Statement.0.Principal', { AWS: '*' }))).toEqual(expect.arrayContaining(['SRM-IIP-ACC-07'])));
    it('kit tags removed → SRM-IIP-MGT-02', () => expect(mutated((k) => k.addPropertyDeletionOverride('Tags'))).toContain('SRM-IIP-MGT-02'));
  });
});
