/**
 * The HTML report: one self-contained page (inline CSS and JS, no network
 * loads, a strict Content-Security-Policy) with the summary, a matrix of
 * controls by security domain and by life-cycle stage, filters and the
 * details of every control. A pure function of the report model.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../rules/engine/run';
import type { ReportControl, ReportModel, ReportStatus } from './model';

/** Every report status, in the order the page lists them. */
export const HTML_STATUSES: readonly ReportStatus[] = [
  'failed',
  'attestation-expired',
  'unattested',
  'acknowledged',
  'attested',
  'passed',
  'not-applicable',
  'excluded',
];

/** Security domains (columns of the domain matrix), as the catalog spells them. */
export const HTML_DOMAINS: readonly string[] = ['edge', 'cloud-infrastructure', 'platform', 'application'];
/** Life-cycle stages (columns of the stage matrix). */
export const HTML_STAGES: readonly string[] = ['development-production', 'utilization-support', 'retirement'];

const STATUS_LABEL: Record<ReportStatus, string> = {
  passed: 'Passed',
  failed: 'Failed',
  acknowledged: 'Acknowledged',
  'not-applicable': 'Not applicable',
  excluded: 'Excluded',
  attested: 'Attested',
  unattested: 'Unattested',
  'attestation-expired': 'Attestation expired',
};
/** A glyph next to the colour, so status never rests on colour alone. */
const STATUS_GLYPH: Record<ReportStatus, string> = {
  passed: '✓',
  failed: '✕',
  acknowledged: '!',
  'not-applicable': '–',
  excluded: '⊘',
  attested: '◆',
  unattested: '?',
  'attestation-expired': '◇',
};
const STATUS_HELP: Record<ReportStatus, string> = {
  passed: 'checked from the templates; no finding',
  failed: 'at least one open finding (or a failed automated part)',
  acknowledged: 'findings, all acknowledged with a reason',
  'not-applicable': 'no resource the control applies to',
  excluded: 'left out by the run’s options',
  attested: 'a person attested it with evidence, not expired',
  unattested: 'needs an attestation; none given',
  'attestation-expired': 'the attestation has expired',
};
const DOMAIN_LABEL: Record<string, string> = {
  edge: 'Edge',
  'cloud-infrastructure': 'Cloud infrastructure',
  platform: 'Platform',
  application: 'Application',
};
const STAGE_LABEL: Record<string, string> = {
  'development-production': 'Development & production',
  'utilization-support': 'Utilization & support',
  retirement: 'Retirement',
};
const FAMILY_LABEL: Record<string, string> = {
  PHY: 'Physical security',
  NET: 'Network security',
  ACC: 'Access security',
  COM: 'Communication security',
  SYS: 'System security',
  APP: 'Application security',
  OPS: 'Operation and maintenance security',
  MGT: 'Security management',
};

/** The family of a control ID: `SRM-IIP-NET-05` → `NET`; IDs of your own prefix: the part before the number. */
export function controlFamily(id: string): string {
  const parts = id.split('-');
  return parts.length >= 2 ? parts[parts.length - 2] : id;
}

