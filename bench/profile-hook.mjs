// Preloaded into the server by `npm run bench -- --profile <dir>` (node --import): SIGUSR2 starts a CPU profile,
// the next SIGUSR2 writes it to <dir>, so the profile covers the measured run only (not start-up or warm-up).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const session = new Session();
session.connect();
const post = (method) => new Promise((resolve, reject) => session.post(method, (e, r) => (e ? reject(e) : resolve(r))));
let running = false;
process.on('SIGUSR2', async () => {
  if (!running) {
    running = true;
    await post('Profiler.enable');
    await post('Profiler.start');
    return;
  }
  running = false;
  const { profile } = await post('Profiler.stop');
  writeFileSync(join(process.env.BENCH_PROFILE, `keymint-${process.pid}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
});
