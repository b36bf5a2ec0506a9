// Reads the raw tables, to prove what is (and is not) stored.
import type { Keymint } from '../../../src/keymint.js';

const TABLES = ['api_keys', 'rotation_outbox', 'webhook_deliveries', 'audit_events', 'changes', 'usage_counts', 'projects', 'environments'] as const;

/** Every row of every table Keymint writes, as one string. */
export async function dumpTables(km: Keymint): Promise<string> {
  const out: unknown[] = [];
  for (const t of TABLES) out.push(await km.store.db.selectFrom(t as any).selectAll().execute());
  return JSON.stringify(out);
}

/** Fails when the plaintext (or its random part) appears anywhere in the tables. */
export async function expectNoPlaintext(km: Keymint, plaintext: string): Promise<void> {
  const dump = await dumpTables(km);
  const random = plaintext.slice(plaintext.lastIndexOf('_') + 1, -6);
  if (dump.includes(plaintext) || dump.includes(random)) throw new Error('a key plaintext is stored in the database');
}
