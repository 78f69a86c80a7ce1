import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, template } from '../../support/harness';

// SRM-IIP-SYS-01..08 and PHY-03 rules never throw on odd property shapes: a thrown error would
// surface as the engine's "could not read" finding instead of a judgement.
const RULES = [...kit.SYSTEM_RULES, ...kit.PHYSICAL_RULES];

const KEYS = [
  'BucketEncryption', 'ServerSideEncryptionConfiguration', 'ServerSideEncryptionByDefault', 'SSEAlgorithm', 'KMSMasterKeyID', 'KmsKeyId', 'KMSMasterKeyId',
  'KmsMasterKeyId', 'StorageEncrypted', 'DBClusterIdentifier', 'SSESpecification', 'SSEEnabled', 'SSEType', 'Replicas', 'Region', 'Encrypted', 'StreamEncryption',
  'EncryptionType', 'KeyId', 'DeliveryStreamType', 'DeliveryStreamEncryptionConfigurationInput', 'KeyType', 'KeyARN', 'KinesisStreamSourceConfiguration',
  'KinesisStreamARN', 'EncryptionKeyArn', 'LaunchTemplate', 'LaunchTemplateId', 'LaunchTemplateName', 'LaunchTemplateData', 'MetadataOptions', 'HttpTokens',
  'HttpEndpoint', 'BlockDeviceMappings', 'Ebs', 'ContainerDefinitions', 'Privileged', 'ReadonlyRootFilesystem', 'Name', 'Runtime', 'PackageType',
  'ImageTagMutability', 'ImageScanningConfiguration', 'ScanOnPush', 'CodeSigningConfigArn', 'MultiAZ', 'EngineMode', 'VPCZoneIdentifier', 'AvailabilityZones',
  'PendingWindowInDays', 'Tags', 'TagSpecifications', 'Key', 'Value', 'Tenancy', 'Placement', 'SubnetId', 'KeyPolicy', 'Statement', 'PolicyDocument', 'Roles',
  'Effect', 'Action', 'Resource', 'Principal', 'AWS', 'Policies', 'ManagedPolicyArns', 'PlacementTenancy', 'MixedInstancesPolicy', 'Rules', 'RepositoryFilters',
];
const INTRINSICS = ['Ref', 'Fn::If', 'Fn::GetAtt', 'Fn::Sub', 'Fn::Join', 'Fn::Select', 'Fn::ImportValue', 'Fn::GetAZs', 'Fn::Split', 'Fn::FindInMap'];
const REFS = ['K', 'S', 'R', 'LT', 'P', 'AWS::NoValue', 'AWS::Region', 'Cond', 'Missing'];

const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('required', 'dedicated', 'aws:kms', 'alias/aws/s3', 'alias/x', 'IMMUTABLE', 'true', 'false', 'srm-iip:level', '2', '', '*', 'kms:Decrypt', 'Allow'),
    fc.integer({ min: -2, max: 40 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 3 }),
    fc.record({ Ref: fc.constantFrom(...REFS) }),
    fc.record({ 'Fn::If': fc.tuple(fc.constant('Cond'), tie('value'), tie('value')) }),
    fc.record({ 'Fn::GetAtt': fc.tuple(fc.constantFrom(...REFS), fc.constantFrom('Arn', 'KeyId')) }),
    fc.dictionary(fc.constantFrom(...INTRINSICS), tie('value'), { minKeys: 1, maxKeys: 1 }),
  ),
}));

const TYPES = [...new Set(RULES.flatMap((r) => r.resourceTypes))];

describe('SRM-IIP-SYS-01..08, SRM-IIP-PHY-03: rules never throw on odd input', () => {
  it('covers every rule of the two families', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(21);
  });

  it('random property shapes give judgements, never a crash', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 6 }), (type, props) => {
        const t = template(
          {
            X: { Type: type, Properties: props },
            K: { Type: 'AWS::KMS::Key', Properties: { Tags: [{ Key: 'srm-iip:level', Value: '2' }] } },
            S: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24' } },
            R: { Type: 'AWS::IAM::Role', Properties: { Policies: props.Policies ?? [] } },
            LT: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: props.LaunchTemplateData ?? {} } },
            P: { Type: 'AWS::IAM::Policy', Properties: { Roles: props.Roles ?? [{ Ref: 'R' }], PolicyDocument: props.PolicyDocument ?? {} } },
          },
          { Parameters: { Env: { Type: 'String' } }, Conditions: { Cond: { 'Fn::Equals': [{ Ref: 'Env' }, 'a'] } } },
        );
        for (const rule of RULES) {
          const crashed = findings(t, rule.id).filter((f) => f.message.includes('could not read'));
          expect(crashed, `${rule.id} on ${type} ${JSON.stringify(props)}`).toEqual([]);
        }
      }),
      { numRuns: 300, seed: 2406 },
    );
  });
});
