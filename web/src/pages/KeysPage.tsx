// The keys of a project: search by name or prefix (or a whole pasted key), filters, sorting, and pages fetched
// from the server (a project may hold 100,000 keys; only one page is ever loaded). Filters live in the URL.
import { type FormEvent, useEffect, useState } from 'react';
import { api, call, type CreatedKey, type KeyListQuery, page } from '../api/client';
import { go, href } from '../router';
import { KEY_FIELDS, KeyFormFields, keyFields } from '../ui/keyForm';
import { ProjectTabs } from '../ui/ProjectTabs';
import { Dialog, ErrorNote, FormError, relative, SecretOnce, Status, useLoad, when } from '../ui/ui';

const PAGE = 50;
const SORTS = [
  ['created_at', 'Created'],
  ['name', 'Name'],
  ['last_used_at', 'Last used'],
  ['expires_at', 'Expires'],
] as const;

type Sort = (typeof SORTS)[number][0];

export function KeysPage({ projectId, root, query }: { projectId: string; root: boolean; query: URLSearchParams }) {
  const q = Object.fromEntries(query) as Record<string, string | undefined>;
  const set = (changes: Record<string, string | undefined>) => go(['projects', projectId, 'keys'], { ...q, ...changes }, true);
  const sort = (q.sort ?? 'created_at') as Sort;
  const order = (q.order ?? 'desc') as 'asc' | 'desc';
  // Cursors of the pages before this one (Previous), and this page's.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const filterKey = JSON.stringify(q);
  useEffect(() => setCursors([undefined]), [filterKey, projectId]);

  const environments = useLoad(
    () => (root ? call(api.GET('/v1/projects/{id}/environments', { params: { path: { id: projectId } } })) : Promise.resolve([])),
    [projectId, root],
  );
  const listQuery: KeyListQuery = {
    project_id: projectId,
    limit: PAGE,
    with_total: true,
    search: q.search || undefined,
    status: (q.status || undefined) as KeyListQuery['status'],
    role: (q.role || undefined) as KeyListQuery['role'],
    environment_id: q.environment_id || undefined,
    expiring_within_days: q.expiring ? Number(q.expiring) : undefined,
    unused_for_days: q.unused ? Number(q.unused) : undefined,
    sort,
    order,
    cursor,
  };
  const keys = useLoad(() => page(api.GET('/v1/api-keys', { params: { query: listQuery } })), [filterKey, projectId, cursor]);
  const [search, setSearch] = useState(q.search ?? '');
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<unknown>(null);
  const [created, setCreated] = useState<CreatedKey | null>(null);

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const days = String(f.get('expires_in_days') ?? '').trim();
    const env = String(f.get('environment_id') ?? '');
    setCreateError(null);
    try {
      const body = { project_id: projectId, ...keyFields(f, false), ...(days ? { expires_in_days: Number(days) } : {}), ...(env ? { environment_id: env } : {}) };
      setCreated(await call(api.POST('/v1/api-keys', { body: body as never })));
      setCreating(false);
      keys.reload();
    } catch (err) {
      setCreateError(err);
    }
  }

  function sortBy(column: Sort) {
    set({ sort: column, order: column === sort ? (order === 'asc' ? 'desc' : 'asc') : column === 'name' ? 'asc' : 'desc' });
  }

  const envName = (id: string | null) => (id ? (environments.data?.find((e) => e.id === id)?.name ?? id) : '—');
  const start = (cursors.length - 1) * PAGE;
  const rows = keys.data?.rows ?? [];

  return (
    <>
      <h1 tabIndex={-1}>Keys</h1>
      <ProjectTabs projectId={projectId} current="keys" root={root} />
      <div className="toolbar">
        <form
          role="search"
          className="search"
          onSubmit={(e) => {
            e.preventDefault();
            set({ search: search.trim() || undefined });
          }}
        >
          <label htmlFor="key-search" className="sr-only">
            Search keys by name, prefix, id or whole key
          </label>
          <input id="key-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name, prefix (km_AbC…), id, or a whole key" />
          <button type="submit">Search</button>
        </form>
        <button
          type="button"
          className="primary"
          onClick={() => {
            setCreateError(null);
            setCreating(true);
          }}
        >
          Create key
        </button>
      </div>
      <fieldset className="filters">
        <legend className="sr-only">Filters</legend>
        <label>
          Status
          <select value={q.status ?? ''} onChange={(e) => set({ status: e.target.value || undefined })}>
            <option value="">Live (active, grace, expired)</option>
            {['active', 'grace', 'expired', 'rotated', 'revoked'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        {root && (
          <label>
            Environment
            <select value={q.environment_id ?? ''} onChange={(e) => set({ environment_id: e.target.value || undefined })}>
              <option value="">Any</option>
              {environments.data?.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Role
          <select value={q.role ?? ''} onChange={(e) => set({ role: e.target.value || undefined })}>
            <option value="">Any</option>
            {['None', 'Viewer', 'Editor', 'Admin'].map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Expiring
          <select value={q.expiring ?? ''} onChange={(e) => set({ expiring: e.target.value || undefined })}>
            <option value="">Any time</option>
            <option value="7">within 7 days</option>
            <option value="30">within 30 days</option>
            <option value="90">within 90 days</option>
          </select>
        </label>
        <label>
          Unused for (days)
          <input type="number" min={1} max={36500} inputMode="numeric" value={q.unused ?? ''} onChange={(e) => set({ unused: e.target.value || undefined })} />
        </label>
      </fieldset>
      <ErrorNote error={keys.error} />
      <div className="table-wrap">
        <table aria-busy={keys.loading}>
          <caption className="sr-only">Keys, sorted by {SORTS.find((s) => s[0] === sort)?.[1]} {order === 'asc' ? 'ascending' : 'descending'}</caption>
          <thead>
            <tr>
              <SortHeader column="name" label="Name" sort={sort} order={order} onSort={sortBy} />
              <th scope="col">Prefix</th>
              <th scope="col">Status</th>
              <th scope="col" className="wide">Role</th>
              {root && (
                <th scope="col" className="wide">
                  Environment
                </th>
              )}
              <SortHeader column="last_used_at" label="Last used" sort={sort} order={order} onSort={sortBy} />
              <SortHeader column="expires_at" label="Expires" sort={sort} order={order} onSort={sortBy} className="wide" />
              <SortHeader column="created_at" label="Created" sort={sort} order={order} onSort={sortBy} className="wide" />
            </tr>
          </thead>
          <tbody>
            {rows.map((k) => (
              <tr key={k.id}>
                <td>
                  <a href={href(['keys', k.id])}>{k.name}</a>
                </td>
                <td className="mono">{k.key_prefix}…</td>
                <td>
                  <Status status={k.status} />
                </td>
                <td className="wide">{k.role}</td>
                {root && <td className="wide">{envName(k.environment_id)}</td>}
                <td title={when(k.last_used_at, 'never')}>{relative(k.last_used_at)}</td>
                <td className="wide">{k.expires_at ? relative(k.expires_at) : 'never'}</td>
                <td className="wide" title={when(k.created_at)}>
                  {relative(k.created_at)}
                </td>
              </tr>
            ))}
            {keys.data && rows.length === 0 && (
              <tr>
                <td colSpan={8} className="muted">
                  No keys match.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Pages">
        <span aria-live="polite">
          {keys.data && keys.data.total !== null
            ? keys.data.total === 0
              ? '0 keys'
              : `${(start + 1).toLocaleString()}–${(start + rows.length).toLocaleString()} of ${keys.data.total.toLocaleString()}`
            : ''}
        </span>
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous
        </button>
        <button type="button" disabled={!keys.data?.next} onClick={() => keys.data?.next && setCursors((c) => [...c, keys.data!.next!])}>
          Next
        </button>
      </nav>
      <Dialog title="Create a key" open={creating} onClose={() => setCreating(false)}>
        <form onSubmit={create} noValidate>
          <KeyFormFields error={createError} environments={environments.data} creating />
          <FormError error={createError} fields={KEY_FIELDS} />
          <div className="actions">
            <button type="button" onClick={() => setCreating(false)}>
              Cancel
            </button>
            <button type="submit" className="primary">
              Create key
            </button>
          </div>
        </form>
      </Dialog>
      <Dialog title={`Key ${created?.name ?? ''} created`} open={!!created} onClose={() => setCreated(null)}>
        {created && (
          <>
            <SecretOnce label="The new key" value={created.key} />
            {created.rotation_webhook_secret && <SecretOnce label="Rotation webhook signing secret" value={created.rotation_webhook_secret} />}
          </>
        )}
        <div className="actions">
          <a href={created ? href(['keys', created.id]) : '#'} onClick={() => setCreated(null)}>
            Open the key
          </a>
          <button type="button" className="primary" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      </Dialog>
    </>
  );
}

function SortHeader({ column, label, sort, order, onSort, className }: { column: Sort; label: string; sort: Sort; order: 'asc' | 'desc'; onSort: (c: Sort) => void; className?: string }) {
  const active = sort === column;
  return (
    <th scope="col" className={className} aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort" onClick={() => onSort(column)}>
        {label}
        <span aria-hidden="true">{active ? (order === 'asc' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );
}
