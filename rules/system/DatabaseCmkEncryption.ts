import type { ResourceHandle } from '../engine/model';
import { judgeAlts, RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, expectBool, stringOf, Verdict } from '../engine/values';
import { customerManagedKeyIssues } from './kms-keys';
import { dedupeIssues } from './support';

/** DynamoDB `SSEType` values that encrypt under a KMS key (absent means KMS when SSE is enabled). */
export function isKmsSseType(sseType: string | undefined): boolean {
  return sseType === undefined || sseType === 'KMS';
}

/** Properties that create an RDS instance or cluster from another source, whose encryption it then inherits. */
const INSTANCE_SOURCES = ['SourceDBInstanceIdentifier', 'DBSnapshotIdentifier', 'SourceDBInstanceAutomatedBackupsArn', 'DBClusterSnapshotIdentifier', 'SourceDBClusterIdentifier'];
const CLUSTER_SOURCES = ['SnapshotIdentifier', 'SourceDBClusterIdentifier', 'ReplicationSourceIdentifier'];

/**
 * SRM-IIP-SYS-01 for databases: RDS instances and clusters, DynamoDB tables
 * and global tables, and Timestream databases store data under a
 * customer-managed KMS key. An Aurora instance that belongs to a
 * `DBCluster` is not checked: its cluster holds the storage and is checked.
 */
export const DatabaseCmkEncryption: SrmIipRule = {
  id: 'DatabaseCmkEncryption',
  controlId: 'SRM-IIP-SYS-01',
  summary: 'RDS instances and clusters, DynamoDB tables and Timestream databases encrypt with a customer-managed KMS key',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Timestream::Database'],
  check(r) {
    switch (r.type) {
      case 'AWS::RDS::DBInstance':
      case 'AWS::RDS::DBCluster':
        return dedupeIssues(rdsIssues(r));
      case 'AWS::DynamoDB::Table':
        return dedupeIssues(dynamoIssues(r));
      case 'AWS::DynamoDB::GlobalTable':
        return dedupeIssues(globalTableIssues(r));
      default:
        return customerManagedKeyIssues(r, r.stack.resolver.get(r, 'KmsKeyId'), 'KmsKeyId', {
          what: 'KmsKeyId',
          whenAbsent: 'KmsKeyId is not set: Timestream encrypts the database with the AWS managed key aws/timestream, not a customer-managed key',
        });
    }
  },
};

function rdsIssues(r: ResourceHandle): RuleIssue[] {
  const resolver = r.stack.resolver;
  const isInstance = r.type === 'AWS::RDS::DBInstance';
  // An Aurora member instance: the cluster's storage is what is encrypted.
  if (isInstance && resolver.get(r, 'DBClusterIdentifier').every((a) => a.kind !== 'absent')) return [];
  const storage = resolver.get(r, 'StorageEncrypted');
  if (storage.every((a) => a.kind === 'absent')) {
    const source = (isInstance ? INSTANCE_SOURCES : CLUSTER_SOURCES).map((p) => ({ p, alts: resolver.get(r, p).filter((a) => a.kind !== 'absent') })).find((s) => s.alts.length > 0);
    if (source) {
      // A read replica of an instance of the app inherits that instance's encryption, which is checked on the instance.
      const src = source.p === 'SourceDBInstanceIdentifier' && source.alts.every((a) => a.kind === 'ref' && r.stack.app.resource(a.stack, a.logicalId)?.type === 'AWS::RDS::DBInstance');
      if (src) return [];
      return [
        {
          resource: r,
          kind: 'unverifiable',
          location: 'StorageEncrypted',
          message: `cannot verify the encryption key: StorageEncrypted is not set and the database is created from ${source.p} ${describe(source.alts[0])}, whose encryption it inherits and the template does not show`,
        },
      ];
    }
  }
  const serverlessV1 = !isInstance && resolver.get(r, 'EngineMode').some((a) => stringOf(a) === 'serverless');
  const storageIssues = judgeAlts(
    r,
    storage,
    'StorageEncrypted',
    (a) => expectBool(a, true, serverlessV1 ? true : false),
    (a) => (a.kind === 'absent' ? 'StorageEncrypted is not set: RDS stores the data unencrypted by default' : `StorageEncrypted is ${describe(a)}: the data is stored unencrypted`),
  );
  if (storageIssues.some((i) => i.kind === 'violation')) return storageIssues;
  return [
    ...storageIssues,
    ...customerManagedKeyIssues(r, resolver.get(r, 'KmsKeyId'), 'KmsKeyId', {
      what: 'KmsKeyId',
      whenAbsent: 'KmsKeyId is not set: RDS encrypts the storage with the AWS managed key aws/rds, not a customer-managed key',
    }),
  ];
}

