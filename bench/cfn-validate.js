#!/usr/bin/env node
'use strict';
// Validate one template with the CloudFormation validator bundled in aws-cdk-lib
// (@aws/cloudformation-validate, a WebAssembly engine) and its default (built-in)
// rules: `new CompositeEngine()` + `validateTemplate(file)` with the default config.
// Prints one JSON line: findings, counts by severity, and the in-process split.
// Usage: node bench/cfn-validate.js <template.json>
const { performance } = require('node:perf_hooks');
const t0 = performance.now();
const path = require('node:path');

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/cfn-validate.js <template.json>\n');
  process.exit(2);
}
const pkg = path.join(__dirname, '..', 'node_modules', 'aws-cdk-lib', 'node_modules', '@aws', 'cloudformation-validate');
const cfv = require(pkg);
const t1 = performance.now();
const engine = new cfv.CompositeEngine();
const t2 = performance.now();
try {
  const report = engine.validateTemplate(new cfv.TemplateFile(file));
  const t3 = performance.now();
  const bySeverity = {};
  const byRule = {};
  for (const d of report.diagnostics) {
    bySeverity[d.severity] = (bySeverity[d.severity] ?? 0) + 1;
    byRule[d.ruleId] = (byRule[d.ruleId] ?? 0) + 1;
  }
  const fatal = report.diagnostics.filter((d) => d.severity === 'FATAL').map((d) => `${d.ruleId} ${d.message}`);
  process.stdout.write(
    `${JSON.stringify({
      version: cfv.version(),
      engine: engine.engineName(),
      rules: engine.listRules().length,
      resourcesScanned: report.metadata?.resourcesScanned,
      findings: report.diagnostics.length,
      bySeverity,
      byRule,
      fatal,
      ms: { load: round(t1 - t0), engine: round(t2 - t1), validate: round(t3 - t2) },
    })}\n`,
  );
} finally {
  engine.free();
}

function round(ms) {
  return Math.round(ms * 10) / 10;
}
