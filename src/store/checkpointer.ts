// SQLite copies its write-ahead log back into the database file in a checkpoint. By default the connection whose
// commit takes the log past 1,000 pages runs it, inside that commit, with an fsync: 10-20 ms of the one thread
// that also answers verifications, several times in each usage flush of 10,000 keys. Here a worker thread with its
// own connection runs them every half second, and the server's connection runs none while that worker lives.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

const EVERY_MS = 500;
/** SQLite's own default, restored if the worker stops before the store closes. */
const AUTOCHECKPOINT_PAGES = 1000;

// PASSIVE never waits for readers or writers: it copies what it can and leaves the rest for the next one.
// better-sqlite3's SqliteError reaches the main thread as a bare { code }, so failures are rethrown as an Error.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const plainly = (run) => { try { return run(); } catch (e) { throw Object.assign(new Error(e.message), { code: e.code }); } };
const db = plainly(() => new (require(workerData.driver))(workerData.path, { fileMustExist: true }));
const timer = setInterval(() => plainly(() => db.pragma('wal_checkpoint(PASSIVE)')), workerData.everyMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/** Starts the worker; the function it answers stops it (before the connection closes). `onError`: the worker failed. */
export function checkpointInBackground(conn: SQLite.Database, path: string, onError: (e: unknown) => void): () => Promise<void> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { driver, path, everyMs: EVERY_MS } });
  // A store left open must not keep the process alive.
  worker.unref();
  conn.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  worker.on('error', onError);
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      if (!stopping && conn.open) conn.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      resolve();
    }),
  );
  return () => {
    stopping = true;
    // Closing waits for the worker, so the process must not exit in between.
    worker.ref();
    worker.postMessage('stop');
    return exited;
  };
}
