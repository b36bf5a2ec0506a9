// Opens the store named by KEYMINT_DATABASE_URL: SQLite (embedded default) or PostgreSQL.
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import { Kysely, type Migration, type MigrationProvider, Migrator, SqliteDialect, type SqliteDatabase, sql } from 'kysely';
import pg from 'pg';
import { checkpointInBackground } from './checkpointer.js';
import { CurrentSchemaPostgresDialect } from './current-schema-introspector.js';
import type { Engine } from './engine.js';
import { isUniqueViolation } from './journal.js';
import { takeMigrationNotes } from './migration-notes.js';
import type { Database } from './schema.js';

// bigint columns (instants, serial ids, counts) fit a JS number for the next 285,000 years.
pg.types.setTypeParser(20, (v) => Number(v));

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  url: string;
  /** Folder of the SQLite file (for generated secrets); null on PostgreSQL. */
  dataDir: string | null;
  /** Failed queries since start, for /metrics (a unique violation is an answer, not an error). */
  errors: number;
  /**
   * SQLite only: one row read at once, with no promise, on a second, read-only connection. A WAL reader sees
   * committed rows only (never another request's open transaction), and a verification's cache miss needs no
   * trip through Kysely's connection queue. Undefined on PostgreSQL.
   */
  readNow?: (text: string, parameters: readonly unknown[]) => unknown;
  close(): Promise<void>;
}

function countErrors(store: { errors: number }) {
  return (e: { level: string; error?: unknown }) => {
    if (e.level === 'error' && !isUniqueViolation(e.error)) store.errors++;
  };
}

/**
 * Kysely's SQLite driver prepares every query anew; this hands it the statement it prepared before for the same
 * SQL text (better-sqlite3 statements are reusable, and Kysely runs one query at a time per connection). A
 * cache miss on the verify route and the usage flush then skip SQLite's parser. Bounded: cleared when full.
 */
function reusingStatements(conn: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => conn.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement === undefined) {
        if (statements.size >= 1_000) statements.clear();
        statement = conn.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

export function sqlitePath(url: string): string {
  return resolve(url.replace(/^sqlite:(\/\/)?/, ''));
}

/** `onBackgroundError`: told when SQLite's checkpoint worker fails (the store then checkpoints as SQLite would). */
export function openStore(url: string, onBackgroundError: (e: unknown) => void = () => {}): Store {
  if (url.startsWith('sqlite:')) {
    const path = sqlitePath(url);
    mkdirSync(dirname(path), { recursive: true });
    const conn = new SQLite(path);
    // WAL lets several processes share the file; busy_timeout makes writers wait instead of failing.
    conn.pragma('journal_mode = WAL');
    conn.pragma('busy_timeout = 5000');
    conn.pragma('synchronous = NORMAL');
    const stopCheckpoints = checkpointInBackground(conn, path, onBackgroundError);
    const counter = { errors: 0 };
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(conn) }), log: countErrors(counter) });
    // Opened at the first read (after migrations made the file's tables).
    let reader: SqliteDatabase | null = null;
    let closed = false;
    const readNow = (text: string, parameters: readonly unknown[]) => {
      try {
        if (closed) throw new Error('the store is closed');
        reader ??= reusingStatements(new SQLite(path, { readonly: true, fileMustExist: true }));
        return (reader.prepare(text) as unknown as SQLite.Statement).get(...parameters);
      } catch (e) {
        counter.errors++;
        throw e;
      }
    };
    const close = async () => {
      closed = true;
      await stopCheckpoints();
      await db.destroy();
      reader?.close();
    };
    return Object.assign(counter, { db, engine: 'sqlite' as const, url, dataDir: dirname(path), readNow, close });
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client's error (a restarted server) must not crash the process.
  pool.on('error', () => {});
  const counter = { errors: 0 };
  // The migrator looks for its tables in this schema only: another schema dropped meanwhile cannot fail it.
  const db = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }), log: countErrors(counter) });
  return Object.assign(counter, { db, engine: 'postgres' as const, url, dataDir: null, close: () => db.destroy() });
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
 * On PostgreSQL the migration tables live in the connection's current schema, named explicitly:
 * unnamed, Kysely takes a `kysely_migration` table in any other schema of the database as its own.
 */
export async function migrator(store: Store): Promise<Migrator> {
  const schema = store.engine === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(store.db)).rows[0]?.s : undefined;
  return new Migrator({ db: store.db, provider: fileMigrations, ...(schema ? { migrationTableSchema: schema } : {}) });
}

/**
 * Runs pending migrations; Kysely's lock makes this safe when several nodes start together. Answers what
 * the migrations had to tell the operator (repairs they made), for the caller to log.
 */
export async function migrate(store: Store): Promise<string[]> {
  takeMigrationNotes();
  const { error, results } = await (await migrator(store)).migrateToLatest();
  const notes = takeMigrationNotes();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`);
  }
  return notes;
}

/** True when every known migration has been applied (for /readyz). */
export async function migrationsCurrent(store: Store): Promise<boolean> {
  const all = await (await migrator(store)).getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
