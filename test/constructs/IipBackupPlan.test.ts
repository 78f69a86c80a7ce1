import { App, CfnParameter, CfnResource, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { describe, expect, test } from 'vitest';
import * as kit from '../../index';
import { appWithStack, CHECK, checked, ENV, expectCleanUnderAllPacks, expectSrmIipError, kitFindings } from '../support/construct-helpers';
import { kitControlIds } from '../support/packs';

const WEST_VAULT = 'arn:aws:backup:eu-west-1:111122223333:backup-vault:iip-copies';

function make(props: kit.IipBackupPlanProps | ((stack: Stack) => kit.IipBackupPlanProps) = {}, env = true): { app: App; stack: Stack; bp: kit.IipBackupPlan } {
  const { app, stack } = appWithStack(env ? ENV : false);
  const bp = new kit.IipBackupPlan(stack, 'Bp', typeof props === 'function' ? props(stack) : props);
  return { app, stack, bp };
}

function expectError(props: kit.IipBackupPlanProps | ((stack: Stack) => kit.IipBackupPlanProps), message: string, env = false): void {
  expectSrmIipError(() => make(props, env), message);
}

/** A DynamoDB table with point-in-time recovery, tagged by the kit as a platform store in use. */
function kitTable(stack: Stack, props: kit.IipTaggingProps = {}): dynamodb.Table {
  const store = new Construct(stack, 'Store');
  const key = new kms.Key(store, 'Key', { enableKeyRotation: true, pendingWindow: Duration.days(30) });
  const table = new dynamodb.Table(store, 'Table', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
  kit.applyIipTags(store, props, 'platform');
  return table;
}

describe('IipBackupPlan: secure defaults', () => {
  const { stack, bp } = make();
  const t = Template.fromStack(stack);
  const ref = (x: unknown) => stack.resolve(x);

  test('five resources: the key, the vault, the plan, the selection and the backup role', () => {
    expect(Object.keys(t.toJSON().Resources)).toHaveLength(5);
    for (const type of ['AWS::KMS::Key', 'AWS::Backup::BackupVault', 'AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection', 'AWS::IAM::Role']) t.resourceCountIs(type, 1);
    expect(bp.plan.node.id).toBe('Resource');
  });

  test('the vault is encrypted with the customer-managed key and retained (SYS-01)', () => {
    t.hasResource('AWS::Backup::BackupVault', { Properties: Match.objectLike({ EncryptionKeyArn: ref(bp.encryptionKey.keyArn) }), DeletionPolicy: 'Retain' });
  });

  test('the vault is locked: at least 35 days, no maximum, compliance mode after 3 days (OPS-05)', () => {
    t.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 35, ChangeableForDays: 3, MaxRetentionDays: Match.absent() } });
  });

  test('the key rotates yearly, waits 30 days before deletion and is retained', () => {
    t.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true, RotationPeriodInDays: 365, PendingWindowInDays: 30 }), DeletionPolicy: 'Retain' });
  });

  test('the plan backs up daily (35 days) and monthly (365 days) into the vault, with no copy', () => {
    const vault = ref(bp.vault.backupVaultName);
    t.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: Match.stringLikeRegexp('^S-Bp-[0-9A-F]{8}$'),
        BackupPlanRule: [
          { RuleName: 'Daily', ScheduleExpression: 'cron(0 5 * * ? *)', Lifecycle: { DeleteAfterDays: 35 }, TargetBackupVault: vault, CopyActions: Match.absent() },
          { RuleName: 'Monthly', ScheduleExpression: 'cron(0 5 1 * ? *)', Lifecycle: { DeleteAfterDays: 365 }, TargetBackupVault: vault, CopyActions: Match.absent() },
        ],
      },
    });
  });

  test('the selection takes every resource the kit tagged as in use, except S3 buckets', () => {
    t.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupPlanId: ref(bp.plan.backupPlanId),
      BackupSelection: {
        SelectionName: Match.stringLikeRegexp('^S-Bp-[0-9A-F]{8}$'),
        IamRoleArn: ref(bp.role.roleArn),
        Resources: ['*'],
        NotResources: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::*']] }],
        Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/srm-iip:stage', ConditionValue: 'utilization-support' }] },
        ListOfTags: Match.absent(),
      },
    });
  });

  test('the backup role trusts only AWS Backup and holds only AWSBackupServiceRolePolicyForBackup', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' } }], Version: '2012-10-17' },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup']] }],
      Policies: Match.absent(),
    });
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('the vault, the plan, the key and the role carry the kit tags with zone cloud-infrastructure (MGT-02)', () => {
    const want = { 'srm-iip:zone': 'cloud-infrastructure', 'srm-iip:level': '1', 'srm-iip:owner': 'iip-platform', 'srm-iip:stage': 'utilization-support' };
    t.hasResourceProperties('AWS::Backup::BackupVault', { BackupVaultTags: want });
    t.hasResourceProperties('AWS::Backup::BackupPlan', { BackupPlanTags: want });
    for (const type of ['AWS::KMS::Key', 'AWS::IAM::Role']) {
      const tags = Object.values(t.findResources(type))[0].Properties.Tags as Array<{ Key: string; Value: string }>;
      expect(Object.fromEntries(tags.map((x) => [x.Key, x.Value]))).toEqual(want);
    }
  });
});

