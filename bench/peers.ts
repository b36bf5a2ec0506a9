// The servers Keymint is compared with, each in its own process: `node --import tsx bench/peers.ts <kind> <dir> [keys]`.
//   bare         a bare Fastify route: parses the same JSON body with the same schema, answers a constant
//   better-auth  better-auth's API-key plugin on SQLite (WAL) verifying `keys` of its own keys; the first start
//                creates them in <dir> and writes their plaintexts to <dir>/keys.json, later starts reuse both
// Prints `listening <port>` when ready.
import { existsSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';

const [kind, dir, count] = process.argv.slice(2);

/** The same JSON body every server parses: `{"key": "..."}`. */
const body = { type: 'object', required: ['key'], properties: { key: { type: 'string', maxLength: 512 } } } as const;
const app = Fastify({ logger: false });

if (kind === 'bare') {
  app.post('/v1/keys/verify', { schema: { body } }, async () => ({ valid: true, code: 'VALID' }));
} else if (kind === 'better-auth') {
  const { betterAuth } = await import('better-auth');
  const { getMigrations } = await import('better-auth/db/migration');
  const { apiKey } = await import('@better-auth/api-key');
  const keysFile = join(dir, 'keys.json');
  const fresh = !existsSync(keysFile);
  const db = new SQLite(join(dir, 'better-auth.db'));
  db.pragma('journal_mode = WAL');
  const auth = betterAuth({
    database: db,
    secret: 'bench-secret-'.padEnd(64, '0'),
    emailAndPassword: { enabled: true },
    plugins: [apiKey()],
    logger: { disabled: true },
  });
  if (fresh) {
    await (await getMigrations(auth.options)).runMigrations();
    const user = await auth.api.signUpEmail({ body: { email: 'bench@example.com', password: randomBytes(12).toString('hex'), name: 'bench' } });
    const keys: string[] = [];
    // Its default limit is 10 verifications per key per day: the bench's keys get a limit they cannot reach.
    for (let i = 0; i < Number(count); i++) keys.push((await auth.api.createApiKey({ body: { userId: user.user.id, rateLimitMax: 1_000_000_000 } })).key);
    writeFileSync(keysFile, JSON.stringify(keys));
  }
  app.post<{ Body: { key: string } }>('/v1/keys/verify', { schema: { body } }, async (req) => {
    const r = await auth.api.verifyApiKey({ body: { key: req.body.key } });
    return { valid: r.valid, code: r.valid ? 'VALID' : (r.error?.code ?? 'INVALID') };
  });
  app.addHook('onClose', async () => db.close());
} else {
  throw new Error(`unknown peer ${kind}`);
}
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening ${(app.server.address() as { port: number }).port}\n`);
