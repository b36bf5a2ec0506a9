// A run's own copy of a SQLite seed, so every run (and each build side by side) starts from the seed as it was made.
// Served in place, a seed kept each run's usage rows and last uses, and the next run started on a larger store.
import { copyFileSync, rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';

/** Copies the seed file `from` to `to`, its write-ahead log folded in first. */
export function copySeed(from: string, to: string): void {
  const db = new SQLite(from);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  removeCopy(to);
  copyFileSync(from, to);
}

/** The copy and the files SQLite kept beside it. */
export function removeCopy(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
}