describe('IipBackupPlan: packs', () => {
  test('alone in a stack with default props it passes SrmIipChecks, AwsSolutionsChecks and NIST80053R5Checks, and provides SRM-IIP-OPS-05', () => {
    const { app } = make();
    const r = expectCleanUnderAllPacks(app, ['SRM-IIP-OPS-05']);
    expect(r.acknowledgements.filter((a) => a.scope.startsWith('S/Bp')).map((a) => `${a.id} @ ${a.scope}`)).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup] @ S/Bp/Role',
    ]);
  });

  test('with S3 buckets, copies to an allowed region and a key of an IipKeyRing it passes the three packs too', () => {
    const { app, stack } = appWithStack();
    const ring = new kit.IipKeyRing(stack, 'Keys', { purposes: [kit.KeyPurpose.BACKUP] });
    new kit.IipBackupPlan(stack, 'Bp', {
      encryptionKey: ring.key(kit.KeyPurpose.BACKUP),
      includeS3Buckets: true,
      allowedRegions: ['eu-central-1', 'eu-west-1'],
      copyToVaults: [backup.BackupVault.fromBackupVaultArn(stack, 'West', WEST_VAULT)],
    });
    expectCleanUnderAllPacks(app, ['SRM-IIP-OPS-05'], { allowedRegions: ['eu-central-1', 'eu-west-1'] });
  });

  test('a store the kit tagged as in use is covered: SRM-IIP-OPS-05 holds without acknowledgement', () => {
    const { app, stack } = make();
    kitTable(stack);
    expect(kitControlIds(checked(app), CHECK)).not.toContain('SRM-IIP-OPS-05');
  });

  test('narrowed to zone platform and levels 1 and 2, it still covers a level-1 platform store', () => {
    const { app, stack } = make({ includeZones: ['platform'], includeClassificationLevels: [1, 2] });
    kitTable(stack);
    expect(kitControlIds(checked(app), CHECK)).not.toContain('SRM-IIP-OPS-05');
  });

  test('narrowed to zone data, it leaves a platform store uncovered: SRM-IIP-OPS-05', () => {
    const { app, stack } = make({ includeZones: ['data'] });
    kitTable(stack);
    expect(kitControlIds(checked(app), CHECK)).toContain('SRM-IIP-OPS-05');
  });

  test('a store in retirement is not selected: SRM-IIP-OPS-05', () => {
    const { app, stack } = make();
    kitTable(stack, { lifecycleStage: kit.LifecycleStage.RETIREMENT });
    expect(kitControlIds(checked(app), CHECK)).toContain('SRM-IIP-OPS-05');
  });
});

