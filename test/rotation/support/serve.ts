// Test-only entry point: `keymint serve` with a clock read from a file the test writes, so a test can
// move time inside a real server process. Never used by the production CLI.
//   KEYMINT_TEST_CLOCK_FILE=<file holding ms since the epoch> node --import tsx test/rotation/support/serve.ts
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../../src/config.js';
import { startServer } from '../../../src/server.js';

const file = process.env.KEYMINT_TEST_CLOCK_FILE;
if (!file) throw new Error('KEYMINT_TEST_CLOCK_FILE is required');
const clock = { now: () => Number(readFileSync(file, 'utf8')) };

const server = await startServer(loadConfig(), { clock, rotation: { pollMs: 100 } });
process.stdout.write(`KEYMINT_LISTENING ${server.url}\n`);
const stop = () => server.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
