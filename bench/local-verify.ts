// `npm run bench:local` (also run by `npm run bench`): the SDK's local verifier. A Keymint server holding
// BENCH_REPLICA_KEYS keys (default 1,000,000) in SQLite; in another process, a local verifier syncs the project
// (time to the first complete snapshot, memory it holds: JS heap and typed arrays), then verifies one cached key in a
// loop on one core, beside the baseline of the same loop doing only `Map.get(sha256(key))` on a Map of the same
// digests. Prints a Markdown table.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createKeymint } from '../src/keymint.js';
import { mintKey, ROOT_PREFIX } from '../src/keys/material.js';
import { migrate, openStore } from '../src/store/db.js';

const KEYS = Number(process.env.BENCH_REPLICA_KEYS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'keymint-bench-local-'));
const file = join(dir, 'keymint.db');
const rootKey = mintKey(ROOT_PREFIX).plaintext;
const hot = mintKey('km');

const store = openStore(`sqlite:${file}`);
await migrate(store);
await store.close();
const started = performance.now();
const conn = new SQLite(file);
const now = Date.now();
conn.prepare(`insert into projects (id, name, workspace_id, created_at) values ('prj_bench', 'bench', 'g-0123456789', ?)`).run(now);
const insert = conn.prepare(
  `insert into api_keys (id, project_id, name, key_prefix, digest, role, scopes, created_at) values (?, 'prj_bench', ?, 'km_bench', ?, 'Viewer', '["read"]', ?)`,
);
conn.transaction(() => {
  insert.run('key_hot', 'hot', hot.digest, now);
  for (let i = 1; i < KEYS; i++) insert.run(`key_bench${i}`, `k${i}`, randomBytes(32).toString('hex'), now);
})();
conn.close();
process.stderr.write(`wrote ${KEYS} keys in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

const km = await createKeymint(loadConfig({ KEYMINT_DATABASE_URL: `sqlite:${file}`, KEYMINT_ROOT_KEY: rootKey, KEYMINT_ENCRYPTION_KEY: '00'.repeat(32) }));
const app = await buildApp(km);
const url = await app.listen({ port: 0, host: '127.0.0.1' });

const child = fork(join(import.meta.dirname, 'local-verify-child.ts'), [url, rootKey, 'prj_bench', hot.plaintext], {
  execArgv: ['--import', 'tsx', '--expose-gc'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const result = await new Promise<Record<string, number>>((resolve, reject) => {
  child.once('message', (m) => resolve(m as Record<string, number>));
  child.once('exit', (code) => reject(new Error(`the verifier process exited (${code}) before reporting`)));
});
child.kill();
await app.close();
await km.close();
rmSync(dir, { recursive: true, force: true });

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rows = [
  ['replica: keys', fmt(result.keys), `${fmt(KEYS)}`, ''],
  ['replica: initial sync', `${(result.syncMs / 1000).toFixed(1)} s`, '<= 30 s', result.syncMs <= 30_000 ? 'holds' : 'MISSED'],
  ['replica: memory held (heap + array buffers)', `${result.heapMB.toFixed(0)} MB`, '<= 200 MB', result.heapMB <= 200 ? 'holds' : 'MISSED'],
  ['baseline: Map.get(sha256(key))', `${fmt(result.baseline)}/s`, '', ''],
  ['local verifyLocally() of a cached key', `${fmt(result.local)}/s`, '>= 1,000,000/s', result.local >= 1_000_000 ? 'holds' : 'MISSED'],
  ['local await verify() of a cached key', `${fmt(result.localAsync)}/s`, '', ''],
  ['local verifyLocally(), hot cache off (hotKeys: 0: SHA-256 + table probe)', `${fmt(result.cold)}/s`, '', ''],
];
process.stdout.write(
  `\n## Local verification (one core; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n\n| measure | result | target | |\n| --- | --- | --- | --- |\n` +
    rows.map((r) => `| ${r.join(' | ')} |`).join('\n') +
    `\n\nlocal verify / baseline: ${(result.local / result.baseline).toFixed(2)}x\n`,
);
