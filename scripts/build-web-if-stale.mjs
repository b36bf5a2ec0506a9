// Builds the dashboard (web/ -> web/dist) when web/dist is missing or older than any of its sources, so
// `npm start` on a fresh clone serves it and a second start does not rebuild. Also imported by the e2e tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json', 'public'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** True when web/dist is missing or older than a source file. */
export function webIsStale() {
  const built = join(web, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  return Math.max(...SOURCES.map((s) => newest(join(web, s)))) > statSync(built).mtimeMs;
}

export function buildWebIfStale() {
  if (!webIsStale()) return false;
  // A production build whoever calls it (vitest sets NODE_ENV=test, which would bundle React's development build).
  const r = spawnSync('npm', ['run', 'build:web'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error(`npm run build:web failed (exit ${r.status})`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) buildWebIfStale();
