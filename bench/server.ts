// One server under test, in its own process: `tsx bench/server.ts <kind> <pool file> <database file | key count>`.
// Prints `listening <port>` when ready; answers {cmd:'stats'} over IPC with its resident memory.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';

const [kind, poolFile, arg] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), `keymint-bench-${kind}-`));
const cleanup = () => rmSync(dir, { recursive: true, force: true });
let stats: () => Record<string, number> = () => ({});
let stop: () => Promise<void> = async () => {};

// BENCH_PROFILE=<dir>: a CPU profile of the measured run only (not start-up or warm-up).
const profiler = process.env.BENCH_PROFILE ? new Session() : null;
profiler?.connect();
const post = (method: string) => new Promise<any>((res, rej) => profiler!.post(method, (e, r) => (e ? rej(e) : res(r))));

process.on('message', async (m: { cmd: string }) => {
  if (m.cmd === 'profile-start' && profiler) {
    await post('Profiler.enable');
    await post('Profiler.start');
  }
  if (m.cmd === 'profile-stop' && profiler) {
    const { profile } = await post('Profiler.stop');
    writeFileSync(join(process.env.BENCH_PROFILE!, `${kind}-${process.pid}.cpuprofile`), JSON.stringify(profile));
  }
  if (m.cmd === 'stats') {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    process.send!({ rss: mem.rss, heapUsed: mem.heapUsed, cpuUs: cpu.user + cpu.system, sysUs: cpu.system, ...stats() });
  }
  if (m.cmd === 'stop') {
    await stop().catch(() => {});
    cleanup();
    process.exit(0);
  }
});
process.on('disconnect', () => {
  cleanup();
  process.exit(0);
});

/** The same JSON body every server parses: `{"key": "..."}`. */
const body = { type: 'object', required: ['key'], properties: { key: { type: 'string', maxLength: 512 } } } as const;

async function baseline(work: 'constant' | 'sha256-map'): Promise<number> {
  const app = Fastify({ logger: false });
  const digests = new Map<string, number>();
  if (work === 'sha256-map') {
    const pool: string[] = JSON.parse(readFileSync(poolFile, 'utf8'));
    pool.forEach((k, i) => digests.set(createHash('sha256').update(k).digest('hex'), i));
  }
  app.post<{ Body: { key: string } }>('/v1/keys/verify', { schema: { body } }, async (req) => {
    if (work === 'constant') return { valid: true, code: 'VALID' };
    const found = digests.get(createHash('sha256').update(req.body.key).digest('hex'));
    return { valid: found !== undefined, code: found !== undefined ? 'VALID' : 'NOT_FOUND' };
  });
  stop = () => app.close();
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as { port: number }).port;
}

/** Serves a store seeded by the bench (seeding here would leave its garbage in this process's memory). */
async function keymint(dbFile: string): Promise<number> {
  const url = `sqlite:${dbFile}`;
  const server = await startServer(
    loadConfig({
      KEYMINT_DATABASE_URL: url,
      KEYMINT_ROOT_KEY: process.env.BENCH_ROOT_KEY!,
      KEYMINT_ENCRYPTION_KEY: '00'.repeat(32),
      KEYMINT_PORT: '0',
      // The default level, info: verifications write no access-log lines there, management requests do.
    }),
  );
  stats = () => ({ cached: server.km.cache.size });
  stop = server.stop;
  return (server.app.server.address() as { port: number }).port;
}

/** better-auth's API-key plugin on SQLite (WAL) verifying its own keys; writes their plaintexts to the pool file. */
async function betterAuth(count: number): Promise<number> {
  const { betterAuth } = await import('better-auth');
  const { getMigrations } = await import('better-auth/db/migration');
  const { apiKey } = await import('@better-auth/api-key');
  const db = new SQLite(join(dir, 'better-auth.db'));
  db.pragma('journal_mode = WAL');
  const auth = betterAuth({
    database: db,
    secret: randomBytes(32).toString('hex'),
    emailAndPassword: { enabled: true },
    plugins: [apiKey()],
    logger: { disabled: true },
  });
  await (await getMigrations(auth.options)).runMigrations();
  const user = await auth.api.signUpEmail({ body: { email: 'bench@example.com', password: 'bench-password-1234', name: 'bench' } });
  const keys: string[] = [];
  // Its default limit is 10 verifications per key per day: the bench's keys get a limit they cannot reach.
  for (let i = 0; i < count; i++) keys.push((await auth.api.createApiKey({ body: { userId: user.user.id, rateLimitMax: 1_000_000_000 } })).key);
  writeFileSync(poolFile, JSON.stringify(keys));
  const app = Fastify({ logger: false });
  app.post<{ Body: { key: string } }>('/v1/keys/verify', { schema: { body } }, async (req) => {
    const r = await auth.api.verifyApiKey({ body: { key: req.body.key } });
    return { valid: r.valid, code: r.valid ? 'VALID' : (r.error?.code ?? 'INVALID') };
  });
  stop = async () => {
    await app.close();
    db.close();
  };
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as { port: number }).port;
}

const port =
  kind === 'baseline'
    ? await baseline('constant')
    : kind === 'sha256-map'
      ? await baseline('sha256-map')
      : kind === 'keymint'
        ? await keymint(arg)
        : await betterAuth(Number(arg));
process.stdout.write(`listening ${port}\n`);
