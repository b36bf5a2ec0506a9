// The build and the image as users get them: `npm run build`'s tsc output runs without tsx (migrations load
// from .js files), and the Dockerfile's commands match package.json (no container engine runs in CI here).
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

describe('npm run build', () => {
  // Inside node_modules so the compiled files resolve the project's dependencies, as dist/ does.
  const out = join(ROOT, 'node_modules/.cache', `keymint-build-test-${process.pid}`);
  const data = mkdtempSync(join(tmpdir(), 'keymint-build-'));
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  });

  it('compiles src/ to JavaScript that migrates a fresh store and answers --help, with no TypeScript loader', { timeout: 240_000 }, async () => {
    await run(process.execPath, [tscBin(), '-p', 'tsconfig.build.json', '--outDir', out], { cwd: ROOT });
    const env = { ...process.env, KEYMINT_DATABASE_URL: `sqlite:${join(data, 'k.db')}`, NODE_OPTIONS: '' };
    const migrated = await run(process.execPath, [join(out, 'cli.js'), 'migrate'], { cwd: data, env });
    expect(migrated.stdout).toContain('migrations are current');
    const help = await run(process.execPath, [join(out, 'cli.js'), '--help'], { cwd: data, env });
    expect(help.stderr).toContain('serve');
  });
});

function tscBin(): string {
  return join(ROOT, 'node_modules/typescript/bin/tsc');
}

describe('scripts/check-dockerfile.mjs', () => {
  const script = join(ROOT, 'scripts/check-dockerfile.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'keymint-dockerfile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the Dockerfile and compose.yaml as they are', async () => {
    const { stdout } = await run(process.execPath, [script]);
    expect(stdout).toContain('matches package.json');
  });

  it('names a script the image runs that package.json lacks, a root user and a missing health check', async () => {
    const broken = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
      .replace('npm run build', 'npm run compile')
      .replace(/^USER node$/m, '')
      .replace(/^HEALTHCHECK[\s\S]*?\n(?=CMD)/m, '');
    writeFileSync(join(dir, 'Dockerfile'), broken);
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    cpSync(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
    const failed = await run(process.execPath, [script, join(dir, 'Dockerfile'), join(dir, 'package.json'), join(ROOT, 'compose.yaml')]).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('RUN npm run compile: package.json has no "compile" script');
    expect(failed.stderr).toContain('runs as root');
    expect(failed.stderr).toContain('no HEALTHCHECK on /healthz');
  });
});
