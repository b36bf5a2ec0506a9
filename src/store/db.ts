// Opens the store named by KEYMINT_DATABASE_URL: SQLite (embedded default) or PostgreSQL.
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import { Kysely, type Migration, type MigrationProvider, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Engine } from './engine.js';
import type { Database } from './schema.js';

// bigint columns (instants, serial ids, counts) fit a JS number for the next 285,000 years.
pg.types.setTypeParser(20, (v) => Number(v));

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  url: string;
  /** Folder of the SQLite file (for generated secrets); null on PostgreSQL. */
  dataDir: string | null;
  close(): Promise<void>;
}

export function sqlitePath(url: string): string {
  return resolve(url.replace(/^sqlite:(\/\/)?/, ''));
}

export function openStore(url: string): Store {
  if (url.startsWith('sqlite:')) {
    const path = sqlitePath(url);
    mkdirSync(dirname(path), { recursive: true });
    const conn = new SQLite(path);
    // WAL lets several processes share the file; busy_timeout makes writers wait instead of failing.
    conn.pragma('journal_mode = WAL');
    conn.pragma('busy_timeout = 5000');
    conn.pragma('synchronous = NORMAL');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: conn }) });
    return { db, engine: 'sqlite', url, dataDir: dirname(path), close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client's error (a restarted server) must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', url, dataDir: null, close: () => db.destroy() };
}

const migrationsDir = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Every file in migrations/, applied in name order. */
const fileMigrations: MigrationProvider = {
  async getMigrations() {
    const out: Record<string, Migration> = {};
    for (const file of readdirSync(migrationsDir).sort()) {
      if (!/^\d+_.*\.(ts|js)$/.test(file) || file.endsWith('.d.ts')) continue;
      out[file.replace(/\.(ts|js)$/, '')] = await import(pathToFileURL(resolve(migrationsDir, file)).href);
    }
    return out;
  },
};

/**
 * PostgreSQL: the schema the connection's search_path selects. Without it Kysely takes its migration tables in ANY
 * schema of the database for its own, and skips creating them (tests and tenants share databases by schema).
 */
async function migrationSchema(store: Store): Promise<string | undefined> {
  if (store.engine !== 'postgres') return undefined;
  const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(store.db);
  return rows[0]?.name ?? undefined;
}

export async function migrator(store: Store): Promise<Migrator> {
  return new Migrator({ db: store.db, provider: fileMigrations, migrationTableSchema: await migrationSchema(store) });
}

/** Runs pending migrations; Kysely's lock makes this safe when several nodes start together. */
export async function migrate(store: Store): Promise<void> {
  const { error, results } = await (await migrator(store)).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`);
  }
}

/** True when every known migration has been applied (for /readyz). */
export async function migrationsCurrent(store: Store): Promise<boolean> {
  const all = await (await migrator(store)).getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