function esc(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Escape, then show the catalog's `backtick` spans as code. */
function prose(s: string): string {
  return esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function cspHash(s: string): string {
  return `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
}

interface Family {
  readonly code: string;
  readonly clause: string;
  readonly label: string;
  readonly controls: ReportControl[];
}

function families(model: ReportModel): Family[] {
  const out = new Map<string, Family>();
  for (const c of model.controls) {
    const code = controlFamily(c.control.id);
    let f = out.get(code);
    if (!f) {
      const clause = c.control.clause.split('.').slice(0, 3).join('.');
      out.set(code, (f = { code, clause, label: FAMILY_LABEL[code] ?? code, controls: [] }));
    }
    f.controls.push(c);
  }
  return [...out.values()];
}

function searchText(c: ReportControl): string {
  const k = c.control;
  const resources = c.findings.map((f) => [f.stack, f.logicalId, f.resourceType, f.constructPath].filter(Boolean).join(' '));
  return [k.id, k.title, k.clause, k.objective, k.check, ...k.iec62443, ...k.threats, ...resources].join(' ').toLowerCase();
}

function chip(c: ReportControl, axis: 'domain' | 'stage', value: string): string {
  const k = c.control;
  const s = c.status;
  return (
    `<button type="button" class="chip st-${s}" data-chip data-control="${esc(k.id)}" data-status="${s}" data-family="${esc(controlFamily(k.id))}" data-${axis}="${esc(value)}"` +
    ` data-search="${esc(searchText(c))}" title="${esc(`${k.id} — ${k.title} (${STATUS_LABEL[s]})`)}" aria-label="${esc(`${k.id}: ${STATUS_LABEL[s]}`)}">` +
    `<span class="g" aria-hidden="true">${STATUS_GLYPH[s]}</span>${esc(k.id.replace(/^SRM-IIP-/, ''))}` +
    (c.findings.length > 0 ? `<span class="n" aria-hidden="true">${c.findings.length}</span>` : '') +
    `</button>`
  );
}

function matrix(model: ReportModel, axis: 'domain' | 'stage', columns: readonly string[], labels: Record<string, string>, fams: Family[]): string {
  const of = (c: ReportControl): readonly string[] => (axis === 'domain' ? c.control.domains : c.control.stages);
  const head = columns
    .map((col) => {
      const inCol = model.controls.filter((c) => of(c).includes(col));
      const counts = HTML_STATUSES.filter((s) => inCol.some((c) => c.status === s))
        .map((s) => `<span class="mini st-${s}" data-status="${s}" data-count="${inCol.filter((c) => c.status === s).length}" title="${esc(STATUS_LABEL[s])}"><span aria-hidden="true">${STATUS_GLYPH[s]}</span>${inCol.filter((c) => c.status === s).length}</span>`)
        .join('');
      return `<th scope="col" data-${axis}="${esc(col)}" data-count="${inCol.length}"><div class="colname">${esc(labels[col] ?? col)}</div><div class="minis">${counts}</div></th>`;
    })
    .join('');
  const rows = fams
    .map((f) => {
      const cells = columns
        .map((col) => {
          const cs = f.controls.filter((c) => of(c).includes(col)).sort((a, b) => HTML_STATUSES.indexOf(a.status) - HTML_STATUSES.indexOf(b.status));
          return `<td data-${axis}="${esc(col)}" data-family="${esc(f.code)}" data-count="${cs.length}">${cs.length ? cs.map((c) => chip(c, axis, col)).join('') : '<span class="none" aria-label="no controls">·</span>'}</td>`;
        })
        .join('');
      return `<tr data-family="${esc(f.code)}"><th scope="row"><span class="fam">${esc(f.code)}</span><span class="famname">${esc(f.clause)} ${esc(f.label)}</span></th>${cells}</tr>`;
    })
    .join('\n');
  const caption = axis === 'domain' ? 'Controls by security domain (clause 7.2)' : 'Controls by life-cycle stage (clause 7.3)';
  return (
    `<table class="matrix" data-matrix="${axis}"><caption>${caption} — a control appears in every ${axis === 'domain' ? 'domain' : 'stage'} it covers</caption>` +
    `<thead><tr><th scope="col" class="corner">Family / clause</th>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`
  );
}

function findingLine(f: Finding): string {
  const where = [f.stack, f.logicalId].filter(Boolean).join('/');
  const ack = f.acknowledgement;
  return (
    `<li class="finding ${ack ? 'acked' : `sev-${f.severity}`}" data-finding data-severity="${f.severity}" data-acknowledged="${ack ? 'true' : 'false'}">` +
    `<span class="sev">${ack ? 'acknowledged' : esc(f.severity)}${f.kind === 'unverifiable' ? ' · unverifiable' : ''}</span> ` +
    (where ? `<code class="res">${esc(where)}</code> ` : '<span class="res app">app-wide</span> ') +
    (f.resourceType ? `<span class="rtype">${esc(f.resourceType)}</span> ` : '') +
    `<span class="rule">${esc(f.ruleId)}</span>` +
    `<div class="msg">${esc(f.message)}${f.location ? ` <span class="loc">at <code>${esc(f.location)}</code></span>` : ''}</div>` +
    (f.constructPath ? `<div class="meta">construct <code>${esc(f.constructPath)}</code></div>` : '') +
    (f.templatePath ? `<div class="meta">template <code>${esc(f.templatePath)}</code></div>` : '') +
    (ack ? `<div class="ack">Acknowledged as <code>${esc(ack.id)}</code> in <code>${esc(ack.scope)}</code>: “${esc(ack.reason)}”</div>` : '') +
    `</li>`
  );
}

function detail(c: ReportControl, model: ReportModel): string {
  const k = c.control;
  const s = c.status;
  const dl = (rows: Array<[string, string]>) => `<dl>${rows.map(([t, d]) => `<dt>${t}</dt><dd>${d}</dd>`).join('')}</dl>`;
  const a = c.attestation;
  const resources = [...new Set(c.findings.filter((f) => f.logicalId).map((f) => `${f.stack ?? ''}/${f.logicalId}`))];
  const acks = model.acknowledgements.filter((x) => x.id === k.id || x.id.startsWith(`${k.id}[`));
  const needsAttestation = k.verification !== 'automated';
  return (
    `<details class="ctl st-${s}" id="ctl-${esc(k.id)}" data-control="${esc(k.id)}" data-status="${s}" data-family="${esc(controlFamily(k.id))}" data-search="${esc(searchText(c))}">` +
    `<summary><span class="badge st-${s}" data-status-label><span aria-hidden="true">${STATUS_GLYPH[s]}</span> ${STATUS_LABEL[s]}</span>` +
    `<span class="cid">${esc(k.id)}</span><span class="ctitle">${esc(k.title)}</span>` +
    `<span class="cmeta">${esc(k.clause)} · ${esc(k.verification)}${c.findings.length ? ` · ${c.findings.length} finding${c.findings.length === 1 ? '' : 's'}` : ''}</span></summary>` +
    `<div class="body">` +
    dl([
      ['Objective', prose(k.objective)],
      [k.verification === 'automated' || k.verification === 'partial' ? 'What the check reads' : 'Evidence to attest', prose(k.check)],
      ['Verification', `${esc(k.verification)}${c.automatedStatus ? ` (automated part: ${esc(c.automatedStatus)})` : ''} · default severity ${esc(k.severity)}`],
      ['Clause (mapped by title)', `${esc(k.clause)} · IEC 62443-3-3 ${esc(k.iec62443.join(', ') || '—')}`],
      ['Domains · stages', `${esc(k.domains.map((d) => DOMAIN_LABEL[d] ?? d).join(', '))} · ${esc(k.stages.map((d) => STAGE_LABEL[d] ?? d).join(', '))}`],
      ['Threats', esc(k.threats.join(', ') || '—')],
    ]) +
    (resources.length ? `<h4>Resources</h4><ul class="resources">${resources.map((r) => `<li><code>${esc(r)}</code></li>`).join('')}</ul>` : '') +
    (c.findings.length ? `<h4>Findings</h4><ul class="findings">${c.findings.map(findingLine).join('')}</ul>` : '') +
    (acks.length
      ? `<h4>Acknowledgements</h4><ul class="acks">${acks.map((x) => `<li data-ack><code>${esc(x.id)}</code> in <code>${esc(x.scope)}</code>: “${esc(x.reason)}”${x.covers !== undefined ? ` (covers ${x.covers})` : ''}</li>`).join('')}</ul>`
      : '') +
    (a
      ? `<h4>Attestation</h4>${dl([
          ['Owner', esc(a.owner)],
          ['Evidence', `<code>${esc(a.evidence)}</code>`],
          ['Attested', esc(a.date)],
          ['Expires', `${esc(a.expires)}${s === 'attestation-expired' ? ' <strong class="expired">expired</strong>' : ''}`],
        ])}`
      : needsAttestation && s !== 'excluded'
        ? `<p class="hint">No attestation given: name an owner, the evidence and an expiry date for this control.</p>`
        : '') +
    `</div></details>`
  );
}

const CSS = `
:root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--card:#fff;--accent:#0550ae}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eff2f5;padding:0 .3em;border-radius:4px}
header.top{background:linear-gradient(135deg,#0b2540,#123a63);color:#fff;padding:22px 32px 18px}
header.top h1{margin:0;font-size:22px;font-weight:650;letter-spacing:.2px}
header.top .sub{color:#c6d4e3;font-size:13px;margin-top:4px}
header.top .sub code{background:rgba(255,255,255,.12);color:#fff}
.verdict{display:inline-block;margin-left:12px;padding:2px 10px;border-radius:999px;font-size:12px;font-weight:700;vertical-align:3px}
.verdict.ok{background:#d2f4dc;color:#0f5323}.verdict.bad{background:#ffd8d3;color:#82071e}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin-top:16px}
.card{background:rgba(255,255,255,.08);border:1px solid rgba(255,255,255,.18);border-radius:10px;padding:8px 14px;min-width:112px}
.card .v{font-size:22px;font-weight:700}.card .k{font-size:12px;color:#c6d4e3}
.card.err .v{color:#ffb3ab}.card.warn .v{color:#ffd66e}
.note{margin-top:14px;font-size:12.5px;color:#dbe5ef;border-left:3px solid #6cb6ff;padding-left:10px;max-width:980px}
main{padding:18px 32px 40px;max-width:1500px}
.bar{display:flex;height:12px;border-radius:6px;overflow:hidden;margin:4px 0 10px;background:#e6eaef}
.bar svg{display:block;width:100%;height:12px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px 16px;margin-bottom:16px;box-shadow:0 1px 2px rgba(31,35,40,.04)}
.panel h2{font-size:15px;margin:0 0 10px}
.statuses{display:flex;flex-wrap:wrap;gap:8px}
.sbtn{display:inline-flex;align-items:center;gap:6px;border:1px solid var(--line);background:#fff;border-radius:999px;padding:4px 10px 4px 6px;font:inherit;font-size:13px;cursor:pointer;color:var(--ink)}
.sbtn .sw{display:inline-flex;align-items:center;justify-content:center;width:20px;height:20px;border-radius:50%;font-size:12px;font-weight:700}
.sbtn .c{font-weight:700}
.sbtn[aria-pressed=false]{opacity:.45;text-decoration:line-through}
.sbtn:focus-visible,.chip:focus-visible,summary:focus-visible{outline:3px solid #0969da;outline-offset:2px}
.tools{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin-top:12px}
.tools label{font-size:12px;color:var(--muted);display:flex;flex-direction:column;gap:2px}
.tools select,.tools input{font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:6px;min-width:220px;background:#fff}
.tools .reset{align-self:flex-end;font:inherit;padding:5px 10px;border-radius:6px;border:1px solid var(--line);background:#f6f8fa;cursor:pointer}
.shown{align-self:flex-end;color:var(--muted);font-size:12.5px}
.tabs{display:flex;gap:4px;margin-bottom:8px}
.tab{font:inherit;border:1px solid var(--line);border-bottom:none;background:#eef1f4;padding:6px 14px;border-radius:8px 8px 0 0;cursor:pointer;color:var(--muted)}
.tab[aria-selected=true]{background:#fff;color:var(--ink);font-weight:600}
table.matrix{width:100%;border-collapse:separate;border-spacing:0;table-layout:fixed}
table.matrix caption{text-align:left;color:var(--muted);font-size:12.5px;padding-bottom:8px}
table.matrix th,table.matrix td{border-bottom:1px solid #e6eaef;border-right:1px solid #eef1f4;padding:8px;vertical-align:top}
table.matrix thead th{background:#f6f8fa;text-align:left;font-size:13px;position:sticky;top:0}
table.matrix th.corner{width:210px}
table.matrix tbody th{text-align:left;font-weight:400;background:#fbfcfd}
.fam{display:inline-block;font-weight:700;font-size:12px;background:#0b2540;color:#fff;border-radius:4px;padding:0 6px;margin-right:6px}
.famname{color:var(--muted);font-size:12.5px}
.colname{font-weight:650;margin-bottom:4px}
.minis{display:flex;flex-wrap:wrap;gap:4px}
.mini{font-size:11px;border-radius:4px;padding:0 5px;font-weight:600}
.mini span{margin-right:2px}
.none{color:#b6bfc8}
.chip{display:inline-flex;align-items:center;gap:4px;margin:2px;padding:2px 8px 2px 5px;border-radius:6px;font:600 12px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;border:1px solid transparent;cursor:pointer}
.chip .g{font-family:system-ui,sans-serif;width:1.1em;text-align:center}
.chip .n{font:700 10px/1 system-ui,sans-serif;background:rgba(0,0,0,.12);border-radius:999px;padding:2px 5px}
.chip:hover{filter:brightness(.95);box-shadow:0 0 0 2px rgba(9,105,218,.25)}
[hidden]{display:none!important}
.st-passed{background:#dafbe1;color:#0f5323;border-color:#8ddb9e}
.st-failed{background:#ffebe9;color:#82071e;border-color:#ff8182}
.st-acknowledged{background:#fff8c5;color:#6a4a00;border-color:#e6c34a}
.st-not-applicable{background:#f3f5f7;color:#4b545d;border-color:#d1d9e0}
.chip.st-not-applicable,.chip.st-excluded{font-weight:500;background:#fafbfc;color:#59636e;border-color:#e1e6eb}
.st-excluded{background:#fff;color:#59636e;border-color:#afb8c1;border-style:dashed}
.st-attested{background:#ddf4ff;color:#0a3069;border-color:#80ccff}
.st-unattested{background:#fbefff;color:#5a2a9e;border-color:#d8b9ff}
.st-attestation-expired{background:#ffeff7;color:#7d1a4f;border-color:#f39bc8}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:12px;color:var(--muted);margin-top:10px}
.legend b{color:var(--ink);font-weight:600}
.list details.ctl{background:#fff;border:1px solid var(--line);border-left-width:5px;border-radius:8px;margin-bottom:6px;color:var(--ink)}
.list details.ctl[open]{box-shadow:0 2px 8px rgba(31,35,40,.08)}
details.ctl summary{display:flex;gap:10px;align-items:center;padding:8px 12px;cursor:pointer;flex-wrap:wrap}
.badge{font-size:11.5px;font-weight:700;border-radius:999px;padding:1px 8px;border:1px solid;min-width:118px;text-align:center}
.cid{font:700 12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.ctitle{flex:1;min-width:200px}
.cmeta{color:var(--muted);font-size:12px}
details.ctl .body{padding:4px 16px 14px;border-top:1px solid #eef1f4;background:#fff;border-radius:0 0 8px 8px}
details.ctl dl{display:grid;grid-template-columns:190px 1fr;gap:4px 14px;margin:10px 0}
details.ctl dt{color:var(--muted);font-size:12.5px}details.ctl dd{margin:0}
details.ctl h4{margin:12px 0 6px;font-size:13px}
ul.findings,ul.resources,ul.acks{margin:0;padding-left:18px}
li.finding{margin-bottom:8px}
li.finding .sev{font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.3px;border-radius:4px;padding:0 5px}
li.sev-error .sev{background:#ffebe9;color:#82071e}li.sev-warning .sev{background:#fff8c5;color:#6a4a00}li.acked .sev{background:#eef1f4;color:#4b545d}
.rtype,.rule,.meta,.loc{color:var(--muted);font-size:12px}
.ack{margin-top:3px;font-size:12.5px;background:#fffbe6;border-left:3px solid #e6c34a;padding:2px 8px}
.hint{color:#5a2a9e;font-size:12.5px}.expired{color:#82071e}
.flash{animation:flash 1.4s ease-out}@keyframes flash{from{box-shadow:0 0 0 4px rgba(9,105,218,.5)}to{box-shadow:none}}
footer{color:var(--muted);font-size:12px;padding:0 32px 28px}
@media print{.tools,.tabs{display:none}[data-view]{display:block!important}}
`;

/* Filters read and write the URL hash (`#status=failed,unattested&family=NET&q=kms&view=stage`), so a filtered view can be linked; `control=<ID>` opens that control's details. */
const JS = `
(function(){
var $=function(s,r){return Array.prototype.slice.call((r||document).querySelectorAll(s));};
var all=$('[data-status-filter]').map(function(b){return b.getAttribute('data-status-filter');});
var on=new Set(all), fam='', q='', view='domain', open='';
function readHash(){
  var h=location.hash.replace(/^#/,''); if(h.indexOf('=')<0) return;
  h.split('&').forEach(function(kv){
    var i=kv.indexOf('='); if(i<0) return; var k=kv.slice(0,i), v=decodeURIComponent(kv.slice(i+1).replace(/\\+/g,' '));
    if(k==='status'){var w=v.split(',').filter(function(s){return all.indexOf(s)>=0;}); if(w.length) on=new Set(w);}
    else if(k==='control') open=v; else if(k==='family') fam=v; else if(k==='q') q=v.toLowerCase(); else if(k==='view'&&(v==='domain'||v==='stage')) view=v;
  });
}
function writeHash(){
  var p=[]; if(on.size!==all.length) p.push('status='+Array.from(on).join(','));
  if(fam) p.push('family='+encodeURIComponent(fam)); if(q) p.push('q='+encodeURIComponent(q)); if(view!=='domain') p.push('view='+view);
  try{history.replaceState(null,'',p.length?'#'+p.join('&'):location.pathname+location.search);}catch(e){}
}
function match(el){
  return on.has(el.getAttribute('data-status')) && (!fam||el.getAttribute('data-family')===fam) && (!q||el.getAttribute('data-search').indexOf(q)>=0);
}
function apply(){
  $('[data-chip]').forEach(function(c){c.hidden=!match(c);});
  $('table.matrix tbody tr').forEach(function(r){var cs=$('[data-chip]',r); r.hidden=cs.length>0&&cs.every(function(c){return c.hidden;});});
  var n=0; $('details.ctl').forEach(function(d){var m=match(d); d.hidden=!m; if(m) n++;});
  $('[data-status-filter]').forEach(function(b){b.setAttribute('aria-pressed',on.has(b.getAttribute('data-status-filter'))?'true':'false');});
  $('[data-view]').forEach(function(v){v.hidden=v.getAttribute('data-view')!==view;});
  $('[data-tab]').forEach(function(t){t.setAttribute('aria-selected',t.getAttribute('data-tab')===view?'true':'false');});
  var s=document.getElementById('shown'); if(s){s.textContent=n+' of '+$('details.ctl').length+' controls shown'; s.setAttribute('data-count',String(n));}
  var f=document.getElementById('family'); if(f) f.value=fam; var t=document.getElementById('q'); if(t&&t.value.toLowerCase()!==q) t.value=q;
  document.body.setAttribute('data-filtered',(on.size!==all.length||fam||q)?'true':'false');
}
readHash(); apply(); if(open){var od=document.getElementById('ctl-'+open); if(od){od.hidden=false; od.open=true; od.scrollIntoView();}}
$('[data-status-filter]').forEach(function(b){b.addEventListener('click',function(e){
  var s=b.getAttribute('data-status-filter');
  if(e.altKey||e.metaKey||on.size===all.length){on=new Set([s]);} else if(on.has(s)){on.delete(s); if(!on.size) on=new Set(all);} else on.add(s);
  apply(); writeHash();});});
var fs=document.getElementById('family'); if(fs) fs.addEventListener('change',function(){fam=fs.value; apply(); writeHash();});
var qs=document.getElementById('q'); if(qs) qs.addEventListener('input',function(){q=qs.value.trim().toLowerCase(); apply(); writeHash();});
var rs=document.getElementById('reset'); if(rs) rs.addEventListener('click',function(){on=new Set(all); fam=''; q=''; if(qs) qs.value=''; apply(); writeHash();});
$('[data-tab]').forEach(function(t){t.addEventListener('click',function(){view=t.getAttribute('data-tab'); apply(); writeHash();});});
$('[data-chip]').forEach(function(c){c.addEventListener('click',function(){
  var d=document.getElementById('ctl-'+c.getAttribute('data-control')); if(!d) return;
  d.hidden=false; d.open=true; d.scrollIntoView({behavior:'smooth',block:'start'}); d.classList.remove('flash'); void d.offsetWidth; d.classList.add('flash');});});
window.addEventListener('hashchange',function(){readHash(); apply(); if(open){var od=document.getElementById('ctl-'+open); if(od){od.hidden=false; od.open=true; od.scrollIntoView();}}});
})();
`;

function statusBar(model: ReportModel): string {
  const total = model.controls.length || 1;
  let x = 0;
  const rects = HTML_STATUSES.map((s) => {
    const n = model.summary.controls[s] ?? 0;
    const w = (n / total) * 1000;
    const r = n ? `<rect class="r-${s}" x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="12"><title>${esc(`${STATUS_LABEL[s]}: ${n}`)}</title></rect>` : '';
    x += w;
    return r;
  }).join('');
  return `<div class="bar" role="img" aria-label="Controls by status"><svg viewBox="0 0 1000 12" preserveAspectRatio="none">${rects}</svg></div>`;
}

const BAR_FILL: Record<ReportStatus, string> = {
  failed: '#cf222e',
  'attestation-expired': '#bf3989',
  unattested: '#8250df',
  acknowledged: '#d4a72c',
  attested: '#218bff',
  passed: '#2da44e',
  'not-applicable': '#afb8c1',
  excluded: '#d8dee4',
};

/** Render the report model as one self-contained HTML page. */
export function renderHtml(model: ReportModel): string {
  const fams = families(model);
  const s = model.summary;
  const css = CSS + HTML_STATUSES.map((st) => `.r-${st}{fill:${BAR_FILL[st]}}`).join('');
  const csp = [
    "default-src 'none'",
    `style-src ${cspHash(css)}`,
    `script-src ${cspHash(JS)}`,
    "img-src 'none'",
    "font-src 'none'",
    "connect-src 'none'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const statusButtons = HTML_STATUSES.map((st) => {
    const n = s.controls[st] ?? 0;
    return `<button type="button" class="sbtn" data-status-filter="${st}" data-status="${st}" data-count="${n}" aria-pressed="true" title="${esc(STATUS_HELP[st])} — click to show only these; click more to add"><span class="sw st-${st}" aria-hidden="true">${STATUS_GLYPH[st]}</span>${STATUS_LABEL[st]} <span class="c">${n}</span></button>`;
  }).join('');
  const legend = HTML_STATUSES.map((st) => `<span><span class="mini st-${st}" aria-hidden="true">${STATUS_GLYPH[st]}</span> <b>${STATUS_LABEL[st]}</b>: ${esc(STATUS_HELP[st])}</span>`).join('');
  const familyOptions = fams.map((f) => `<option value="${esc(f.code)}">${esc(f.code)} — ${esc(f.clause)} ${esc(f.label)} (${f.controls.length})</option>`).join('');
  const sourcePaths = model.source.paths.length ? model.source.paths.map((p) => `<code>${esc(p)}</code>`).join(', ') : '—';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${esc(model.tool.name)} ${esc(model.tool.version)}">
<title>SRM-IIP report — ${s.passed ? 'passed' : 'failed'} — ${esc(model.generatedAt.slice(0, 10))}</title>
<style>${css}</style>
</head>
<body data-report="srm-iip" data-passed="${s.passed}">
<header class="top">
<h1>SRM-IIP control report <span class="verdict ${s.passed ? 'ok' : 'bad'}" data-verdict="${s.passed ? 'passed' : 'failed'}">${s.passed ? '✓ No open errors' : '✕ Open errors'}</span></h1>
<div class="sub">${esc(model.tool.name)} ${esc(model.tool.version)} · ${esc(model.source.kind)} ${sourcePaths} · generated ${esc(model.generatedAt)}</div>
<div class="cards">
<div class="card" data-summary="resources" data-count="${model.resourceCount}"><div class="v">${model.resourceCount}</div><div class="k">resources checked</div></div>
<div class="card" data-summary="controls" data-count="${model.controls.length}"><div class="v">${model.controls.length}</div><div class="k">controls</div></div>
<div class="card err" data-summary="errors" data-count="${s.errors}"><div class="v">${s.errors}</div><div class="k">open errors</div></div>
<div class="card warn" data-summary="warnings" data-count="${s.warnings}"><div class="v">${s.warnings}</div><div class="k">open warnings</div></div>
<div class="card" data-summary="acknowledged" data-count="${s.acknowledged}"><div class="v">${s.acknowledged}</div><div class="k">acknowledged findings</div></div>
<div class="card" data-summary="unverifiable" data-count="${s.unverifiable}"><div class="v">${s.unverifiable}</div><div class="k">unverifiable (open)</div></div>
</div>
<p class="note" data-mapping>${esc(model.mapping)}</p>
</header>
<main>
<section class="panel" aria-labelledby="h-status">
<h2 id="h-status">Controls by status</h2>
${statusBar(model)}
<div class="statuses" role="group" aria-label="Filter by status">${statusButtons}</div>
<div class="tools">
<label for="family">Family / clause<select id="family"><option value="">All families</option>${familyOptions}</select></label>
<label for="q">Search (ID, title, clause, resource)<input id="q" type="search" placeholder="e.g. kms, 8.2.3, Bucket" autocomplete="off"></label>
<button type="button" class="reset" id="reset">Show all</button>
<span class="shown" id="shown" aria-live="polite"></span>
</div>
</section>
<section class="panel" aria-labelledby="h-matrix">
<h2 id="h-matrix">Matrix</h2>
<div class="tabs" role="tablist"><button type="button" class="tab" role="tab" data-tab="domain" aria-selected="true">By security domain</button><button type="button" class="tab" role="tab" data-tab="stage" aria-selected="false">By life-cycle stage</button></div>
<div data-view="domain">${matrix(model, 'domain', HTML_DOMAINS, DOMAIN_LABEL, fams)}</div>
<div data-view="stage">${matrix(model, 'stage', HTML_STAGES, STAGE_LABEL, fams)}</div>
<div class="legend" aria-label="Legend">${legend}<span>The number on a chip counts its findings; click a chip for the control’s details.</span></div>
</section>
<section class="panel list" aria-labelledby="h-controls">
<h2 id="h-controls">Controls</h2>
${model.controls.map((c) => detail(c, model)).join('\n')}
</section>
</main>
<footer>${esc(model.mapping)} Self-contained page: it loads nothing from the network.</footer>
<script>${JS}</script>
</body>
</html>
`;
}
