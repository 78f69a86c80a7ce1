import type { ResourceHandle } from '../engine/model';
import type { RuleIssue, SrmIipRule } from '../engine/rule';
import { Alt, describe, expectBool, Verdict } from '../engine/values';
import { judgeIsSet, shown } from './common';

/** The property that restores each type from a snapshot. */
export const SNAPSHOT_SOURCE: { readonly [type: string]: string } = {
  'AWS::RDS::DBInstance': 'DBSnapshotIdentifier',
  'AWS::RDS::DBCluster': 'SnapshotIdentifier',
  'AWS::EC2::Volume': 'SnapshotId',
};

/**
 * Whether a store restored from a snapshot is encrypted: encryption switched
 * on, or (flag not set) a KMS key given, which implies it. A flag set to
 * false fails even with a key: the key then needs the flag. `undefined` = not set.
 */
export function isRestoredEncrypted(encrypted: boolean | undefined, kmsKeyId: string | undefined): boolean {
  if (encrypted !== undefined) return encrypted;
  return kmsKeyId !== undefined && kmsKeyId !== '';
}

const ENCRYPTED_PROPERTY: { readonly [type: string]: string } = {
  'AWS::RDS::DBInstance': 'StorageEncrypted',
  'AWS::RDS::DBCluster': 'StorageEncrypted',
  'AWS::EC2::Volume': 'Encrypted',
};

/** Judge one alternative pair: encryption flag and key. A key needs the flag, so a flag set to false fails. */
function judgeOne(flag: Alt, key: Alt): Verdict {
  if (flag.kind === 'absent') {
    const k = judgeIsSet(key);
    return k === 'pass' ? 'pass' : k === 'unknown' ? 'unknown' : 'fail';
  }
  return expectBool(flag, true);
}

/**
 * SRM-IIP-OPS-07 (snapshots): an RDS instance or cluster, or an EBS volume,
 * restored from a snapshot is encrypted. A volume or cluster can force
 * encryption (Encrypted / KmsKeyId), so leaving it unset is a violation; an
 * RDS instance inherits the snapshot's encryption, which the template cannot
 * show, so unset is unverifiable there.
 */
export const RestoredSnapshotsEncrypted: SrmIipRule = {
  id: 'RestoredSnapshotsEncrypted',
  controlId: 'SRM-IIP-OPS-07',
  summary: 'RDS instances, clusters and EBS volumes restored from snapshots are encrypted',
  resourceTypes: Object.keys(SNAPSHOT_SOURCE),
  check(r: ResourceHandle) {
    const res = r.stack.resolver;
    const source = SNAPSHOT_SOURCE[r.type];
    const snapshots = res.get(r, source).filter((a) => a.kind !== 'absent');
    if (snapshots.length === 0) return [];
    const flagProp = ENCRYPTED_PROPERTY[r.type];
    const flags = res.get(r, flagProp);
    const keys = res.get(r, 'KmsKeyId');
    const inherits = r.type === 'AWS::RDS::DBInstance';
    let verdict: Verdict = 'pass';
    let culprit: { flag: Alt; key: Alt } | undefined;
    for (const flag of flags) {
      for (const key of keys) {
        let v = judgeOne(flag, key);
        if (v === 'fail' && inherits && flag.kind === 'absent') v = 'unknown';
        if (v === 'fail' || (v === 'unknown' && verdict === 'pass')) {
          verdict = v;
          culprit = { flag, key };
        }
        if (verdict === 'fail') break;
      }
      if (verdict === 'fail') break;
    }
    if (verdict === 'pass' || !culprit) return [];
    const snap = describe(snapshots[0]);
    const issues: RuleIssue[] = [];
    if (verdict === 'fail') {
      issues.push({
        resource: r,
        kind: 'violation',
        location: flagProp,
        message:
          culprit.flag.kind === 'absent'
            ? `restored from snapshot ${snap} without forcing encryption (${flagProp} and KmsKeyId are not set), so it is unencrypted if the snapshot is`
            : `restored from snapshot ${snap} unencrypted (${flagProp} is ${shown(culprit.flag)})`,
      });
    } else {
      const why =
        inherits && culprit.flag.kind === 'absent'
          ? `it inherits the encryption of snapshot ${snap}, which the template cannot show (set ${flagProp} or KmsKeyId to make it explicit)`
          : `${flagProp} is ${describe(culprit.flag)} and KmsKeyId is ${describe(culprit.key)}`;
      issues.push({ resource: r, kind: 'unverifiable', location: flagProp, message: `cannot verify that the store restored from a snapshot is encrypted: ${why}` });
    }
    return issues;
  },
};
