// The verifier side of bench/local-verify.ts, in its own process (so the heap it measures is the replica's):
// syncs, then times verifyLocally() against the Map.get(sha256(key)) baseline, best of several rounds each.
// The replica's table lives in typed arrays, outside the JS heap: "held" is the JS heap plus array buffers.
import { hash } from 'node:crypto';
import { Keymint } from '../packages/sdk/src/index.js';

const [url, token, projectId, key] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc!;
const ROUND = 2_000_000;

const held = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
gc();
const heap0 = held();
const t0 = performance.now();
const verifier = await new Keymint({ baseUrl: url, token }).localVerifier({ projectId, readyTimeoutMs: 300_000, staleMs: 60_000 });
const syncMs = performance.now() - t0;
gc();
const heapMB = (held() - heap0) / 2 ** 20;

// The baseline's map: every digest of the replica (as hex strings, the obvious design) to a small object, built after
// the replica's memory was measured, so it costs that figure nothing.
const table = (verifier as unknown as { replica: { table: { size: number; digests: Uint8Array } } }).replica.table;
const map = new Map<string, { slot: number }>();
for (let slot = 0; slot < table.size; slot++) map.set(Buffer.from(table.digests.buffer, table.digests.byteOffset + slot * 32, 32).toString('hex'), { slot });
if (!map.has(hash('sha256', key, 'hex'))) throw new Error('the hot key is not in the baseline map');

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
// Without the hot cache (`hotKeys: 0`): every verification a SHA-256 and a probe of the table.
Object.assign(verifier, { hotLimit: 0, hot: new Map(), warm: new Map() });
let cold = 0;
for (let round = 0; round < 3; round++) {
  await breathe();
  cold = Math.max(cold, rate(local));
}
process.send!({ keys: verifier.stats().keys, syncMs, heapMB, ...best, cold, sink });
await verifier.close();
