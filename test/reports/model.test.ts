import { describe, expect, it } from 'vitest';
import { buildReportModel } from '../../reports/model';
import { checkTemplate } from '../../rules/template/check';

const result = checkTemplate({ Resources: { K: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: false } } } });
const NOW = new Date('2026-11-27T12:00:00Z');

describe('report model', () => {
  const model = buildReportModel({
    result,
    source: { kind: 'template', paths: ['t.json'] },
    now: NOW,
    attestations: [
      { controlId: 'SRM-IIP-PHY-01', owner: 'cloud-governance', evidence: 'SOC 2 report 2026', date: '2026-01-10', expires: '2027-01-10' },
      { controlId: 'SRM-IIP-PHY-02', owner: 'plant-security', evidence: 'site audit 2025', date: '2025-06-01', expires: '2026-06-01' },
    ],
  });
  const status = (id: string) => model.controls.find((c) => c.control.id === id)!.status;

  it('manual and inherited controls are attested, expired or unattested — never passed', () => {
    expect(status('SRM-IIP-PHY-01')).toBe('attested');
    expect(status('SRM-IIP-PHY-02')).toBe('attestation-expired');
    expect(status('SRM-IIP-MGT-01')).toBe('unattested');
  });

  it('automated controls carry the check status; findings are attached to their control', () => {
    expect(status('SRM-IIP-SYS-02')).toBe('failed');
    expect(model.controls.find((c) => c.control.id === 'SRM-IIP-SYS-02')!.findings.map((f) => f.ruleId)).toEqual(['KmsKeyRotationEnabled']);
    expect(status('SRM-IIP-NET-05')).toBe('not-applicable');
  });

  it('a partial control shows its attestation status unless its checked part fails', () => {
    const partial = model.controls.find((c) => c.control.id === 'SRM-IIP-OPS-07')!;
    expect(partial.automatedStatus).toBeDefined();
    expect(partial.status).toBe(partial.automatedStatus === 'failed' ? 'failed' : 'unattested');
  });

  it('summarizes counts and the pass/fail of the run', () => {
    expect(model.summary.passed).toBe(false);
    expect(model.summary.errors).toBeGreaterThan(0);
    expect(Object.values(model.summary.controls).reduce((a, b) => a + b, 0)).toBe(49);
    expect(model.mapping).toContain('not a conformance claim');
  });
});
