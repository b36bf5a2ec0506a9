// The audit log: who did what to which key or project, filtered by project, actor, action and time; each key event
// links to its key. Filters live in the URL, so a filtered view can be shared.
import { type FormEvent, useEffect, useState } from 'react';
import { api, call, page } from '../api/client';
import { go, href } from '../router';
import { ErrorNote, useLoad, when } from '../ui/ui';
import { localInput } from '../ui/keyForm';

const ACTIONS = [
  'api_key.created',
  'api_key.updated',
  'api_key.rotated',
  'api_key.revoked',
  'project.created',
  'project.deleted',
  'environment.created',
  'environment.deleted',
  'aws_credential.created',
  'aws_credential.revoked',
  'session.created',
  'session.ended',
  'root_key.created',
];

const iso = (local: string | undefined) => (local ? new Date(local).toISOString() : undefined);

export function AuditPage({ root, ownProject, query }: { root: boolean; ownProject: string | null; query: URLSearchParams }) {
  const q = Object.fromEntries(query) as Record<string, string | undefined>;
  const projects = useLoad(() => (root ? call(api.GET('/v1/projects')) : Promise.resolve([])), [root]);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const filterKey = JSON.stringify(q);
  useEffect(() => setCursors([undefined]), [filterKey]);
  const cursor = cursors[cursors.length - 1];
  const events = useLoad(
    () =>
      page(
        api.GET('/v1/audit-events', {
          params: {
            query: {
              project_id: q.project_id || ownProject || undefined,
              actor_id: q.actor_id || undefined,
              action: q.action || undefined,
              from: iso(q.from),
              to: iso(q.to),
              limit: 50,
              cursor,
            },
          },
        }),
      ),
    [filterKey, cursor],
  );

  function apply(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = (n: string) => String(f.get(n) ?? '').trim() || undefined;
    go(['audit'], { project_id: v('project_id'), actor_id: v('actor_id'), action: v('action'), from: v('from'), to: v('to') }, true);
  }

  return (
    <>
      <h1 tabIndex={-1}>Audit log</h1>
      <form className="filters" onSubmit={apply} aria-label="Filter the audit log" key={filterKey}>
        {root && (
          <label>
            Project
            <select name="project_id" defaultValue={q.project_id ?? ''}>
              <option value="">All projects</option>
              {projects.data?.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Actor id
          <input name="actor_id" defaultValue={q.actor_id ?? ''} className="mono" />
        </label>
        <label>
          Action
          <select name="action" defaultValue={q.action ?? ''}>
            <option value="">Any</option>
            {ACTIONS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          From
          <input name="from" type="datetime-local" defaultValue={q.from ?? ''} max={localInput(new Date().toISOString())} />
        </label>
        <label>
          To
          <input name="to" type="datetime-local" defaultValue={q.to ?? ''} />
        </label>
        <button type="submit">Apply</button>
      </form>
      <ErrorNote error={events.error} />
      <div className="table-wrap">
        <table aria-busy={events.loading}>
          <caption className="sr-only">Audit events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Actor</th>
              <th scope="col" className="wide">
                Project
              </th>
              <th scope="col" className="wide">
                Address
              </th>
            </tr>
          </thead>
          <tbody>
            {events.data?.rows.map((e) => (
              <tr key={e.id}>
                <td>{when(e.at)}</td>
                <td className="mono">{e.action}</td>
                <td className="mono">
                  {e.target.type === 'api_key' ? <a href={href(['keys', e.target.id])}>{e.target.id}</a> : `${e.target.type}:${e.target.id}`}
                </td>
                <td className="mono">
                  <a href={href(['audit'], { ...q, actor_id: e.actor.id })} title="Only this actor's events">
                    {e.actor.type}:{e.actor.id}
                  </a>
                </td>
                <td className="wide mono">{e.project_id ?? '—'}</td>
                <td className="wide mono">{e.ip ?? '—'}</td>
              </tr>
            ))}
            {events.data?.rows.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  No events match.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Pages">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </button>
        <button type="button" disabled={!events.data?.next} onClick={() => events.data?.next && setCursors((c) => [...c, events.data!.next!])}>
          Older
        </button>
      </nav>
    </>
  );
}
