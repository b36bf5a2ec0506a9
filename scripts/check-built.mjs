// `npm start`'s prestart: no compiler at start, only a check that `npm run build` has run and is not older than src/.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
let built;
try {
  built = statSync(join(root, 'dist/cli.js')).mtimeMs;
} catch {
  process.stderr.write('keymint: dist/ is missing: run `npm run build` first (npm install runs it)\n');
  process.exit(1);
}
if (newest(join(root, 'src')) > built) process.stderr.write('keymint: warning: src/ changed since the last build; `npm run build` to run the change\n');
