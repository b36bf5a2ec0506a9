// Preloaded into the server by `npm run bench -- --profile <dir>` (node --import): SIGUSR2 starts a CPU profile,
// the next SIGUSR2 writes it to <dir>, so the profile covers the measured run only (not start-up or warm-up).
// Beside it, for the same window, the garbage collector's pauses and the event loop's delay: what a p99 is made of.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { PerformanceObserver, constants, monitorEventLoopDelay } from 'node:perf_hooks';

const session = new Session();
session.connect();
const post = (method) => new Promise((resolve, reject) => session.post(method, (e, r) => (e ? reject(e) : resolve(r))));

const GC_KINDS = { [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge', [constants.NODE_PERFORMANCE_GC_MAJOR]: 'full', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks' };
let pauses = [];
const gc = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) pauses.push([GC_KINDS[e.detail?.kind] ?? 'other', e.duration]);
});
const loop = monitorEventLoopDelay({ resolution: 1 });

const ms = (n) => `${n.toFixed(1)} ms`;
function pauseSummary(seconds) {
  const byKind = new Map();
  for (const [kind, d] of pauses) byKind.set(kind, [...(byKind.get(kind) ?? []), d]);
  const lines = [...byKind].map(([kind, ds]) => {
    ds.sort((a, b) => a - b);
    const at = (q) => ds[Math.min(ds.length - 1, Math.floor(q * ds.length))];
    const total = ds.reduce((a, b) => a + b, 0);
    return `${kind}: ${ds.length} pauses, ${ms(total)} in all (${((total / 10 / seconds)).toFixed(1)}% of the run), median ${ms(at(0.5))}, p90 ${ms(at(0.9))}, max ${ms(ds[ds.length - 1])}`;
  });
  const delay = (p) => ms(loop.percentile(p) / 1e6);
  return [`measured ${seconds.toFixed(1)} s`, `event loop delay (1 ms timer): median ${delay(50)}, p99 ${delay(99)}, max ${ms(loop.max / 1e6)}`, ...lines].join('\n') + '\n';
}

let started = 0;
process.on('SIGUSR2', async () => {
  if (!started) {
    started = performance.now();
    pauses = [];
    loop.reset();
    loop.enable();
    gc.observe({ entryTypes: ['gc'] });
    await post('Profiler.enable');
    await post('Profiler.start');
    return;
  }
  const seconds = (performance.now() - started) / 1000;
  started = 0;
  gc.disconnect();
  loop.disable();
  const { profile } = await post('Profiler.stop');
  const name = join(process.env.BENCH_PROFILE, `keymint-${process.pid}-${Date.now()}`);
  writeFileSync(`${name}.cpuprofile`, JSON.stringify(profile));
  writeFileSync(`${name}.pauses.txt`, pauseSummary(seconds));
});
