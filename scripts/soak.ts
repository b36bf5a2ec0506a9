// Why: a test that fails one run in twenty blocks good work in CI, and one run on a warm checkout will not show it.
// `npm run test:soak -- N` clones the committed HEAD into a temporary folder, installs it as CI does, runs the
// README's test command (`CI=true npm test`) N times, and prints every failure with a final count.
//
//   npm run test:soak -- 20                          twenty runs of the whole suite
//   npm run test:soak -- 100 test/v1/fuzz.test.ts    extra arguments go to vitest (here: one file)
//   npm run test:soak -- 5 --link-modules            link this checkout's node_modules instead of `npm ci`
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface JsonReport {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

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
  const report = join(logs, `run-${i}.json`);
  rmSync(report, { force: true });
  const reporters = ['--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...vitestArgs];
  started = Date.now();
  const res = sh(`npm test -- ${reporters.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')}`, repo, { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' });
  seconds.push((Date.now() - started) / 1000);
  const output = res.stdout + res.stderr;
  writeFileSync(join(logs, `run-${i}.log`), output);
  if (res.status === 0) {
    passed++;
    console.log(`run ${i}/${runs}: passed in ${seconds.at(-1)!.toFixed(0)} s`);
    continue;
  }
  console.log(`run ${i}/${runs}: FAILED in ${seconds.at(-1)!.toFixed(0)} s (log: ${join(logs, `run-${i}.log`)})`);
  const found = existsSync(report) ? describeFailures(JSON.parse(readFileSync(report, 'utf8')) as JsonReport) : [];
  // No failed test in the report: the type check, an unhandled error, or the run itself failed. Show its end.
  if (found.length === 0) found.push({ where: 'the run itself (tsc, an unhandled error, or a crash)', lines: firstLines(lastLines(output, 25), 25) });
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

function describeFailures(report: JsonReport): { where: string; lines: string }[] {
  const out: { where: string; lines: string }[] = [];
  for (const file of report.testResults) {
    const name = file.name.replace(`${repo}/`, '');
    const tests = file.assertionResults.filter((t) => t.status === 'failed');
    for (const t of tests) out.push({ where: `${name} > ${t.fullName}`, lines: firstLines(t.failureMessages.join('\n'), 8) });
    // A failing hook or import fails the file without a failed test.
    if (file.status === 'failed' && tests.length === 0) out.push({ where: name, lines: firstLines(file.message ?? '', 8) });
  }
  return out;
}

function firstLines(text: string, n: number): string {
  return text.split('\n').filter((l) => l.trim() && !/^\s+at /.test(l)).slice(0, n).join('\n');
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}
