import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { describe, expect, it } from 'vitest';
import * as kit from '../../../index';
import { findings, findingsForApp, runOnTemplates, template } from '../../support/harness';

const RULE = 'DatabaseCmkEncryption';
const KEY = { Type: 'AWS::KMS::Key', Properties: {} };
const COND = { Parameters: { Env: { Type: 'String' } }, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } };
const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 });

describe('SRM-IIP-SYS-01: RDS, DynamoDB and Timestream store data under a customer-managed KMS key', () => {
  it('is exported from the package root with its judgement', () => {
    expect(kit.DatabaseCmkEncryption.controlId).toBe('SRM-IIP-SYS-01');
    expect(kit.isKmsSseType(undefined)).toBe(true);
    expect(kit.isKmsSseType('AES256')).toBe(false);
  });

  describe('Noncompliance', () => {
    it('1: an L2 RDS instance with default storage (unencrypted)', () => {
      const stack = new Stack(new App(), 'S');
      new rds.DatabaseInstance(stack, 'Db', { engine, vpc: new ec2.Vpc(stack, 'Vpc') });
      const fs = findingsForApp(stack, RULE).filter((f) => f.resourceType === 'AWS::RDS::DBInstance');
      expect(fs).toMatchObject([{ controlId: 'SRM-IIP-SYS-01', ruleId: RULE, kind: 'violation', location: 'StorageEncrypted', message: expect.stringContaining('unencrypted by default') }]);
    });

    it('2: an L2 RDS instance encrypted with the AWS managed key aws/rds', () => {
      const stack = new Stack(new App(), 'S');
      new rds.DatabaseInstance(stack, 'Db', { engine, vpc: new ec2.Vpc(stack, 'Vpc'), storageEncrypted: true });
      const fs = findingsForApp(stack, RULE).filter((f) => f.resourceType === 'AWS::RDS::DBInstance');
      expect(fs).toMatchObject([{ kind: 'violation', location: 'KmsKeyId', message: expect.stringContaining('aws/rds') }]);
    });

    it('3: an L1 Aurora cluster with StorageEncrypted false', () => {
      const fs = findings(template({ C: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', StorageEncrypted: false } } }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', resourceType: 'AWS::RDS::DBCluster', message: expect.stringContaining('StorageEncrypted is false') }]);
    });

    it('4: an L2 DynamoDB table with the default AWS owned key', () => {
      const stack = new Stack(new App(), 'S');
      new dynamodb.Table(stack, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', location: 'SSESpecification.SSEEnabled', message: expect.stringContaining('AWS owned key') }]);
    });

    it('5: an L2 DynamoDB table with the AWS managed key', () => {
      const stack = new Stack(new App(), 'S');
      new dynamodb.Table(stack, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryption.AWS_MANAGED });
      expect(findingsForApp(stack, RULE)).toMatchObject([{ kind: 'violation', message: expect.stringContaining('aws/dynamodb') }]);
    });

    it('6: a global table replica without a key', () => {
      const t = template({
        K: KEY,
        G: {
          Type: 'AWS::DynamoDB::GlobalTable',
          Properties: {
            SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
            Replicas: [
              { Region: 'eu-central-1', SSESpecification: { KMSMasterKeyId: { Ref: 'K' } } },
              { Region: 'eu-west-1' },
            ],
          },
        },
      });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'Replicas.1.SSESpecification.KMSMasterKeyId', message: expect.stringContaining('replica in eu-west-1') }]);
    });

    it('7: a Timestream database without KmsKeyId', () => {
      const fs = findings(template({ D: { Type: 'AWS::Timestream::Database', Properties: {} } }), RULE);
      expect(fs).toMatchObject([{ kind: 'violation', location: 'KmsKeyId', message: expect.stringContaining('aws/timestream') }]);
    });

    it('8: one branch of Fn::If drops the key', () => {
      const t = template({ K: KEY, D: { Type: 'AWS::RDS::DBInstance', Properties: { StorageEncrypted: true, KmsKeyId: { 'Fn::If': ['Prod', { Ref: 'K' }, { Ref: 'AWS::NoValue' }] } } } }, COND);
      expect(findings(t, RULE)).toMatchObject([{ kind: 'violation', location: 'KmsKeyId' }]);
    });
  });

  describe('Compliance', () => {
    it('an L2 RDS instance with its own key', () => {
      const stack = new Stack(new App(), 'S');
      new rds.DatabaseInstance(stack, 'Db', { engine, vpc: new ec2.Vpc(stack, 'Vpc'), storageEncryptionKey: new kms.Key(stack, 'K') });
      expect(findingsForApp(stack, RULE).filter((f) => f.resourceType === 'AWS::RDS::DBInstance')).toEqual([]);
    });

    it('an Aurora cluster with a key; its member instances are judged through the cluster', () => {
      const stack = new Stack(new App(), 'S');
      new rds.DatabaseCluster(stack, 'Db', {
        engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
        writer: rds.ClusterInstance.provisioned('w'),
        vpc: new ec2.Vpc(stack, 'Vpc'),
        storageEncryptionKey: new kms.Key(stack, 'K'),
      });
      expect(findingsForApp(stack, RULE).filter((f) => f.resourceType?.startsWith('AWS::RDS::'))).toEqual([]);
    });

    it('DynamoDB Table and TableV2 with customer-managed keys', () => {
      const stack = new Stack(new App(), 'S', { env: { region: 'eu-central-1' } });
      const key = new kms.Key(stack, 'K');
      new dynamodb.Table(stack, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key });
      new dynamodb.TableV2(stack, 'G', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryptionV2.customerManagedKey(key) });
      expect(findingsForApp(stack, RULE)).toEqual([]);
    });

    it('a read replica of an instance of the app inherits (and is judged on) its source', () => {
      const t = template({
        K: KEY,
        P: { Type: 'AWS::RDS::DBInstance', Properties: { StorageEncrypted: true, KmsKeyId: { Ref: 'K' } } },
        R: { Type: 'AWS::RDS::DBInstance', Properties: { SourceDBInstanceIdentifier: { Ref: 'P' } } },
      });
      expect(findings(t, RULE)).toEqual([]);
    });

    it('every branch of Fn::If names a key, and a Timestream key in another template', () => {
      const keys = template({ K: KEY }, { Outputs: { A: { Value: { 'Fn::GetAtt': ['K', 'Arn'] }, Export: { Name: 'ts-key' } } } });
      const data = template(
        {
          K2: KEY,
          D: { Type: 'AWS::Timestream::Database', Properties: { KmsKeyId: { 'Fn::ImportValue': 'ts-key' } } },
          C: { Type: 'AWS::RDS::DBCluster', Properties: { StorageEncrypted: 'true', KmsKeyId: { 'Fn::If': ['Prod', { Ref: 'K2' }, { 'Fn::GetAtt': ['K2', 'Arn'] }] } } },
        },
        COND,
      );
      expect(runOnTemplates([keys, data], RULE).findings).toEqual([]);
    });
  });

  describe('Unresolvable values', () => {
    it('a key from a parameter is unverifiable', () => {
      const t = template({ T: { Type: 'AWS::DynamoDB::Table', Properties: { SSESpecification: { SSEEnabled: true, KMSMasterKeyId: { Ref: 'Key' } } } } }, { Parameters: { Key: { Type: 'String' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining('parameter Key') }]);
    });

    it('an instance restored from a snapshot without StorageEncrypted is unverifiable', () => {
      const t = template({ D: { Type: 'AWS::RDS::DBInstance', Properties: { DBSnapshotIdentifier: 'snap-1' } } });
      expect(findings(t, RULE)).toMatchObject([{ kind: 'unverifiable', message: expect.stringContaining("DBSnapshotIdentifier 'snap-1'") }]);
    });
  });
});
