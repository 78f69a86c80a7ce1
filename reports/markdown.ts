/**
 * Markdown rendering of a report model as a pull-request comment: a summary
 * line, the failing controls (errors first), acknowledged findings with their
 * reasons (collapsed), and the mapping note. Stays under GitHub's comment limit.
 */
import type { Finding } from '../rules/engine/run';
import type { ReportControl, ReportModel } from './model';

/** GitHub's limit for an issue or pull-request comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** Messages shown per failing control. */
const FIRST_MESSAGES = 3;
const MESSAGE_CHARS = 200;

/** One line of a table cell: no line breaks, no column splits, no raw HTML. */
function cell(text: string, max = Infinity): string {
  let t = text.replace(/\s*\r?\n\s*/g, ' ').trim();
  if (t.length > max) t = `${t.slice(0, max - 1)}…`;
  return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');
}

function where(f: Finding): string {
  if (f.logicalId) return f.stack ? `${f.stack}/${f.logicalId}` : f.logicalId;
  return f.stack ? f.stack : '(app)';
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

interface Failing {
  rc: ReportControl;
  open: Finding[];
  errors: number;
}

/** Render a report model as a Markdown pull-request comment. */
export function renderMarkdown(model: ReportModel, limit = GITHUB_COMMENT_LIMIT): string {
  const s = model.summary;
  const n = (status: string) => s.controls[status] ?? 0;
  const head: string[] = [
    `### SRM-IIP check: ${s.passed ? '✅ passed' : '❌ failed'}`,
    '',
    `**Controls:** ${n('passed')} passed · ${n('failed')} failed · ${n('acknowledged')} acknowledged · ${n('attested')} attested · ${n('unattested')} unattested` +
      `${n('attestation-expired') ? ` · ${n('attestation-expired')} attestation expired` : ''} · ${n('not-applicable')} not applicable${n('excluded') ? ` · ${n('excluded')} excluded` : ''}. ` +
      `**Open findings:** ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}` +
      `${s.unverifiable ? ` (${s.unverifiable} cannot be verified from the templates)` : ''}; ${s.acknowledged} acknowledged. ` +
      `${plural(model.resourceCount, 'resource')} checked.`,
  ];

  // Failing controls: those with open errors first (most errors first), then warning-only; catalog order within.
  const failing: Failing[] = model.controls
    .map((rc) => {
      const open = rc.findings.filter((f) => !f.acknowledgement);
      return { rc, open, errors: open.filter((f) => f.severity === 'error').length };
    })
    .filter((x) => x.open.length > 0)
    .map((x, i) => ({ ...x, i }))
    .sort((a, b) => Number(b.errors > 0) - Number(a.errors > 0) || b.errors - a.errors || a.i - b.i);
  const failingRows = failing.map(({ rc, open, errors }) => {
    const counts = errors === open.length ? plural(errors, 'error') : errors === 0 ? plural(open.length, 'warning') : `${plural(errors, 'error')}, ${plural(open.length - errors, 'warning')}`;
    const msgs = open.slice(0, FIRST_MESSAGES).map((f) => `\`${cell(where(f), 120)}\`: ${cell(f.message, MESSAGE_CHARS)}${f.kind === 'unverifiable' ? ' _(cannot verify)_' : ''}`);
    if (open.length > FIRST_MESSAGES) msgs.push(`… and ${open.length - FIRST_MESSAGES} more`);
    return `| \`${rc.control.id}\` | ${cell(rc.control.title)} | ${counts} | ${msgs.join('<br>')} |`;
  });

  const expired = model.controls.filter((rc) => rc.status === 'attestation-expired');
  const acked = model.findings.filter((f) => f.acknowledgement);
  const ackRows = acked.map((f) => `| \`${f.controlId}\` | \`${cell(where(f), 120)}\` | ${cell(f.message, MESSAGE_CHARS)} | ${cell(f.acknowledgement!.reason, 500)} | \`${cell(f.acknowledgement!.scope, 120)}\` |`);

  const tail = ['', '---', `_${model.mapping}_ ${cell(`${model.tool.name} ${model.tool.version}`)}.`];

  // Assemble within the limit; rows that do not fit are counted in a note.
  const out: string[] = [...head];
  let size = out.join('\n').length;
  const reserve = tail.join('\n').length + 400;
  const push = (...lines: string[]): boolean => {
    const add = lines.join('\n').length + 1;
    if (size + add + reserve > limit) return false;
    out.push(...lines);
    size += add;
    return true;
  };
  const table = (header: string[], rows: string[], what: string) => {
    push(...header);
    let shown = 0;
    for (const r of rows) {
      if (!push(r)) break;
      shown++;
    }
    if (shown < rows.length) {
      out.push('', `> ⚠️ ${rows.length - shown} more ${what} not shown: the comment would exceed GitHub's ${limit}-character limit. See the full report (SARIF or JSON).`);
      size += 200;
    }
    return shown === rows.length;
  };

  if (failingRows.length > 0) {
    push('', `#### Failing controls (${failing.length})`, '');
    table(['| Control | Title | Open findings | First messages |', '|---|---|---|---|'], failingRows, 'failing control(s)');
  } else {
    push('', 'No control has open findings.');
  }

  if (expired.length > 0) {
    push('', `**Attestations expired:** ${expired.map((rc) => `\`${rc.control.id}\`${rc.attestation ? ` (expired ${rc.attestation.expires})` : ''}`).join(', ')}`);
  }

  if (ackRows.length > 0) {
    if (push('', '<details>', `<summary>${plural(acked.length, 'acknowledged finding')}</summary>`, '')) {
      table(['| Control | Where | Finding | Reason | Acknowledged at |', '|---|---|---|---|---|'], ackRows, 'acknowledged finding(s)');
      out.push('', '</details>');
    }
  }

  out.push(...tail);
  return `${out.join('\n')}\n`;
}
