import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AssemblyInputError, readCloudAssembly, synthesizeApp } from '../../cli/assembly';
import { listAcknowledgements, templateAcknowledgementRecords } from '../../reports/ack-audit';
import { checkTemplates } from '../../rules/template/check';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'srm-iip.js');
const TMP = mkdtempSync(join(tmpdir(), 'srm-iip-asm-'));
const APP = join(TMP, 'app.js');
/** A cloud assembly synthesized once from APP (a stack with three KMS keys without rotation). */
const ASM = join(TMP, 'cdk.out');
/** The same assembly with a validation report in which the SRM-IIP plugin acknowledged PluginAckedKey. */
const ASM_ACKED = join(TMP, 'cdk.out.acked');
/** Everything but SYS-02 and the per-resource warnings, so the key findings decide the exit code. */
const QUIET = 'SRM-IIP-MGT-03=off,SRM-IIP-OPS-01=off,SRM-IIP-OPS-03=off,SRM-IIP-OPS-04=off';

/** A tiny CDK app: KMS keys without rotation; one acknowledged in template metadata. Exits 3 after synth with TINY_FAIL. */
const APP_SOURCE = `
const cdk = require(${JSON.stringify(require.resolve('aws-cdk-lib', { paths: [ROOT] }))});
const kms = require(${JSON.stringify(require.resolve('aws-cdk-lib/aws-kms', { paths: [ROOT] }))});
if (process.env.TINY_NO_SYNTH) { console.error('TypeError: cannot read the config'); process.exit(4); }
const app = new cdk.App();
const stack = new cdk.Stack(app, 'Tiny', { env: { account: '111122223333', region: 'eu-central-1' } });
new kms.Key(stack, 'DataKey', { enableKeyRotation: false });
const acked = new kms.Key(stack, 'AckedKey', { enableKeyRotation: false });
acked.node.defaultChild.addMetadata('srm-iip', { acknowledgements: [{ id: 'SRM-IIP-SYS-02', reason: 'imported key material, rotated by the HSM runbook' }] });
new kms.Key(stack, 'PluginAckedKey', { enableKeyRotation: false });
app.synth();
if (process.env.TINY_FAIL) { console.error('Validation failed'); process.exit(3); }
`;

function cli(args: string[], env: Record<string, string> = {}, cwd = TMP) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, cwd, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectUsageError(r: ReturnType<typeof cli>, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^srm-iip: /);
  expect(r.stderr).toMatch(pattern);
}

interface JsonFinding {
  controlId: string;
  logicalId: string | null;
  severity: string;
  stack: string | null;
  constructPath: string | null;
  acknowledged: { id: string; reason: string; scope: string } | null;
}

const sys02 = (out: { findings: JsonFinding[] }) => out.findings.filter((f) => f.controlId === 'SRM-IIP-SYS-02');

beforeAll(() => {
  writeFileSync(APP, APP_SOURCE);
  const r = spawnSync(process.execPath, [APP], { encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: ASM } });
  expect(r.status, r.stderr).toBe(0);
  cpSync(ASM, ASM_ACKED, { recursive: true });
  const template = JSON.parse(readFileSync(join(ASM, 'Tiny.template.json'), 'utf8'));
  const logicalId = Object.keys(template.Resources).find((k) => k.startsWith('PluginAckedKey'))!;
  const violation = {
    ruleName: 'Annotation::SRM-IIP-SYS-02',
    severity: 'error',
    ruleMetadata: { controlId: 'SRM-IIP-SYS-02', ruleId: 'KmsKeyRotationEnabled', kind: 'violation', logicalId, stack: 'Tiny' },
    violatingConstructs: [{ constructPath: 'Tiny/PluginAckedKey/Resource', cloudFormationResource: { templatePath: 'Tiny.template.json', logicalId } }],
    acknowledgedId: 'Annotation::SRM-IIP-SYS-02',
    reason: 'key of a test fixture, destroyed after the run',
    acknowledgedAt: 'Tiny/PluginAckedKey',
  };
  const peer = { ruleName: 'AwsSolutions-KMS5', reason: 'rotation is handled by the runbook', acknowledgedAt: 'Tiny/DataKey', violatingConstructs: [{ constructPath: 'Tiny/DataKey/Resource' }] };
  writeFileSync(
    join(ASM_ACKED, 'validation-report.json'),
    JSON.stringify({ version: '55.0.0', title: 'Validation Report', pluginReports: [
      { pluginName: 'SRM-IIP', conclusion: 'success', violations: [], suppressedViolations: [violation] },
      { pluginName: 'AwsSolutions', conclusion: 'success', violations: [], suppressedViolations: [peer] },
    ] }),
  );
});

