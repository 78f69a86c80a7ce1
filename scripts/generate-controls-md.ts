import * as fs from 'fs';
import * as path from 'path';
import { CLAUSES, CONTROLS, Control, THREATS, Verification } from '../rules/catalog';

// CONTROLS.md is derived data: the drift test in test/catalog compares it with this output,
// so the rendering must be deterministic (no dates, stable ordering).

const VERIFICATION_MEANING: Record<Verification, string> = {
  [Verification.AUTOMATED]: 'checked from templates by the rule packs',
  [Verification.PARTIAL]: 'template shows intent (checked); runtime evidence is named and attested',
  [Verification.MANUAL]: 'attested by a person with evidence',
  [Verification.INHERITED]: "provided by the cloud provider; the attestation names the provider's evidence",
};

/** Keeps table cells on one line and stops `|` from splitting columns. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function heading(ctl: Control): string {
  return `${ctl.id} — ${ctl.title}`;
}

/** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens. */
function anchor(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

function list(values: readonly string[], empty: string): string {
  return values.length === 0 ? empty : values.join(', ');
}

function renderControl(ctl: Control): string[] {
  const threats = ctl.threats.map((t) => `${t} ${THREATS[t]}`).join('; ');
  const rows: [string, string][] = [
    ['objective', ctl.objective],
    ['clause', `${ctl.clause} ${CLAUSES[ctl.clause] ?? ''}`.trim()],
    ['domains', list(ctl.domains, '—')],
    ['stages', list(ctl.stages, '—')],
    ['scenarios', list(ctl.scenarios, 'all')],
    ['threats', threats],
    ['IEC 62443-3-3', list(ctl.iec62443, '—')],
    ['verification', ctl.verification],
    ['default severity', ctl.severity],
    ['check', ctl.check],
    ['mapping basis', ctl.mappingBasis],
  ];
  return [
    `### ${heading(ctl)}`,
    '',
    '| field | value |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`),
    '',
  ];
}

export function renderControlsMarkdown(): string {
  const out: string[] = [
    '# SRM-IIP control catalog',
    '',
    '> Generated from `rules/catalog/controls.ts` by `npm run controls:md` — do not edit.',
    '',
    'These controls are the kit\'s own engineering controls for industrial internet platforms on AWS. ' +
      'Each is mapped to a clause title of ISO/IEC 24392:2023 (SRM-IIP) and cross-walked to IEC 62443-3-3 ' +
      'system requirements (SRs). This is not a claim of conformance with ISO/IEC 24392, and no standard text ' +
      'is quoted: objectives and checks are written in the kit\'s own words.',
    '',
    '## Summary',
    '',
    '| verification | controls | meaning |',
    '|---|---|---|',
  ];

  for (const kind of Object.values(Verification)) {
    const n = CONTROLS.filter((ctl) => ctl.verification === kind).length;
    out.push(`| ${kind} | ${n} | ${cell(VERIFICATION_MEANING[kind])} |`);
  }
  out.push(`| **total** | **${CONTROLS.length}** | |`, '');

  // Clause order follows the catalog, so a clause with no controls is not rendered empty.
  const clauses = [...new Set(CONTROLS.map((ctl) => ctl.clause))];

  out.push('## Contents', '', '| id | title | verification | severity |', '|---|---|---|---|');
  for (const ctl of CONTROLS) {
    out.push(
      `| [${ctl.id}](#${anchor(heading(ctl))}) | ${cell(ctl.title)} | ${ctl.verification} | ${ctl.severity} |`,
    );
  }
  out.push('');

  for (const clause of clauses) {
    out.push(`## ${clause} ${CLAUSES[clause] ?? ''}`.trimEnd(), '');
    for (const ctl of CONTROLS.filter((x) => x.clause === clause)) {
      out.push(...renderControl(ctl));
    }
  }

  return out.join('\n').replace(/\n+$/, '') + '\n';
}

if (require.main === module) {
  const target = path.join(__dirname, '..', 'CONTROLS.md');
  fs.writeFileSync(target, renderControlsMarkdown());
  console.log(`wrote ${path.relative(process.cwd(), target) || target}`);
}
