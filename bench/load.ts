// The load generator, in its own process: `tsx bench/load.ts <json options>`; prints one JSON result line.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const o: { url: string; poolFile: string; token: string; connections: number; duration?: number; amount?: number; extra?: Record<string, unknown> } = JSON.parse(
  process.argv[2],
);
// `extra`: fields every body carries besides the key (a scenario's `client_ip`).
const bodies = (JSON.parse(readFileSync(o.poolFile, 'utf8')) as string[]).map((key) => JSON.stringify({ key, ...o.extra }));
let next = 0;

const result = await autocannon({
  url: o.url,
  connections: o.connections,
  ...(o.amount ? { amount: o.amount } : { duration: o.duration ?? 10 }),
  requests: [
    {
      method: 'POST',
      path: '/v1/keys/verify',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${o.token}` },
      // Each request takes the next key of the pool, so a pass touches every key once.
      setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
    },
  ],
});
process.stdout.write(
  JSON.stringify({
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  }) + '\n',
);