describe('IipBackupPlan: options', () => {
  test('zones × levels: one selection per combination, each narrowed by zone and level tags', () => {
    const { stack, bp } = make({ includeZones: ['platform', 'data'], includeClassificationLevels: [1, 2] });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Backup::BackupSelection', 4);
    expect(bp.selections.map((s) => s.node.id)).toEqual(['Selection1', 'Selection2', 'Selection3', 'Selection4']);
    t.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({
        Conditions: {
          StringEquals: [
            { ConditionKey: 'aws:ResourceTag/srm-iip:stage', ConditionValue: 'utilization-support' },
            { ConditionKey: 'aws:ResourceTag/srm-iip:zone', ConditionValue: 'data' },
            { ConditionKey: 'aws:ResourceTag/srm-iip:level', ConditionValue: '2' },
          ],
        },
      }),
    });
  });

  test('includeS3Buckets: buckets are selected and the role gets the S3 backup policy', () => {
    const { stack } = make({ includeS3Buckets: true });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Backup::BackupSelection', { BackupSelection: Match.objectLike({ NotResources: Match.absent() }) });
    t.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup']] },
      ],
    });
  });

  test('copies go to every given vault from both rules, kept as long as the original', () => {
    const { stack } = make((s) => ({ allowedRegions: ['eu-central-1', 'eu-west-1'], copyToVaults: [backup.BackupVault.fromBackupVaultArn(s, 'West', WEST_VAULT)] }));
    const rules = Object.values(Template.fromStack(stack).findResources('AWS::Backup::BackupPlan'))[0].Properties.BackupPlan.BackupPlanRule;
    expect(rules.map((r: { CopyActions: unknown }) => r.CopyActions)).toEqual([
      [{ DestinationBackupVaultArn: WEST_VAULT, Lifecycle: { DeleteAfterDays: 35 } }],
      [{ DestinationBackupVaultArn: WEST_VAULT, Lifecycle: { DeleteAfterDays: 365 } }],
    ]);
  });

  test('retentions and the lock follow the props; the lock minimum follows the shortest rule', () => {
    const { stack } = make({ dailyRetentionDays: 60, monthlyRetentionDays: 730, lockMaxRetentionDays: 3650, lockChangeableForDays: 14 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 60, MaxRetentionDays: 3650, ChangeableForDays: 14 } });
    t.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({ BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 60 } }), Match.objectLike({ Lifecycle: { DeleteAfterDays: 730 } })] }),
    });
  });

  test('a given key is used, no key is created, and nothing is acknowledged for SYS-06', () => {
    const { stack, bp } = make((s) => ({ encryptionKey: new kms.Key(s, 'Given', { enableKeyRotation: true }) }));
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Given'), 'Arn'] } });
    expect(bp.vault.node.metadata.some((m) => JSON.stringify(m.data).includes('SRM-IIP-SYS-06'))).toBe(false);
  });

  test('a vault in a stack of an allowed region is accepted', () => {
    const app = new App();
    const west = new Stack(app, 'West', { env: { ...ENV, region: 'eu-west-1' } });
    const vault = new backup.BackupVault(west, 'Copies');
    const stack = new Stack(app, 'S', { env: ENV });
    expect(() => new kit.IipBackupPlan(stack, 'Bp', { allowedRegions: ['eu-central-1', 'eu-west-1'], copyToVaults: [vault] })).not.toThrow();
  });
});