describe('readCloudAssembly', () => {
  it('reads every stack template with its environment and construct paths', () => {
    const a = readCloudAssembly(ASM);
    expect(a.stacks).toHaveLength(1);
    const [s] = a.stacks;
    expect(s).toMatchObject({ name: 'Tiny', region: 'eu-central-1', account: '111122223333' });
    expect([...s.constructPaths!.values()]).toContain('Tiny/DataKey/Resource');
    const result = checkTemplates(a.stacks, {}, undefined, a.acknowledge);
    const f = result.findings.find((x) => x.controlId === 'SRM-IIP-SYS-02' && x.logicalId?.startsWith('DataKey'));
    expect(f).toMatchObject({ stack: 'Tiny', constructPath: 'Tiny/DataKey/Resource' });
    // The region is known, so MGT-03 compares it instead of reporting the stack region unverifiable.
    expect(result.findings.some((x) => x.controlId === 'SRM-IIP-MGT-03' && /stack region/.test(x.message))).toBe(false);
  });

  it('applies the SRM-IIP plugin acknowledgements of validation-report.json and lists every pack', () => {
    const a = readCloudAssembly(ASM_ACKED);
    const result = checkTemplates(a.stacks, {}, undefined, a.acknowledge);
    const keys = result.findings.filter((f) => f.controlId === 'SRM-IIP-SYS-02');
    const plugin = keys.find((f) => f.logicalId?.startsWith('PluginAckedKey'))!;
    expect(plugin.acknowledgement).toMatchObject({ id: 'SRM-IIP-SYS-02', reason: 'key of a test fixture, destroyed after the run', scope: 'Tiny/PluginAckedKey' });
    expect(keys.find((f) => f.logicalId?.startsWith('DataKey'))!.acknowledgement).toBeUndefined();
    const records = [...listAcknowledgements(a.acknowledgements, result.findings), ...templateAcknowledgementRecords(a.stacks, result.findings)];
    expect(records).toEqual(
      expect.arrayContaining([
        { pack: 'SRM-IIP', id: 'SRM-IIP-SYS-02', reason: 'key of a test fixture, destroyed after the run', scope: 'Tiny/PluginAckedKey', covers: 1 },
        { pack: 'AwsSolutions', id: 'AwsSolutions-KMS5', reason: 'rotation is handled by the runbook', scope: 'Tiny/DataKey' },
        expect.objectContaining({ pack: 'SRM-IIP', id: 'SRM-IIP-SYS-02', reason: 'imported key material, rotated by the HSM runbook', covers: 1 }),
      ]),
    );
  });

  it('reads nested assemblies (stages) and nested-stack templates', () => {
    const dir = join(TMP, 'staged');
    mkdirSync(join(dir, 'assembly-Prod'), { recursive: true });
    cpSync(ASM, join(dir, 'assembly-Prod'), { recursive: true });
    const parent = { Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'x' }, Metadata: { 'aws:asset:path': 'Parent.nested.template.json' } } } };
    writeFileSync(join(dir, 'Parent.template.json'), JSON.stringify(parent));
    writeFileSync(join(dir, 'Parent.nested.template.json'), JSON.stringify({ Resources: { K: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: false } } } }));
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ version: '55.0.0', artifacts: {
        Parent: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Parent.template.json' } },
        'assembly-Prod': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod' } },
      } }),
    );
    const a = readCloudAssembly(dir);
    expect(a.stacks.map((s) => s.name).sort()).toEqual(['Parent', 'Parent/Child', 'Tiny']);
    expect(a.stacks.find((s) => s.name === 'Parent')!.region).toBeUndefined();
    const result = checkTemplates(a.stacks);
    expect(result.findings.some((f) => f.stack === 'Parent/Child' && f.controlId === 'SRM-IIP-SYS-02')).toBe(true);
  });

  it('rejects a missing directory, a file, a directory without manifest, an assembly without templates', () => {
    expect(() => readCloudAssembly(join(TMP, 'nope'))).toThrow(AssemblyInputError);
    expect(() => readCloudAssembly(APP)).toThrow(/not a directory/);
    expect(() => readCloudAssembly(join(TMP, 'staged', '..'))).toThrow(/no manifest\.json/);
  });

  it('synthesizeApp sets CDK_OUTDIR and accepts an app that fails after writing its assembly', () => {
    const app = synthesizeApp(`"${process.execPath}" "${APP}"`);
    try {
      expect(app.exitCode).toBe(0);
      expect(existsSync(join(app.outdir, 'manifest.json'))).toBe(true);
    } finally {
      app.cleanup();
    }
    expect(existsSync(app.outdir)).toBe(false);
  });
});

