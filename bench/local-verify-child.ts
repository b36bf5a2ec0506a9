// The verifier side of bench/local-verify.ts, in its own process (so the heap it measures is the replica's):
// syncs, then times verifyLocally() against the Map.get(sha256(key)) baseline, best of several rounds each.
import { hash } from 'node:crypto';
import { Keymint } from '../packages/sdk/src/index.js';

const [url, token, projectId, key] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc!;
const ROUND = 2_000_000;

gc();
const heap0 = process.memoryUsage().heapUsed;
const t0 = performance.now();
const verifier = await new Keymint({ baseUrl: url, token }).localVerifier({ projectId, readyTimeoutMs: 300_000, staleMs: 60_000 });
const syncMs = performance.now() - t0;
gc();
const heapMB = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
const map = (verifier as unknown as { replica: { keys: Map<string, unknown> } }).replica.keys;

const check = verifier.verifyLocally(key);
if (check?.code !== 'VALID') throw new Error(`the hot key does not verify locally: ${JSON.stringify(check)} ${JSON.stringify(verifier.stats())}`);

function rate(loop: () => void): number {
  const t = performance.now();
  loop();
  return ROUND / ((performance.now() - t) / 1000);
}
let sink = 0;
const baseline = () => {
  for (let i = 0; i < ROUND; i++) if (map.get(hash('sha256', key, 'hex')) !== undefined) sink++;
};
const local = () => {
  for (let i = 0; i < ROUND; i++) {
    const r = verifier.verifyLocally(key);
    if (r === null) throw new Error(`behind at ${i}: ${JSON.stringify(verifier.stats())} current=${verifier.current}`);
    if (r.valid) sink++;
  }
};
async function localAsyncRate(): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < ROUND; i++) if ((await verifier.verify(key)).valid) sink++;
  return ROUND / ((performance.now() - t) / 1000);
}
const best = { baseline: 0, local: 0, localAsync: 0 };
// Between rounds the event loop runs, so the stream's heartbeats arrive (a loop that never yields would, rightly,
// leave the replica behind: it could not hear of a revocation).
const breathe = () => new Promise((r) => setTimeout(r, 50));
for (let round = 0; round < 4; round++) {
  await breathe();
  best.baseline = Math.max(best.baseline, rate(baseline));
  await breathe();
  best.local = Math.max(best.local, rate(local));
  await breathe();
  best.localAsync = Math.max(best.localAsync, await localAsyncRate());
}
process.send!({ keys: verifier.stats().keys, syncMs, heapMB, ...best, sink });
await verifier.close();