describe('IipBackupPlan: bad props', () => {
  test('retentions outside 1..36500 days', () => {
    expectError({ dailyRetentionDays: 0 }, '[S/Bp] dailyRetentionDays must be a whole number 1..36500, got 0');
    expectError({ monthlyRetentionDays: 40000 }, '[S/Bp] monthlyRetentionDays must be a whole number 1..36500, got 40000');
  });

  test('a compliance lock changeable for less than 3 days', () => {
    expectError({ lockChangeableForDays: 2 }, '[S/Bp] lockChangeableForDays must be a whole number 3..36500, got 2');
  });

  test('lockChangeableForDays with a governance lock', () => {
    expectError({ lockMode: kit.VaultLockMode.GOVERNANCE, lockChangeableForDays: 7 }, '[S/Bp] lockChangeableForDays applies to VaultLockMode.COMPLIANCE only, got lockChangeableForDays: 7 with lockMode: governance');
  });

  test('a lock minimum above a rule retention', () => {
    expectError(
      { lockMinRetentionDays: 90 },
      "[S/Bp] lockMinRetentionDays must not exceed any rule's retention (the vault would refuse its recovery points): dailyRetentionDays is 35, got lockMinRetentionDays 90",
    );
  });

  test('a lock maximum not above the minimum, or below a rule retention', () => {
    expectError({ dailyRetentionDays: 35, monthlyRetentionDays: 35, lockMaxRetentionDays: 35 }, '[S/Bp] lockMaxRetentionDays must be greater than lockMinRetentionDays (35), got 35');
    expectError(
      { lockMaxRetentionDays: 100 },
      "[S/Bp] lockMaxRetentionDays must be at least every rule's retention (the vault would refuse its recovery points): monthlyRetentionDays is 365, got lockMaxRetentionDays 100",
    );
    expectError({ lockMaxRetentionDays: 40000 }, '[S/Bp] lockMaxRetentionDays must be a whole number 1..36500, got 40000');
  });

  test('a copy to a region outside the stack region when allowedRegions is not set', () => {
    expectError(
      (s) => ({ copyToVaults: [backup.BackupVault.fromBackupVaultArn(s, 'West', WEST_VAULT)] }),
      "[S/Bp] copyToVaults[0] is in region 'eu-west-1', which is not an allowed region; allowedRegions: eu-central-1 (the stack region, as allowedRegions is not set)",
      true,
    );
  });

  test('a copy to a region outside allowedRegions', () => {
    expectError(
      (s) => ({ allowedRegions: ['eu-central-1', 'eu-north-1'], copyToVaults: [backup.BackupVault.fromBackupVaultArn(s, 'West', WEST_VAULT)] }),
      "[S/Bp] copyToVaults[0] is in region 'eu-west-1', which is not an allowed region; allowedRegions: eu-central-1, eu-north-1",
      true,
    );
  });

  test('a copy that cannot be checked: no stack region and no allowedRegions', () => {
    expectError(
      (s) => ({ copyToVaults: [backup.BackupVault.fromBackupVaultArn(s, 'West', WEST_VAULT)] }),
      "[S/Bp] copyToVaults[0] is in region 'eu-west-1', which cannot be checked: the stack has no region, so allowedRegions must list the regions recovery points may be copied to",
    );
  });

  test('malformed or empty allowedRegions', () => {
    expectError({ allowedRegions: ['Frankfurt'] }, "[S/Bp] allowedRegions: 'Frankfurt' is not an AWS region name; expected names such as eu-central-1 or us-gov-west-1");
    expectError({ allowedRegions: [] }, '[S/Bp] allowedRegions must name at least one region, got []');
  });

  test('empty, blank or repeated zones', () => {
    expectError({ includeZones: [] }, '[S/Bp] includeZones must name at least one zone (leave it unset to back up every zone), got []');
    expectError({ includeZones: [''] }, "[S/Bp] includeZones[0] must not be empty, got ''");
    expectError({ includeZones: ['data', 'data'] }, "[S/Bp] includeZones: zone 'data' is listed twice");
  });

  test('empty, out-of-range or repeated classification levels', () => {
    expectError({ includeClassificationLevels: [] }, '[S/Bp] includeClassificationLevels must name at least one level (leave it unset to back up every level), got []');
    expectError({ includeClassificationLevels: [0] }, '[S/Bp] includeClassificationLevels[0] must be a whole number 1..16, got 0');
    expectError({ includeClassificationLevels: [2, 2] }, '[S/Bp] includeClassificationLevels: level 2 is listed twice');
  });

  test('a blank owner tag', () => {
    expectError({ owner: ' ' }, "[S/Bp] owner must not be empty, got ' '");
  });
});

describe('IipBackupPlan: tokens pass validation', () => {
  test('CfnParameter retentions and a Lazy grace period; the lock minimum then refuses nothing (1 day)', () => {
    const { stack } = make((s) => ({
      dailyRetentionDays: new CfnParameter(s, 'Daily', { type: 'Number', default: 14 }).valueAsNumber,
      lockMaxRetentionDays: new CfnParameter(s, 'Max', { type: 'Number', default: 3650 }).valueAsNumber,
      lockChangeableForDays: Lazy.number({ produce: () => 5 }),
    }));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 1, MaxRetentionDays: { Ref: 'Max' }, ChangeableForDays: 5 } });
    t.hasResourceProperties('AWS::Backup::BackupPlan', { BackupPlan: Match.objectLike({ BackupPlanRule: Match.arrayWith([Match.objectLike({ Lifecycle: { DeleteAfterDays: { Ref: 'Daily' } } })]) }) });
  });

  test('a copy vault whose region is a token', () => {
    const { stack } = make((s) => ({ copyToVaults: [backup.BackupVault.fromBackupVaultArn(s, 'Param', new CfnParameter(s, 'VaultArn').valueAsString)] }));
    expect(Template.fromStack(stack).toJSON().Resources).toBeDefined();
  });
});