describe('srm-iip check --cdk-out / --app', () => {
  it('--cdk-out checks every stack: exit 1, findings carry the stack and construct path', () => {
    const r = cli(['check', '--cdk-out', ASM, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    const keys = sys02(out);
    expect(keys).toHaveLength(3);
    expect(keys.find((f) => f.logicalId!.startsWith('DataKey'))).toMatchObject({ severity: 'error', stack: 'Tiny', constructPath: 'Tiny/DataKey/Resource', acknowledged: null });
    expect(keys.find((f) => f.logicalId!.startsWith('AckedKey'))!.acknowledged).toMatchObject({ reason: 'imported key material, rotated by the HSM runbook' });
    expect(out.source).toEqual({ kind: 'cdk-out', paths: [ASM] });
  });

  it('--cdk-out applies validation-report.json acknowledgements', () => {
    const out = JSON.parse(cli(['check', '--cdk-out', ASM_ACKED, '--format', 'json']).stdout);
    expect(sys02(out).find((f) => f.logicalId!.startsWith('PluginAckedKey'))!.acknowledged).toMatchObject({ scope: 'Tiny/PluginAckedKey' });
    expect(out.acknowledgements.map((a: { pack: string }) => a.pack).sort()).toEqual(['AwsSolutions', 'SRM-IIP', 'SRM-IIP']);
    expect(out.findings.filter((f: { controlId: string; ruleId: string }) => f.ruleId === 'AcknowledgementAudit')).toEqual([]);
  });

  it('--app runs the command with CDK_OUTDIR and checks its assembly; a failing app that wrote one is checked', () => {
    const ok = cli(['check', '--app', `"${process.execPath}" "${APP}"`, '--format', 'json']);
    expect(ok.code).toBe(1);
    expect(sys02(JSON.parse(ok.stdout))).toHaveLength(3);
    expect(JSON.parse(ok.stdout).source.kind).toBe('app');
    const failed = cli(['check', '--app', `"${process.execPath}" "${APP}"`, '--format', 'json', '--severity', `SRM-IIP-SYS-02=off,${QUIET}`, '--fail-on', 'error'], { TINY_FAIL: '1' });
    expect(failed.stderr).toMatch(/the app command exited 3 but produced a cloud assembly; checking it \(its stderr began: Validation failed\)/);
    expect(failed.code).toBe(0);
  });

  it('--fail-on error|warning|none', () => {
    const warningsOnly = ['check', '--cdk-out', ASM, '--severity', `SRM-IIP-SYS-02=warning,${QUIET}`];
    expect(cli([...warningsOnly]).code).toBe(0);
    expect(cli([...warningsOnly, '--fail-on', 'error']).code).toBe(0);
    expect(cli([...warningsOnly, '--fail-on', 'warning']).code).toBe(1);
    expect(cli(['check', '--cdk-out', ASM, '--fail-on', 'none']).code).toBe(0);
    expect(cli(['check', '--cdk-out', ASM, '--fail-on', 'error']).code).toBe(1);
  });

  it('several formats go to --output-dir, atomically, as srm-iip.<ext>', () => {
    const dir = join(TMP, 'reports');
    const r = cli(['check', '--cdk-out', ASM, '--format', 'text,json,sarif,junit,markdown,html', '--output-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['srm-iip.html', 'srm-iip.json', 'srm-iip.junit.xml', 'srm-iip.md', 'srm-iip.sarif', 'srm-iip.txt']);
    expect(JSON.parse(readFileSync(join(dir, 'srm-iip.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(readFileSync(join(dir, 'srm-iip.junit.xml'), 'utf8')).toMatch(/^<\?xml/);
    expect(readFileSync(join(dir, 'srm-iip.html'), 'utf8')).toMatch(/<html/i);
    expect(readFileSync(join(dir, 'srm-iip.md'), 'utf8')).toContain('SRM-IIP-SYS-02');
    expect(JSON.parse(readFileSync(join(dir, 'srm-iip.json'), 'utf8')).findings.length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'srm-iip.txt'), 'utf8')).toContain('Result: FAILED');
  });

  it('a single format without --output-dir prints to stdout', () => {
    const r = cli(['check', '--cdk-out', ASM, '--format', 'sarif']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).runs).toHaveLength(1);
  });

  it('reads srm-iip.attestations.yaml from the current directory, or --attestations', () => {
    const dir = join(TMP, 'attested');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'srm-iip.attestations.yaml'), 'attestations:\n  - control: SRM-IIP-PHY-01\n    owner: Cloud platform team\n    evidence: AWS Artifact SOC 2 Type II report\n    date: 2026-01-01\n    expires: 2099-01-01\n');
    const status = (out: { report: { controls: Array<{ controlId: string; status: string }> } }) => out.report.controls.find((c) => c.controlId === 'SRM-IIP-PHY-01')!.status;
    expect(status(JSON.parse(cli(['check', '--cdk-out', ASM, '--format', 'json'], {}, dir).stdout))).toBe('attested');
    expect(status(JSON.parse(cli(['check', '--cdk-out', ASM, '--format', 'json']).stdout))).toBe('unattested');
    expect(status(JSON.parse(cli(['check', '--cdk-out', ASM, '--format', 'json', '--attestations', join(dir, 'srm-iip.attestations.yaml')]).stdout))).toBe('attested');
  });

  describe('exit 2 with a one-line reason', () => {
    it('a bad attestations file', () => {
      const bad = join(TMP, 'bad.attestations.yaml');
      writeFileSync(bad, 'attestations:\n  - control: SRM-IIP-PHY-01\n    owner: x\n');
      expectUsageError(cli(['check', '--cdk-out', ASM, '--attestations', bad]), /bad\.attestations\.yaml: entry 1 \(SRM-IIP-PHY-01\)/);
      expectUsageError(cli(['check', '--cdk-out', ASM, '--attestations', join(TMP, 'none.yaml')]), /none\.yaml: file not found/);
    });
    it('a missing directory', () => expectUsageError(cli(['check', '--cdk-out', join(TMP, 'nope')]), /--cdk-out .*nope: no such directory/));
    it('a directory that is not an assembly', () => expectUsageError(cli(['check', '--cdk-out', TMP]), /not a cloud assembly: it has no manifest\.json/));
    it('an assembly without templates', () => {
      const dir = join(TMP, 'empty-asm');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts: { Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } } } }));
      expectUsageError(cli(['check', '--cdk-out', dir]), /the cloud assembly has no CloudFormation stack templates/);
    });
    it('an app that fails without an assembly', () =>
      expectUsageError(cli(['check', '--app', `"${process.execPath}" "${APP}"`], { TINY_NO_SYNTH: '1' }), /the app command failed \(exit 4\) and produced no cloud assembly: TypeError: cannot read the config/));
    it('an unknown format', () => expectUsageError(cli(['check', '--cdk-out', ASM, '--format', 'json,pdf', '--output-dir', join(TMP, 'x')]), /--format must be .*, got 'pdf'/));
    it('several formats without --output-dir', () => expectUsageError(cli(['check', '--cdk-out', ASM, '--format', 'text,json']), /several formats \(text, json\) need --output-dir/));
    it('two input kinds', () => expectUsageError(cli(['check', '--cdk-out', ASM, '--app', 'true']), /check takes one input kind, got --cdk-out and --app/));
    it('a bad --fail-on', () => expectUsageError(cli(['check', '--cdk-out', ASM, '--fail-on', 'info']), /--fail-on must be error, warning or none, got 'info'/));
  });
});
