// SQLite's checkpoints run on a worker thread, not inside the commits of the thread that answers verifications.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointInBackground } from '../../src/store/checkpointer.js';
import { openStore, type Store } from '../../src/store/db.js';

describe('SQLite checkpoints', () => {
  let dir: string;
  let store: Store;
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = () => {
    dir = mkdtempSync(join(tmpdir(), 'keymint-checkpoint-'));
    store = openStore(`sqlite:${join(dir, 'keymint.db')}`);
    return join(dir, 'keymint.db');
  };
  const pragma = async (text: string) => Object.values((await sql.raw(`pragma ${text}`).execute(store.db)).rows[0] as object)[0];

  it('the server connection runs none; the worker copies the log into the file within a second or two', async () => {
    const file = open();
    expect(await pragma('wal_autocheckpoint')).toBe(0);
    await sql`create table t (v text)`.execute(store.db);
    const before = statSync(file).size;
    // About 6 MB of log: far past the 1,000 pages after which the server's own commit would have checkpointed.
    for (let i = 0; i < 1_500; i++) await sql`insert into t values (${'x'.repeat(4_000)})`.execute(store.db);
    const deadline = Date.now() + 10_000;
    while (statSync(file).size < before + 5_000_000) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('closing the store waits for the worker and leaves every row readable on the next open', async () => {
    const file = open();
    await sql`create table t (v integer)`.execute(store.db);
    for (let i = 0; i < 100; i++) await sql`insert into t values (${i})`.execute(store.db);
    await store.close();
    store = openStore(`sqlite:${file}`);
    expect((await sql<{ n: number }>`select count(*) as n from t`.execute(store.db)).rows[0].n).toBe(100);
  });

  it('a worker that fails is reported, and the connection checkpoints as SQLite would again', async () => {
    const file = open();
    const conn = new SQLite(file);
    try {
      const failures: unknown[] = [];
      // The worker cannot open this file, so it fails as soon as it starts.
      const stop = checkpointInBackground(conn, join(dir, 'missing.db'), (e) => failures.push(e));
      expect(conn.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const deadline = Date.now() + 10_000;
      while (conn.pragma('wal_autocheckpoint', { simple: true }) !== 1000) {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ message: 'unable to open database file', code: 'SQLITE_CANTOPEN' });
      await stop();
    } finally {
      conn.close();
    }
  });
});
