// The usage flush's last-use writes alone, on a copy of a 1,000,000-key seed: 3 rounds of 50,000 random keys in
// 100-row statements, then a TRUNCATE checkpoint; prints µs a key (statements and checkpoint) and the WAL they made.
//   cp /tmp/seeds/sqlite-1000000-1000.db /tmp/copy.db   (after a checkpoint of the seed; see bench/side-by-side.ts)
//   node --import tsx bench/last-use-flush.ts /tmp/copy.db key_last_used|api_keys sorted|arrival
// `api_keys` is how the flush wrote last uses before migration 010 (that copy must predate it).
import { statSync } from 'node:fs';
import SQLite from 'better-sqlite3';

const [file, table, order] = process.argv.slice(2);
if (!file || !['key_last_used', 'api_keys'].includes(table) || !['sorted', 'arrival'].includes(order)) {
  throw new Error('usage: <copy of a seed> key_last_used|api_keys sorted|arrival');
}
const db = new SQLite(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
// As migration 010 makes it, for a seed made before it.
if (table === 'key_last_used') db.exec('create table if not exists key_last_used (num_id integer primary key, last_used_at integer not null)');
const values = Array(100).fill('(?, ?)').join(', ');
const statement = db.prepare(
  table === 'key_last_used'
    ? `insert into key_last_used (num_id, last_used_at) values ${values} on conflict (num_id) do update set last_used_at = excluded.last_used_at where key_last_used.last_used_at < excluded.last_used_at`
    : `update api_keys set last_used_at = v.column2 from (values ${values}) as v where api_keys.num_id = v.column1 and (api_keys.last_used_at is null or api_keys.last_used_at < v.column2)`,
);
const { max } = db.prepare('select max(num_id) as max from api_keys').get() as { max: number };
for (let round = 1; round <= 3; round++) {
  const picked = new Set<number>();
  while (picked.size < 50_000) picked.add(1 + Math.floor(Math.random() * max));
  const ids = [...picked];
  if (order === 'sorted') ids.sort((a, b) => a - b);
  const at = Date.now();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ids.length; i += 100) statement.run(...ids.slice(i, i + 100).flatMap((id) => [id, at]));
  const wal = statSync(`${file}-wal`).size;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const us = Number(process.hrtime.bigint() - start) / 1_000 / ids.length;
  console.log(`${table} ${order} round ${round}: ${us.toFixed(1)} µs a key, ${(wal / 1e6).toFixed(1)} MB of WAL`);
}
db.close();
