import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main';

/**
 * Real public templates nobody here wrote (../shared/corpus, see its README).
 * Every file must be checked (exit 0/1, valid JSON out) or refused with a
 * one-line reason (exit 2): never an internal error, a crash or a hang.
 * Findings are not asserted: the corpus is not labelled.
 */
const CORPUS = process.env.SRM_IIP_CORPUS ?? resolve(__dirname, '..', '..', '..', 'shared', 'corpus');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

const all = existsSync(CORPUS) ? files(CORPUS) : [];

describe.skipIf(all.length === 0)(`checker over the real-world corpus (${all.length} files)`, () => {
  it.each(all.map((f) => [relative(CORPUS, f), f]))('%s', async (_name, file) => {
    let out = '';
    let err = '';
    const code = await main(['check', '--template', file, '--format', 'json'], { out: (s) => (out += s), err: (s) => (err += s) });
    expect([0, 1, 2], err).toContain(code);
    if (code === 2) {
      expect(out).toBe('');
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(/^srm-iip: /);
    } else {
      expect(err).toBe('');
      const parsed = JSON.parse(out);
      expect(Array.isArray(parsed.findings)).toBe(true);
      for (const f of parsed.findings) expect(f.controlId).toMatch(/^SRM-IIP-[A-Z]{3}-\d{2}$/);
    }
  }, 20_000);

  it('checks most files rather than refusing them', async () => {
    let refused = 0;
    for (const f of all.filter((x) => /\.(json|ya?ml)$/.test(x))) {
      const code = await main(['check', '--template', f, '--format', 'json'], { out: () => {}, err: () => {} });
      if (code === 2) refused++;
    }
    // The corpus holds a few non-templates (event payloads, Rain modules, manifests); templates must not be refused.
    expect(refused).toBeLessThan(30);
  }, 120_000);
});
