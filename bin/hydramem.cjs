#!/usr/bin/env node
// Entry point of the `hydramem` command: runs the bundle that `npm run build` writes.
const path = require('node:path');
const fs = require('node:fs');

const bundle = path.join(__dirname, '..', 'dist', 'hydramem.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('hydramem: the command line is not built yet: run `npm run build` (or `npm run setup`) first.\n');
  process.exit(1);
}
require(bundle);
