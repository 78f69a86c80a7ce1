import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTROLS } from '../../rules/catalog/controls';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'srm-iip.js');
const FIX = join(ROOT, 'test', 'fixtures', 'templates');
const TMP = mkdtempSync(join(tmpdir(), 'srm-iip-cli-'));

/** Run the real command, as a user would after `npm ci` (the build runs in `pretest`). */
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, cwd: TMP });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const p = join(TMP, name);
  writeFileSync(p, text);
  return p;
}

function expectUsageError(r: ReturnType<typeof cli>, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^srm-iip: /);
  expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  expect(r.stderr).toMatch(pattern);
}

describe('srm-iip controls', () => {
  it('--format json lists every control with every field', () => {
    const r = cli('controls', '--format', 'json');
    expect(r.code).toBe(0);
    const { controls } = JSON.parse(r.stdout);
    expect(controls).toHaveLength(CONTROLS.length);
    const fields = ['id', 'clause', 'title', 'objective', 'domains', 'stages', 'scenarios', 'threats', 'iec62443', 'verification', 'severity', 'mappingBasis'];
    for (const c of controls) for (const f of fields) expect(c, `${c.id}.${f}`).toHaveProperty(f);
    expect(controls.map((c: { id: string }) => c.id)).toEqual(CONTROLS.map((c) => c.id));
  });

  it('text format is a table with the mapping note', () => {
    const r = cli('controls');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SRM-IIP-NET-05');
    expect(r.stdout).toContain('not a conformance claim');
  });
});

describe('srm-iip check', () => {
  it('exit 0 on a compliant YAML template with short-form tags (!If, !Sub, !GetAtt, !Equals)', () => {
    const r = cli('check', '--template', join(FIX, 'compliant-key.yaml'), '--format', 'json', '--severity', 'SRM-IIP-MGT-02=off,SRM-IIP-SYS-08=off,SRM-IIP-OPS-01=off,SRM-IIP-OPS-03=off,SRM-IIP-OPS-04=off,SRM-IIP-OPS-05=off,SRM-IIP-MGT-03=off');
    const out = JSON.parse(r.stdout);
    expect(out.findings.filter((f: { controlId: string }) => f.controlId === 'SRM-IIP-SYS-02')).toEqual([]);
    expect(r.code).toBe(out.findings.some((f: { severity: string; acknowledged: unknown }) => f.severity === 'error' && !f.acknowledged) ? 1 : 0);
  });

  it('exit 1 on an unacknowledged error, with findings in the documented JSON shape', () => {
    const r = cli('check', '--template', join(FIX, 'noncompliant-key.json'), '--format', 'json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    const f = out.findings.find((x: { controlId: string }) => x.controlId === 'SRM-IIP-SYS-02');
    expect(f).toMatchObject({ controlId: 'SRM-IIP-SYS-02', ruleId: 'KmsKeyRotationEnabled', severity: 'error', logicalId: 'DataKey', resourceType: 'AWS::KMS::Key' });
    expect(typeof f.message).toBe('string');
  });

  it('exit 0 when the only errors are acknowledged in template metadata', () => {
    const t = file('acked.json', JSON.stringify({ Resources: { K: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: false }, Metadata: { 'srm-iip': { acknowledgements: [{ id: 'SRM-IIP-SYS-02', reason: 'imported key material, rotated by the HSM runbook' }] } } } } }));
    const r = cli('check', '--template', t, '--format', 'json', '--severity', 'SRM-IIP-MGT-02=off,SRM-IIP-SYS-08=off,SRM-IIP-OPS-01=off,SRM-IIP-OPS-03=off,SRM-IIP-OPS-04=off,SRM-IIP-OPS-05=off,SRM-IIP-MGT-03=off,SRM-IIP-ACC-07=off');
    const out = JSON.parse(r.stdout);
    const f = out.findings.find((x: { controlId: string }) => x.controlId === 'SRM-IIP-SYS-02');
    expect(f.acknowledged).toMatchObject({ reason: 'imported key material, rotated by the HSM runbook' });
    expect(r.code).toBe(out.findings.some((x: { severity: string; acknowledged: unknown }) => x.severity === 'error' && !x.acknowledged) ? 1 : 0);
  });

  it('text output names the control, the resource and the result', () => {
    const r = cli('check', '--template', join(FIX, 'noncompliant-key.json'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR\s+SRM-IIP-SYS-02 DataKey \(AWS::KMS::Key\)/);
    expect(r.stdout).toContain('Result: FAILED');
  });

  describe('exit 2 with a one-line reason on bad input', () => {
    it('missing file', () => expectUsageError(cli('check', '--template', join(TMP, 'nope.json')), /nope\.json: cannot read the file \(no such file\)/));
    it('a directory', () => expectUsageError(cli('check', '--template', TMP), /is a directory/));
    it('JSON that does not parse', () => expectUsageError(cli('check', '--template', file('bad.json', '{"Resources": {')), /bad\.json: not valid JSON/));
    it('YAML that does not parse', () => expectUsageError(cli('check', '--template', file('bad.yaml', 'Resources:\n  A: [\n')), /bad\.yaml: not valid YAML/));
    it('no Resources map', () => expectUsageError(cli('check', '--template', file('nores.yaml', 'Description: hello\n')), /not a CloudFormation template: it has no Resources section/));
    it('Resources that is not a map', () => expectUsageError(cli('check', '--template', file('list.json', '{"Resources": [1,2]}')), /Resources is not a map/));
    it('a resource without a Type', () => expectUsageError(cli('check', '--template', file('notype.json', '{"Resources": {"A": {"Properties": {}}}}')), /resource A has no Type/));
    it('an empty file', () => expectUsageError(cli('check', '--template', file('empty.yaml', '')), /the file is empty/));
    it('a scalar document', () => expectUsageError(cli('check', '--template', file('scalar.yaml', 'hello\n')), /not a JSON\/YAML object/));
    it('no --template', () => expectUsageError(cli('check'), /check needs --template/));
    it('unknown option', () => expectUsageError(cli('check', '--templat', 'x'), /Unknown option '--templat'/));
    it('unknown format', () => expectUsageError(cli('check', '--template', join(FIX, 'noncompliant-key.json'), '--format', 'xml'), /--format must be text, json, sarif, junit, markdown or html, got 'xml'/));
    it('bad region', () => expectUsageError(cli('check', '--template', join(FIX, 'noncompliant-key.json'), '--allowed-regions', 'eu-central-1,europe'), /allowedRegions: 'europe' is not an AWS region name/));
    it('bad retention', () => expectUsageError(cli('check', '--template', join(FIX, 'noncompliant-key.json'), '--log-retention-days', 'ten'), /--log-retention-days must be a whole number, got 'ten'/));
    it('bad severity entry', () => expectUsageError(cli('check', '--template', join(FIX, 'noncompliant-key.json'), '--severity', 'SRM-IIP-SYS-02'), /--severity entries must be ID=level/));
    it('unknown command', () => expectUsageError(cli('audit'), /unknown command 'audit'/));
  });
});

