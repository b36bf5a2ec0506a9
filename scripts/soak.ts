// Why: a test that fails one run in twenty blocks good work in CI, and one run on a warm checkout will not show it.
// `npm run test:soak -- N` clones the committed HEAD into a temporary folder, installs it as CI does, runs the
// README's test command (`CI=true npm test`) N times, and prints every failure with a final count.
//
//   npm run test:soak -- 20                          twenty runs of the whole suite
//   npm run test:soak -- 100 test/v1/fuzz.test.ts    extra arguments go to vitest (here: one file)
//   npm run test:soak -- 5 --link-modules            link this checkout's node_modules instead of `npm ci`
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const linkModules = args.includes('--link-modules');
const keep = args.includes('--keep');
const rest = args.filter((a) => a !== '--link-modules' && a !== '--keep');
const runs = Number(rest[0] ?? 5);
const vitestArgs = rest.slice(1);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('usage: npm run test:soak -- <runs> [--link-modules] [--keep] [vitest arguments...]');
  process.exit(2);
}

const source = resolve(import.meta.dirname, '..');
const git = (...a: string[]) => spawnSync('git', a, { cwd: source, encoding: 'utf8' }).stdout.trim();
const head = git('rev-parse', 'HEAD');
if (git('status', '--porcelain', '--untracked-files=no')) console.log('soak: uncommitted changes are not soaked: only the committed HEAD is cloned');

const work = mkdtempSync(join(tmpdir(), 'keymint-soak-'));
const repo = join(work, 'keymint');
const logs = join(work, 'logs');
mkdirSync(logs);
const sh = (cmd: string, cwd: string, env: NodeJS.ProcessEnv = process.env) => spawnSync('bash', ['-c', cmd], { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });

console.log(`soak: ${runs} run(s) of \`CI=true npm test${vitestArgs.length ? ` -- ${vitestArgs.join(' ')}` : ''}\` on ${head.slice(0, 12)}, in ${repo}`);
const cloned = sh(`git clone --quiet --no-hardlinks "${source}" keymint && git -C keymint checkout --quiet --detach ${head}`, work);
if (cloned.status !== 0) throw new Error(`git clone failed:\n${cloned.stderr}`);

let started = Date.now();
if (linkModules) {
  symlinkSync(join(source, 'node_modules'), join(repo, 'node_modules'));
  console.log(`soak: linked ${join(source, 'node_modules')} (not a clean install)`);
} else {
  const install = sh('npm ci --no-audit --no-fund', repo);
  writeFileSync(join(logs, 'install.log'), install.stdout + install.stderr);
  if (install.status !== 0) {
    console.error(`soak: npm ci failed:\n${(install.stdout + install.stderr).split('\n').slice(-30).join('\n')}`);
    process.exit(1);
  }
  console.log(`soak: npm ci took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const failures = new Map<string, number>();
let passed = 0;
const seconds: number[] = [];
for (let i = 1; i <= runs; i++) {
  started = Date.now();
  const quoted = vitestArgs.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const res = sh(`npm test${quoted ? ` -- ${quoted}` : ''}`, repo, { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' });
  seconds.push((Date.now() - started) / 1000);
  const output = res.stdout + res.stderr;
  const log = join(logs, `run-${i}.log`);
  writeFileSync(log, output);
  if (res.status === 0) {
    passed++;
    console.log(`run ${i}/${runs}: passed in ${seconds.at(-1)!.toFixed(0)} s`);
    continue;
  }
  console.log(`run ${i}/${runs}: FAILED in ${seconds.at(-1)!.toFixed(0)} s (log: ${log})`);
  const found = failuresIn(output);
  // Nothing vitest calls a failure: the type check or the run itself failed. Show its end.
  if (found.length === 0) found.push({ where: 'the run itself (tsc, or vitest stopped)', lines: lastLines(output, 20) });
  for (const f of found) {
    failures.set(f.where, (failures.get(f.where) ?? 0) + 1);
    console.log(`  FAIL ${f.where}\n${f.lines.replace(/^/gm, '    ')}`);
  }
}

const failed = runs - passed;
const mean = seconds.reduce((a, b) => a + b, 0) / seconds.length;
const tally = [...failures].map(([where, n]) => `${where} x${n}`).join('; ');
console.log(`soak summary: ${passed}/${runs} runs passed, ${failed} failed on ${head.slice(0, 12)} (mean ${mean.toFixed(0)} s a run)${tally ? `: ${tally}` : ''}`);
if (keep) console.log(`soak: kept ${work}`);
else {
  rmSync(repo, { recursive: true, force: true });
  console.log(`soak: logs in ${logs}`);
}
process.exit(failed ? 1 : 0);

/** Failed tests, failed suites (a hook or an import) and unhandled errors, as vitest's default reporter prints them. */
function failuresIn(output: string): { where: string; lines: string }[] {
  const out: { where: string; lines: string }[] = [];
  const lines = output.split('\n');
  const body = (from: number) => {
    const taken: string[] = [];
    for (let j = from; j < lines.length && !lines[j].startsWith('\u23af') && !lines[j].startsWith('This error originated') && taken.length < 8; j++) {
      const l = lines[j];
      // Leave out code frames and stack lines: the message is what says what broke.
      if (!l.trim() || /^\s*(\d+\||\||\u276f |at )/.test(l)) continue;
      taken.push(l);
    }
    return taken.join('\n');
  };
  lines.forEach((line, i) => {
    const fail = /^ FAIL {2}(.+)$/.exec(line);
    if (fail) out.push({ where: fail[1].trim(), lines: body(i + 1) });
    if (/^\u23af+ (Uncaught Exception|Unhandled Rejection|Unhandled Error) \u23af/.test(line)) {
      const rest = lines.slice(i, i + 60).join('\n');
      const file = /This error originated in "([^"]+)"/.exec(rest)?.[1] ?? 'an unknown file';
      const test = /The latest test that might've caused the error is "([^"]+)"/.exec(rest)?.[1];
      out.push({ where: `unhandled error in ${file}${test ? ` (latest test: ${test})` : ''}`, lines: body(i + 1) });
    }
  });
  return out;
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}
