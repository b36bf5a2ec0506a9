// Why: a property test that fails by chance is useless unless the failure can be replayed. This setup file
// (vitest.config.ts `setupFiles`) gives every test a seed of its own, printed with the replay command when a
// property fails (the counterexample too) or when a generator itself throws; FC_SEED / FC_PATH replay one.
import fc from 'fast-check';
import { beforeEach, expect } from 'vitest';

const seedFromEnv = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const pathFromEnv = process.env.FC_PATH || undefined;
if (seedFromEnv !== undefined && !Number.isInteger(seedFromEnv)) throw new Error(`FC_SEED must be an integer, got ${process.env.FC_SEED}`);

beforeEach(() => {
  const seed = seedFromEnv ?? (Math.random() * 2 ** 32) | 0;
  // `path` is not a documented global parameter, but fc.assert reads its parameters over the global ones.
  const { seed: _seed, path: _path, ...rest } = fc.readConfigureGlobal() as fc.GlobalParameters & { path?: string };
  fc.configureGlobal({ ...rest, seed, ...(pathFromEnv ? { path: pathFromEnv } : {}) } as fc.GlobalParameters);
});

/** The command that runs this property again on the same inputs. */
function replay(seed: number, path: string): string {
  const { testPath, currentTestName } = expect.getState();
  const file = testPath ? testPath.replace(`${process.cwd()}/`, '') : '<test file>';
  const name = (currentTestName ?? '').split(' > ').join(' ').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `Replay: FC_SEED=${seed} FC_PATH=${path} npx vitest run ${file} -t '${name.replace(/'/g, `'\\''`)}'` +
    ` (or pass { seed: ${seed}, path: "${path}" } to this fc.assert)`;
}

fc.installGlobalPlugin(() => ({
  // A generator that throws never reaches the predicate, so fast-check has no counterexample to report:
  // name the seed and the run (a path of one number regenerates exactly that input).
  decorateGenerate: (generate) => (mrng, index) => {
    try {
      return generate(mrng, index);
    } catch (e) {
      const seed = fc.readConfigureGlobal().seed as number;
      throw new Error(`fast-check's generator threw on input #${index}: ${(e as Error).message}\n${replay(seed, String(index))}`, { cause: e });
    }
  },
  // The default report (seed, path, counterexample, the predicate's error) plus the command to replay it.
  onAllRunsComplete: (details) => {
    if (!details.failed) return;
    throw new Error(`${fc.defaultReportMessage(details)}\n\n${replay(details.seed, details.counterexamplePath ?? '')}`, { cause: details.errorInstance });
  },
}));