function sseIssues(r: ResourceHandle): RuleIssue[] {
  const resolver = r.stack.resolver;
  const enabled = judgeAlts(
    r,
    resolver.get(r, 'SSESpecification', 'SSEEnabled'),
    'SSESpecification.SSEEnabled',
    (a) => expectBool(a, true, false),
    (a) =>
      `${a.kind === 'absent' ? 'SSESpecification.SSEEnabled is not set' : `SSESpecification.SSEEnabled is ${describe(a)}`}: DynamoDB encrypts the table with an AWS owned key, not a customer-managed key`,
  );
  if (enabled.some((i) => i.kind === 'violation')) return enabled;
  const type = judgeAlts(
    r,
    resolver.get(r, 'SSESpecification', 'SSEType'),
    'SSESpecification.SSEType',
    (a): Verdict => (a.kind === 'absent' ? 'pass' : a.kind === 'value' ? (isKmsSseType(stringOf(a)) ? 'pass' : 'fail') : 'unknown'),
    (a) => `SSESpecification.SSEType is ${describe(a)}, not KMS`,
  );
  return [...enabled, ...type];
}

const DYNAMO_ABSENT = 'DynamoDB then uses the AWS managed key aws/dynamodb, not a customer-managed key';

function dynamoIssues(r: ResourceHandle): RuleIssue[] {
  const issues = sseIssues(r);
  if (issues.some((i) => i.kind === 'violation')) return issues;
  return [
    ...issues,
    ...customerManagedKeyIssues(r, r.stack.resolver.get(r, 'SSESpecification', 'KMSMasterKeyId'), 'SSESpecification.KMSMasterKeyId', {
      what: 'SSESpecification.KMSMasterKeyId',
      whenAbsent: `SSESpecification.KMSMasterKeyId is not set: ${DYNAMO_ABSENT}`,
    }),
  ];
}

function globalTableIssues(r: ResourceHandle): RuleIssue[] {
  const issues = sseIssues(r);
  if (issues.some((i) => i.kind === 'violation')) return issues;
  const resolver = r.stack.resolver;
  for (const b of resolver.branches(r.stack, resolver.get(r, 'Replicas'))) {
    if (b.kind === 'other') {
      if (b.alt.kind !== 'absent') issues.push({ resource: r, kind: 'unverifiable', location: 'Replicas', message: `cannot verify the replicas' keys: Replicas is ${describe(b.alt)}` });
      continue;
    }
    b.elements.forEach((rep: readonly Alt[], i) => {
      const region = resolver.path(r.stack, rep, ['Region']).map((a) => stringOf(a)).find((s) => s !== undefined);
      const label = `the replica in ${region ?? `Replicas.${i}`}`;
      issues.push(
        ...customerManagedKeyIssues(r, resolver.path(r.stack, rep, ['SSESpecification', 'KMSMasterKeyId']), `Replicas.${i}.SSESpecification.KMSMasterKeyId`, {
          what: `the KMSMasterKeyId of ${label}`,
          whenAbsent: `${label} sets no SSESpecification.KMSMasterKeyId: ${DYNAMO_ABSENT}`,
        }),
      );
    });
  }
  return issues;
}
