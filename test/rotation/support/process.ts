// Real Keymint server processes for crash and multi-node tests: fresh database, free port, a clock file.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { Store } from '../../../src/store/db.js';
import { TEST_ENCRYPTION_KEY, type TestDatabase } from '../../support/harness.js';
import type { Receiver } from './receiver.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** A clock that server processes read from a file. */
export class FileClock {
  readonly path: string;
  constructor(private t = Date.parse('2026-01-01T00:00:00Z')) {
    this.path = join(mkdtempSync(join(tmpdir(), 'keymint-clock-')), 'now');
    this.write();
  }
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
    this.write();
  }
  private write(): void {
    // Written then renamed: a reader never sees half a number.
    writeFileSync(`${this.path}.tmp`, String(this.t));
    renameSync(`${this.path}.tmp`, this.path);
  }
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const children = new Set<ChildProcess>();
/** Kills every server a test left running, even when it failed. */
export async function killAll(): Promise<void> {
  await Promise.all([...children].map((c) => killChild(c, 'SIGKILL')));
}

function killChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    child.once('exit', () => ok());
    child.kill(signal);
  });
}

export async function startServerProcess(databaseUrl: string, clock: FileClock, rootKey: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/rotation/support/serve.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      KEYMINT_DATABASE_URL: databaseUrl,
      KEYMINT_PORT: '0',
      KEYMINT_HOST: '127.0.0.1',
      KEYMINT_ROOT_KEY: rootKey,
      KEYMINT_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      KEYMINT_WEBHOOK_ALLOW_PRIVATE: 'true',
      KEYMINT_LOG_LEVEL: 'warn',
      KEYMINT_TEST_CLOCK_FILE: clock.path,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start within 90 s:\n${out}`)), 90_000);
    const onData = () => {
      const m = /KEYMINT_LISTENING (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
  return { url, child, output: () => out, kill: (signal = 'SIGTERM') => killChild(child, signal) };
}

/** A tiny JSON client over fetch for a server process. */
export function http(url: string, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

/** What a process test opens; registered for cleanup after each test, even a failed one. */
export interface ProcessTestState {
  db?: TestDatabase;
  store?: Store;
  rx?: Receiver;
}

export function cleanedUpAfterEach(): ProcessTestState {
  const state: ProcessTestState = {};
  afterEach(async () => {
    await killAll();
    await state.rx?.close();
    await state.store?.close();
    await state.db?.drop();
    state.db = state.store = state.rx = undefined;
  });
  return state;
}
