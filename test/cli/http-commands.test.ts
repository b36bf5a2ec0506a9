// The CLI's HTTP commands, spawned as a user runs them, against a real server: JSON for scripts, tables for
// people, exit codes 0/1/2, configuration from the environment, flags or a profile file, and keys import.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testNode, type TestNode } from '../support/harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TMP = mkdtempSync(join(tmpdir(), 'keymint-cli-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function keymint(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/keymint.js', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: TMP, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

// Each command is a new Node process: slow on a busy machine.
describe('keymint CLI over HTTP', { timeout: 180_000 }, () => {
  let node: TestNode;
  let env: Record<string, string>;
  beforeAll(async () => {
    node = await testNode(engines[0]);
    const url = await node.app.listen({ port: 0, host: '127.0.0.1' });
    env = { KEYMINT_URL: url, KEYMINT_TOKEN: node.rootKey };
  });
  afterAll(() => node.close());

  it('projects create, keys create and keys verify print JSON a script can use', async () => {
    const project = await keymint(['projects', 'create', 'acme', '--json'], env);
    expect(project.code, project.stderr).toBe(0);
    const { id: projectId } = JSON.parse(project.stdout);
    expect(projectId).toMatch(/^prj_/);
    const created = await keymint(['keys', 'create', '--project', projectId, '--name', 'ci', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const key = JSON.parse(created.stdout);
    expect(key).toMatchObject({ id: expect.stringMatching(/^key_/), key: expect.stringMatching(/^km_/) });
    const verified = await keymint(['keys', 'verify', key.key, '--json'], env);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('"valid": true');

    const listed = await keymint(['keys', 'list', '--project', projectId], env);
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+KEY_PREFIX/);
    expect(listed.stdout).toContain(key.id);
    expect((await keymint(['keys', 'get', key.id], env)).stdout).toMatch(/name\s+ci/);

    const rotated = await keymint(['keys', 'rotate', key.id, '--grace-minutes', '0', '--json'], env);
    const next = JSON.parse(rotated.stdout);
    expect(next.old_key_id).toBe(key.id);
    const old = await keymint(['keys', 'verify', key.key], env);
    expect(old.code).toBe(1);
    expect(old.stdout).toMatch(/code\s+ROTATED/);
    expect((await keymint(['keys', 'revoke', next.new_key_id], env)).code).toBe(0);
    expect(JSON.parse((await keymint(['keys', 'verify', next.key, '--json'], env)).stdout).code).toBe('REVOKED');

    const audit = await keymint(['audit', '--project', projectId, '--json'], env);
    expect(JSON.parse(audit.stdout).map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['api_key.created', 'api_key.rotated', 'api_key.revoked']));
  });

  it('manages environments, and reads a profile file or flags', async () => {
    const profiles = join(TMP, 'profiles.json');
    writeFileSync(profiles, JSON.stringify({ staging: { url: env.KEYMINT_URL, token: env.KEYMINT_TOKEN } }));
    const viaProfile = { KEYMINT_PROFILE_FILE: profiles };
    const project = JSON.parse((await keymint(['projects', 'create', 'envs', '--json', '--profile', 'staging'], viaProfile)).stdout);
    const env1 = await keymint(['envs', 'create', '--project', project.id, 'live', '--key-prefix', 'km_live', '--json', '--profile', 'staging'], viaProfile);
    expect(env1.code, env1.stderr).toBe(0);
    const envId = JSON.parse(env1.stdout).id;
    const listed = await keymint(['envs', 'list', '--project', project.id, '--url', env.KEYMINT_URL, '--token', env.KEYMINT_TOKEN]);
    expect(listed.stdout).toContain(envId);
    expect((await keymint(['envs', 'delete', '--project', project.id, envId], env)).code).toBe(0);
    expect((await keymint(['projects', 'delete', project.id], env)).code).toBe(0);
    expect((await keymint(['projects', 'list', '--json'], env)).stdout).not.toContain(project.id);
  });

  it('imports digests from CSV and JSON, idempotently, with a progress bar and a summary', async () => {
    const projectId = JSON.parse((await keymint(['projects', 'create', 'migrated', '--json'], env)).stdout).id;
    const foreign = Array.from({ length: 12 }, (_, i) => `sk_live_legacy_${i}_${'x'.repeat(20)}`);
    const sha = (k: string) => createHash('sha256').update(k).digest('hex');
    const csv = join(TMP, 'keys.csv');
    writeFileSync(csv, ['digest,name,scopes,role', ...foreign.slice(0, 10).map((k, i) => `${sha(k)},legacy-${i},read write,Viewer`)].join('\n'));
    const first = await keymint(['keys', 'import', '--project', projectId, csv, '--batch', '4'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('imported 10 keys: 10 created, 0 already there, 0 failed');
    expect(first.stderr).toContain('10/10 (100%)');
    const again = await keymint(['keys', 'import', '--project', projectId, csv, '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 10, created: 0, existing: 10, failed: 0 });
    const jsonFile = join(TMP, 'keys.json');
    writeFileSync(jsonFile, JSON.stringify({ keys: foreign.slice(10).map((k, i) => ({ digest: sha(k), name: `json-${i}`, scopes: ['read'] })) }));
    expect(JSON.parse((await keymint(['keys', 'import', '--project', projectId, jsonFile, '--json'], env)).stdout).created).toBe(2);
    // The holders' keys verify, though they have none of Keymint's prefix and checksum.
    const v = JSON.parse((await keymint(['keys', 'verify', foreign[3], '--scopes', 'write', '--json'], env)).stdout);
    expect(v).toMatchObject({ valid: true, name: 'legacy-3', role: 'Viewer' });
  });

  it('verifier-keys: create prints a verify-only key once, list filters by project, revoke stops it', async () => {
    const projectId = JSON.parse((await keymint(['projects', 'create', 'verified', '--json'], env)).stdout).id;
    const created = await keymint(['verifier-keys', 'create', '--project', projectId, '--name', 'gateway', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const vk = JSON.parse(created.stdout);
    expect(vk).toMatchObject({ id: expect.stringMatching(/^vk_/), name: 'gateway', project_id: projectId, key: expect.stringMatching(/^km_verify_/) });
    const human = await keymint(['verifier-keys', 'create', '--all-projects'], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/project_id\s+\(every project\)/);
    expect(human.stdout).toMatch(/key: km_verify_\S+\n\(shown once: store it now\)/);

    // The verifier key verifies this project's keys, and may not mint one.
    const key = JSON.parse((await keymint(['keys', 'create', '--project', projectId, '--name', 'checked', '--json'], env)).stdout);
    const asVerifier = { ...env, KEYMINT_TOKEN: vk.key };
    expect(JSON.parse((await keymint(['keys', 'verify', key.key, '--json'], asVerifier)).stdout).code).toBe('VALID');
    const refused = await keymint(['keys', 'create', '--project', projectId, '--name', 'nope'], asVerifier);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/403/);

    const table = await keymint(['verifier-keys', 'list', '--project', projectId], env);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+PROJECT_ID\s+KEY_PREFIX\s+CREATED_AT$/);
    expect(table.stdout).toContain(vk.id);
    expect(table.stdout).not.toContain('verifier-all-projects');
    expect(table.stdout).not.toContain(vk.key);
    const all = JSON.parse((await keymint(['verifier-keys', 'list', '--json'], env)).stdout);
    expect(all.map((v: { name: string }) => v.name)).toEqual(expect.arrayContaining(['gateway', 'verifier-all-projects']));

    const revoked = await keymint(['verifier-keys', 'revoke', vk.id], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toBe(`revoked verifier key ${vk.id}\n`);
    expect((await keymint(['keys', 'verify', key.key], asVerifier)).code).toBe(1);
    const again = await keymint(['verifier-keys', 'revoke', vk.id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/404/);
    expect((await keymint(['verifier-keys', 'list', '--project', projectId, '--json'], env)).stdout).toBe('[]\n');
    for (const args of [['verifier-keys', 'create'], ['verifier-keys', 'create', '--project', projectId, '--all-projects'], ['verifier-keys', 'revoke']]) {
      const r = await keymint(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/Usage: keymint verifier-keys/);
    }
  });

  it('answers usage errors with exit 2 and --help on every command with exit 0', async () => {
    for (const args of [['keys'], ['keys', 'create', '--name', 'x'], ['keys', 'nope'], ['projects', 'create', 'a', '--bogus', '1'], ['keys', 'list', '--project', 'p', '--limit', 'ten']]) {
      const r = await keymint(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/Usage: keymint/);
    }
    const noServer = await keymint(['projects', 'list'], {});
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toContain('KEYMINT_URL');
    for (const args of [['keys', '--help'], ['keys', 'import', '--help'], ['verifier-keys', '--help'], ['verifier-keys', 'create', '--help'], ['projects', 'create', '--help'], ['audit', '--help'], ['envs', 'list', '-h'], ['serve', '--help']]) {
      const r = await keymint(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: keymint/);
    }
  });

  it('exits 1 with the server\'s reason when a request fails', async () => {
    const r = await keymint(['keys', 'get', 'key_missing'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/404 api key key_missing was not found/);
    const bad = await keymint(['projects', 'list'], { ...env, KEYMINT_TOKEN: 'km_wrong' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/401/);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as { port: number };
    await new Promise((r) => closed.close(r));
    const down = await keymint(['projects', 'list'], { ...env, KEYMINT_URL: `http://127.0.0.1:${port}` });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach/);
  });
});
