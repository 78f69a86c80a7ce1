import { describe, expect, it } from 'vitest';
import { SrmIipError } from '../../rules/errors';
import { checkTemplates } from '../../rules/template/check';
import {
  ACKNOWLEDGEMENT_AUDIT_CONTROL,
  auditAcknowledgements,
  coveredFindings,
  listAcknowledgements,
  packOfRuleId,
  templateAcknowledgementRecords,
} from '../../reports/ack-audit';
import type { AcknowledgementRecord } from '../../reports/model';
import { buildReportModel } from '../../reports/model';
import { controlById } from '../../rules/catalog/controls';

const GOOD = 'HSM-backed import key; rotated by runbook OPS-17 every 90 days';

/** A key with rotation off (SYS-02 error) and no deletion window (SYS-08 warnings), acknowledged in several ways. */
const TEMPLATE = {
  Metadata: {
    'srm-iip': { acknowledgements: [{ id: 'SRM-IIP-SYS-08', reason: 'see ticket' }] },
  },
  Resources: {
    DataKey: {
      Type: 'AWS::KMS::Key',
      Properties: { EnableKeyRotation: false },
      Metadata: {
        'srm-iip': {
          acknowledgements: [
            { id: 'SRM-IIP-SYS-02', reason: GOOD },
            { id: 'SRM-IIP-NET-05', reason: 'The VPC of this stack was moved to the network account' },
          ],
        },
        cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-KMS5', reason: 'N/A.' }, { id: 'AwsSolutions-IAM5', reason: 'wildcard needed' }] },
      },
    },
  },
};

const stacks = [{ name: 'Keys', template: TEMPLATE }];
const result = checkTemplates(stacks);
const acks = templateAcknowledgementRecords(stacks, result.findings);

describe('templateAcknowledgementRecords / listAcknowledgements', () => {
  it('lists every acknowledgement of the templates with pack, reason, scope and the SRM-IIP findings it covers', () => {
    expect(acks).toEqual([
      { pack: 'SRM-IIP', id: 'SRM-IIP-SYS-08', reason: 'see ticket', scope: 'Keys', covers: 3 },
      { pack: 'SRM-IIP', id: 'SRM-IIP-SYS-02', reason: GOOD, scope: 'Keys/DataKey', covers: 1 },
      { pack: 'SRM-IIP', id: 'SRM-IIP-NET-05', reason: 'The VPC of this stack was moved to the network account', scope: 'Keys/DataKey', covers: 0 },
      { pack: 'AwsSolutions', id: 'AwsSolutions-KMS5', reason: 'N/A.', scope: 'Keys/DataKey' },
      { pack: 'AwsSolutions', id: 'AwsSolutions-IAM5', reason: 'wildcard needed', scope: 'Keys/DataKey' },
    ]);
    const sys02 = acks.find((a) => a.id === 'SRM-IIP-SYS-02')!;
    expect(coveredFindings(sys02, result.findings).map((f) => f.ruleId)).toEqual(['KmsKeyRotationEnabled']);
  });

  it('keeps a count the record already has and fills in a missing one', () => {
    const records: AcknowledgementRecord[] = [
      { pack: 'SRM-IIP', id: 'SRM-IIP-SYS-02', reason: GOOD, scope: 'Keys/DataKey' },
      { pack: 'SRM-IIP', id: 'SRM-IIP-SYS-02', reason: GOOD, scope: 'Keys/DataKey', covers: 7 },
      { pack: 'AwsSolutions', id: 'AwsSolutions-KMS5', reason: GOOD, scope: 'Keys/DataKey' },
    ];
    expect(listAcknowledgements(records, result.findings).map((a) => a.covers)).toEqual([1, 7, undefined]);
  });

  it('tells packs apart by the ID prefix', () => {
    expect(['SRM-IIP-NET-05', 'Annotation::SRM-IIP-NET-05', 'AwsSolutions-IAM5', 'NIST.800.53.R5-IAMNoInlinePolicy', 'CloudFormation-Validate::W3010', 'W3010'].map(packOfRuleId)).toEqual([
      'SRM-IIP',
      'SRM-IIP',
      'AwsSolutions',
      'NIST.800.53.R5',
      'CloudFormation-Validate',
      'other',
    ]);
  });
});

