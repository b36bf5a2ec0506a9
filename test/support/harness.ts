// Builds a Keymint node on a fresh real database (SQLite file or PostgreSQL schema) for a test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { expect, inject } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type Clock, ManualClock } from '../../src/util/clock.js';
import { loadConfig } from '../../src/config.js';
import { createKeymint, type Keymint } from '../../src/keymint.js';
import { mintKey, ROOT_PREFIX } from '../../src/keys/material.js';
import { redisPrefixName, schemaName } from './test-run.js';

export type EngineName = 'sqlite' | 'postgres';

/** The engines this run can reach: SQLite always, PostgreSQL when global setup found it. */
export const engines: EngineName[] = inject('postgresUrl') ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** The test file running now (schemas and Redis prefixes are named after it). */
const currentFile = (): string => expect.getState().testPath ?? 'unknown';

/** A Redis key prefix of this run and test file (cleanup of killed runs finds it by the run's name). */
export const redisPrefix = (): string => redisPrefixName(inject('runId'), currentFile());

/** A fresh, empty database: a new SQLite file, or a new PostgreSQL schema named after this run and test file. */
export async function freshDatabase(engine: EngineName): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'keymint-test-'));
    return { url: `sqlite:${join(dir, 'keymint.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = inject('postgresUrl')!;
  const schema = schemaName(inject('runId'), currentFile());
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

export const TEST_ENCRYPTION_KEY = '00'.repeat(32);

export interface TestNode {
  km: Keymint;
  app: FastifyInstance;
  clock: ManualClock;
  rootKey: string;
  /** Every line the node logged. */
  logs: string[];
  db: TestDatabase;
  close(): Promise<void>;
}

export interface TestNodeOptions {
  env?: Record<string, string>;
  clock?: ManualClock;
  /** Share a database with another node (multi-node tests). */
  db?: TestDatabase;
  rootKey?: string;
}

export async function testNode(engine: EngineName, options: TestNodeOptions = {}): Promise<TestNode> {
  const db = options.db ?? (await freshDatabase(engine));
  const rootKey = options.rootKey ?? mintKey(ROOT_PREFIX).plaintext;
  const clock = options.clock ?? new ManualClock();
  const config = loadConfig({
    KEYMINT_DATABASE_URL: db.url,
    KEYMINT_ROOT_KEY: rootKey,
    KEYMINT_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    ...options.env,
  });
  const km = await createKeymint(config, { clock: clock as Clock });
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const app = await buildApp(km, { logger: { level: 'info', stream } });
  await app.ready();
  return {
    km,
    app,
    clock,
    rootKey,
    logs,
    db,
    async close() {
      await app.close();
      await km.close();
      if (!options.db) await db.drop();
    },
  };
}
