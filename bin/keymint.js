#!/usr/bin/env node
// The `keymint` command: runs the compiled CLI in dist/ (built by `npm run build`, which `npm install` runs).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('keymint: dist/cli.js is missing: run `npm run build` (npm install runs it) in the Keymint folder first\n');
  process.exit(2);
}
await import(cli.href);
