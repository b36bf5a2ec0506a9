import Fastify from 'fastify';
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
const variant = process.argv[2];
if (variant === 'load') {
  const r = await autocannon({ url: process.argv[3], connections: 50, duration: 5, method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: JSON.stringify({ key: 'km_abcdefghijklmnopqrstuvwxyz0123456789ab' }) });
  console.log(JSON.stringify({ rps: r.requests.average, total: r.requests.total }));
  process.exit(0);
}
const opts = new Set(variant.split('+'));
const app = Fastify({ logger: opts.has('log') ? { level: 'warn', redact: ['req.headers.authorization', '*.key'] } : false, return503OnClosing: true });
if (opts.has('hook')) app.addHook('onRequest', async (req) => { (req as any).p = { kind: 'root' }; });
const big = { valid: true, code: 'VALID', key_id: 'key_abc', project_id: 'prj_abc', environment_id: null, name: 'svc', role: 'Viewer', scopes: ['read'], expires_at: null, grace_expires_at: null };
app.post('/v', { schema: { body: { type: 'object', properties: { key: { type: 'string', maxLength: 512 } }, required: ['key'] } } }, async () => (opts.has('big') ? big : { valid: true, code: 'VALID' }));
await app.listen({ port: 0 });
const port = (app.server.address() as any).port;
await new Promise((r) => fork(new URL(import.meta.url).pathname, ['load', `http://127.0.0.1:${port}/v`], { execArgv: ['--import', 'tsx'] }).on('exit', r));
const warm = process.cpuUsage();
const c0 = process.cpuUsage();
const child = fork(new URL(import.meta.url).pathname, ['load', `http://127.0.0.1:${port}/v`], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
let out = ''; child.stdout!.on('data', (d) => (out += d));
await new Promise((r) => child.on('exit', r));
const c1 = process.cpuUsage(c0);
const { rps, total } = JSON.parse(out);
console.log(variant, Math.round(rps), 'rps', ((c1.user + c1.system) / total).toFixed(1), 'µs/req');
await app.close();
