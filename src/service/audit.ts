// The audit log's reads (each write appends its own event, in its own transaction: store/journal.ts).
import type { Selectable } from 'kysely';
import type { Store } from '../store/db.js';
import type { AuditEventsTable } from '../store/schema.js';

export type AuditRow = Selectable<AuditEventsTable>;

export class AuditService {
  constructor(private readonly store: Store) {}

  /** Newest first; `projectId` null lists every project's (root only). */
  list(q: { projectId: string | null; limit: number; before?: number }): Promise<AuditRow[]> {
    let query = this.store.db.selectFrom('audit_events').selectAll();
    if (q.projectId !== null) query = query.where('project_id', '=', q.projectId);
    if (q.before !== undefined) query = query.where('seq', '<', q.before);
    return query.orderBy('seq', 'desc').limit(q.limit).execute();
  }
}
