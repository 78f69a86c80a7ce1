#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
const path = require('node:path');
const fs = require('node:fs');
const compiled = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(compiled)) {
  process.stderr.write('srm-iip: the kit is not built; run `npm run build` (or `npm ci`) in the package first\n');
  process.exit(2);
}
require(compiled).main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
