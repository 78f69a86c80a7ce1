/**
 * Validators the report tests share: the SARIF 2.1.0 schema and headless Chromium.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/** The SARIF 2.1.0 schema (draft-04, vendored; see test/fixtures/sarif/README.md), compiled with Ajv 8. */
export function sarifValidator() {
  const schema = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }); // the schema's language pattern is not a valid 'u' regex
  addFormats(ajv);
  return ajv.compile(schema);
}

/** Debian's Chromium, installed on demand (CI installs it too); a reason when it cannot be had. */
export function findChromium(): { path?: string; reason?: string } {
  const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const found = () => candidates.find((p) => existsSync(p));
  if (found()) return { path: found() };
  if (spawnSync('apt-get', ['--version']).status !== 0) return { reason: 'chromium is not installed and apt-get is not available to install it' };
  const install = spawnSync('sh', ['-c', 'apt-get update && apt-get install -y chromium'], { encoding: 'utf8', timeout: 600_000 });
  if (found()) return { path: found() };
  return { reason: `chromium is not installed and "apt-get install -y chromium" failed: ${(install.stderr || String(install.error ?? '')).trim().split('\n').slice(-2).join(' ')}` };
}

/** Run headless Chromium on a URL with a fresh profile (removed afterwards); returns stdout (e.g. --dump-dom). */
export function browse(chromiumPath: string, args: string[], url: string): string {
  const profile = mkdtempSync(join(tmpdir(), 'srm-iip-chromium-'));
  try {
    return execFileSync(
      chromiumPath,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
        `--user-data-dir=${profile}`,
        ...args,
        url,
      ],
      { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
