import { type Kysely, PostgresAdapter } from 'kysely';

export type Engine = 'sqlite' | 'postgres';

export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Column types that differ between the two engines. */
export function columnTypes(db: Kysely<any>) {
  const pg = engineOf(db) === 'postgres';
  return {
    /** An integer instant in ms: SQLite's integer is 64-bit already. */
    instant: pg ? ('bigint' as const) : ('integer' as const),
    serial: pg ? ('bigserial' as const) : ('integer' as const),
    /** Adds autoincrement where SQLite needs it (PostgreSQL's bigserial has it built in). */
    serialPk: pg ? (c: any) => c.primaryKey() : (c: any) => c.primaryKey().autoIncrement(),
  };
}