describe('auditAcknowledgements', () => {
  const audit = auditAcknowledgements(acks, result.findings);

  it('reports stale, generic and short acknowledgements with exact messages, as MGT-01 warnings', () => {
    expect(audit.map((f) => f.message)).toEqual([
      'acknowledgement SRM-IIP-SYS-08 at Keys gives a generic reason ("see ticket"); say why the finding does not apply here or what compensates for it',
      'acknowledgement SRM-IIP-NET-05 at Keys/DataKey covers no finding (reason: "The VPC of this stack was moved to the network account"); it is stale: remove it, or correct its ID or scope',
      'acknowledgement AwsSolutions-KMS5 at Keys/DataKey gives a generic reason ("N/A."); say why the finding does not apply here or what compensates for it',
      'acknowledgement AwsSolutions-IAM5 at Keys/DataKey gives a reason of 15 character(s) ("wildcard needed"), shorter than the minimum of 20; say why the finding does not apply here or what compensates for it',
    ]);
    for (const f of audit) {
      expect(f).toMatchObject({ controlId: 'SRM-IIP-MGT-01', ruleId: 'AcknowledgementAudit', kind: 'violation', severity: 'warning' });
    }
    expect(controlById(ACKNOWLEDGEMENT_AUDIT_CONTROL)!.title).toBe('A security management system governs the platform');
  });

  it('passes an acknowledgement that covers a finding and says why', () => {
    expect(audit.some((f) => f.message.includes('SRM-IIP-SYS-02'))).toBe(false);
  });

  it('never calls a peer-pack acknowledgement stale: the kit cannot see what it covers', () => {
    const peer: AcknowledgementRecord[] = [{ pack: 'AwsSolutions', id: 'AwsSolutions-S1', reason: 'Access logs of this bucket go to the central log account', scope: 'Factory/Logs' }];
    expect(auditAcknowledgements(peer, [])).toEqual([]);
  });

  it('reports an acknowledgement both stale and short as two findings; an empty reason is short', () => {
    const records: AcknowledgementRecord[] = [{ pack: 'SRM-IIP', id: 'SRM-IIP-NET-05[VpcFlowLogsEnabled]', reason: ' ', scope: 'Factory/Network/Vpc', covers: 0 }];
    expect(auditAcknowledgements(records, []).map((f) => f.message)).toEqual([
      'acknowledgement SRM-IIP-NET-05[VpcFlowLogsEnabled] at Factory/Network/Vpc covers no finding (reason: ""); it is stale: remove it, or correct its ID or scope',
      'acknowledgement SRM-IIP-NET-05[VpcFlowLogsEnabled] at Factory/Network/Vpc gives a reason of 0 character(s) (""), shorter than the minimum of 20; say why the finding does not apply here or what compensates for it',
    ]);
  });

  it('recognizes generic reasons whatever their case and punctuation, but not a generic word in a real explanation', () => {
    const rec = (reason: string): AcknowledgementRecord => ({ pack: 'AwsSolutions', id: 'AwsSolutions-IAM5', reason, scope: 'S/R' });
    const generic = ['n/a', 'N/A', 'OK', 'ok!', 'False positive.', 'false-positive', 'Not needed', "won't fix", 'TODO'];
    for (const r of generic) expect(auditAcknowledgements([rec(r)], [], { minReasonLength: 0 })[0]?.message, r).toMatch(/gives a generic reason/);
    expect(auditAcknowledgements([rec('False positive: the wildcard is on log-group ARNs of this stack only')], [])).toEqual([]);
  });

  it('takes the minimum reason length and the severity as options', () => {
    const records: AcknowledgementRecord[] = [{ pack: 'AwsSolutions', id: 'AwsSolutions-IAM5', reason: 'wildcard needed', scope: 'Keys/DataKey' }];
    expect(auditAcknowledgements(records, [], { minReasonLength: 10 })).toEqual([]);
    expect(auditAcknowledgements(records, [], { minReasonLength: 40, severity: 'error' })).toEqual([
      {
        controlId: 'SRM-IIP-MGT-01',
        ruleId: 'AcknowledgementAudit',
        severity: 'error',
        kind: 'violation',
        message:
          'acknowledgement AwsSolutions-IAM5 at Keys/DataKey gives a reason of 15 character(s) ("wildcard needed"), shorter than the minimum of 40; say why the finding does not apply here or what compensates for it',
      },
    ]);
  });

  it('refuses bad options with one clear message', () => {
    expect(() => auditAcknowledgements([], [], { minReasonLength: -1 })).toThrow(SrmIipError);
    expect(() => auditAcknowledgements([], [], { minReasonLength: 2.5 })).toThrow('minReasonLength must be a whole number of characters >= 0, got 2.5');
    expect(() => auditAcknowledgements([], [], { severity: 'fatal' as 'error' })).toThrow("acknowledgement audit severity must be error or warning, got 'fatal'");
  });

  it('leaves MGT-01 to its attestation in the report model: audit findings never make it passed or failed', () => {
    const model = buildReportModel({ result: { ...result, findings: [...result.findings, ...audit] }, source: { kind: 'template', paths: ['keys.json'] }, acknowledgements: acks, now: new Date('2026-06-01T00:00:00Z') });
    const mgt01 = model.controls.find((c) => c.control.id === 'SRM-IIP-MGT-01')!;
    expect(mgt01.status).toBe('unattested');
    expect(mgt01.findings).toHaveLength(4);
    expect(model.acknowledgements).toHaveLength(5);
  });
});