describe('IipBackupPlan: weakenings are reported', () => {
  test('a governance-mode lock warns with SRM-IIP-OPS-05 and has no grace period', () => {
    const { stack } = make({ lockMode: kit.VaultLockMode.GOVERNANCE });
    Annotations.fromStack(stack).hasWarning('/S/Bp', Match.stringLikeRegexp('SRM-IIP-OPS-05.*governance'));
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 35, ChangeableForDays: Match.absent() } });
  });

  test('a daily retention below 35 days warns with SRM-IIP-OPS-05', () => {
    const { stack } = make({ dailyRetentionDays: 14 });
    Annotations.fromStack(stack).hasWarning('/S/Bp', Match.stringLikeRegexp('SRM-IIP-OPS-05.*14 days \\(dailyRetentionDays\\)'));
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: Match.objectLike({ MinRetentionDays: 14 }) });
  });

  test('the defaults raise no warning of the kit', () => {
    const { stack } = make();
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('SRM-IIP'));
  });
});

describe('IipBackupPlan: turning a secure default off is caught by the kit pack', () => {
  function mutated(mutate: (bp: kit.IipBackupPlan) => void, withTable = false): string[] {
    const { app, stack, bp } = make();
    if (withTable) kitTable(stack);
    mutate(bp);
    return kitFindings(app, ['SRM-IIP-OPS-05']);
  }
  const vaultL1 = (bp: kit.IipBackupPlan) => bp.vault.node.defaultChild as backup.CfnBackupVault;

  test('the unmutated plan has no finding, with or without a store to cover', () => {
    expect(mutated(() => undefined)).toEqual([]);
    expect(mutated(() => undefined, true)).toEqual([]);
  });

  test('vault without its customer-managed key → SRM-IIP-SYS-01 and SRM-IIP-OPS-05', () => {
    const ids = mutated((bp) => vaultL1(bp).addPropertyDeletionOverride('EncryptionKeyArn'));
    expect(ids).toContain('SRM-IIP-SYS-01');
    expect(ids).toContain('SRM-IIP-OPS-05');
  });

  test('vault without its lock → SRM-IIP-OPS-05', () => {
    expect(mutated((bp) => vaultL1(bp).addPropertyDeletionOverride('LockConfiguration'))).toContain('SRM-IIP-OPS-05');
  });

  test('a copy to a vault outside the allowed regions → SRM-IIP-MGT-03', () => {
    const ids = mutated((bp) =>
      (bp.plan.node.defaultChild as backup.CfnBackupPlan).addPropertyOverride('BackupPlan.BackupPlanRule.0.CopyActions', [
        { DestinationBackupVaultArn: 'arn:aws:backup:us-east-1:111122223333:backup-vault:elsewhere' },
      ]),
    );
    expect(ids).toContain('SRM-IIP-MGT-03');
  });

  test('a selection that no longer matches the kit tags → SRM-IIP-OPS-05', () => {
    const ids = mutated((bp) => bp.selections[0].addPropertyOverride('BackupSelection.Conditions.StringEquals.0.ConditionValue', 'retirement'), true);
    expect(ids).toContain('SRM-IIP-OPS-05');
  });

  test('vault without the kit tags → SRM-IIP-MGT-02', () => {
    expect(mutated((bp) => vaultL1(bp).addPropertyDeletionOverride('BackupVaultTags'))).toContain('SRM-IIP-MGT-02');
  });

  test('key rotation off → SRM-IIP-SYS-02', () => {
    expect(mutated((bp) => ((bp.encryptionKey as kms.Key).node.defaultChild as kms.CfnKey).addPropertyOverride('EnableKeyRotation', false))).toContain('SRM-IIP-SYS-02');
  });

  test('the backup role trusting anyone → SRM-IIP-ACC-02', () => {
    expect(mutated((bp) => (bp.role.node.defaultChild as CfnResource).addPropertyOverride('AssumeRolePolicyDocument.Statement.0.Principal', { AWS: '*' }))).toContain('SRM-IIP-ACC-02');
  });
});
