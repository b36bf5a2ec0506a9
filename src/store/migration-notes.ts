// What a migration has to tell the operator (for example how many rows it repaired). Migrations get only
// the database, so they leave their notes here; `migrate()` hands them to whoever started it, which logs them
// through the node's logger (`keymint serve`) or prints them (`keymint migrate`).
const notes: string[] = [];

export function noteFromMigration(message: string): void {
  notes.push(message);
}

/** The notes left since the last call, oldest first. */
export function takeMigrationNotes(): string[] {
  return notes.splice(0);
}