describe('srm-iip start-up', () => {
  it('checks templates without loading aws-cdk-lib (the checker is independent of CDK)', () => {
    const probe = `require(${JSON.stringify(join(ROOT, 'dist', 'cli', 'main.js'))}); console.log(Object.keys(require.cache).filter((k) => /node_modules[\\/](aws-cdk-lib|cdk-nag)[\\/]/.test(k)).length)`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('0');
  });
});

describe('srm-iip --version', () => {
  it('prints the version of package.json', () => {
    const r = cli('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});

describe('srm-iip check --min-reason-length', () => {
  it('reports an acknowledgement whose reason is shorter than the minimum, as a finding of its own', () => {
    const t = file('short-reason.json', JSON.stringify({ Resources: { K: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: false }, Metadata: { 'srm-iip': { acknowledgements: [{ id: 'SRM-IIP-SYS-02', reason: 'rotated by the HSM team' }] } } } } }));
    const audit = (min: string) =>
      JSON.parse(cli('check', '--template', t, '--format', 'json', '--min-reason-length', min).stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'AcknowledgementAudit');
    expect(audit('20')).toEqual([]);
    expect(audit('40')).toEqual([expect.objectContaining({ controlId: 'SRM-IIP-MGT-01', severity: 'warning', message: expect.stringContaining('shorter than the minimum of 40') })]);
  });

  it('refuses a minimum that is not a whole number', () => {
    expectUsageError(cli('check', '--template', join(FIX, 'noncompliant-key.json'), '--min-reason-length', 'long'), /--min-reason-length must be a whole number, got 'long'/);
  });
});
