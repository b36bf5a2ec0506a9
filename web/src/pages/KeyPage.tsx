// One key: its state, edit, rotate (with a grace period), revoke (after confirmation), verifications over time by
// outcome, its audit history, and its rotation webhook deliveries.
import { type FormEvent, useState } from 'react';
import { api, call, page, type RotatedKey } from '../api/client';
import { href } from '../router';
import { KEY_FIELDS, KeyFormFields, keyFields } from '../ui/keyForm';
import { UsageChart } from '../ui/UsageChart';
import { ConfirmDialog, Dialog, ErrorNote, Field, FormError, relative, SecretOnce, Status, useLoad, when } from '../ui/ui';

const GRANULARITIES = ['minute', 'hour', 'day'] as const;

export function KeyPage({ keyId, root }: { keyId: string; root: boolean }) {
  const path = { keyID: keyId };
  const key = useLoad(() => call(api.GET('/v1/api-keys/{keyID}', { params: { path } })), [keyId]);
  const [granularity, setGranularity] = useState<(typeof GRANULARITIES)[number]>('hour');
  const usage = useLoad(() => call(api.GET('/v1/api-keys/{keyID}/usage', { params: { path, query: { granularity } } })), [keyId, granularity]);
  const history = useLoad(() => page(api.GET('/v1/audit-events', { params: { query: { target_id: keyId, limit: 50, ...(key.data ? { project_id: key.data.project_id } : {}) } } })), [keyId, key.data?.project_id, key.data?.status]);
  const deliveries = useLoad(() => call(api.GET('/v1/api-keys/{keyID}/webhook-deliveries', { params: { path, query: { limit: 20 } } })), [keyId]);
  const [dialog, setDialog] = useState<'edit' | 'rotate' | 'revoke' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [rotated, setRotated] = useState<RotatedKey | null>(null);
  const [webhookSecret, setWebhookSecret] = useState<string | null>(null);

  const open = (d: typeof dialog) => {
    setError(null);
    setDialog(d);
  };
  const done = () => {
    setDialog(null);
    key.reload();
  };

  async function edit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const expires = String(f.get('expires_at') ?? '').trim();
    try {
      const updated = await call(api.PATCH('/v1/api-keys/{keyID}', { params: { path }, body: { ...keyFields(f, true), expires_at: expires ? new Date(expires).toISOString() : null } as never }));
      if (updated.rotation_webhook_secret) setWebhookSecret(updated.rotation_webhook_secret);
      done();
    } catch (err) {
      setError(err);
    }
  }

  async function rotate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const grace = Number(new FormData(e.currentTarget).get('grace_period_minutes'));
    try {
      setRotated(await call(api.POST('/v1/api-keys/{keyID}/rotate', { params: { path }, body: { grace_period_minutes: grace } })));
      done();
    } catch (err) {
      setError(err);
    }
  }

  async function revoke() {
    try {
      await call(api.DELETE('/v1/api-keys/{keyID}', { params: { path } }));
      done();
    } catch (err) {
      setError(err);
    }
  }

  const k = key.data;
  if (!k) {
    return (
      <>
        <h1 tabIndex={-1}>Key</h1>
        {key.error ? <ErrorNote error={key.error} /> : <p className="loading">Loading…</p>}
      </>
    );
  }
  const live = k.status === 'active';
  return (
    <>
      <p className="crumbs">
        <a href={href(['projects', k.project_id, 'keys'])}>← Keys of {root ? k.project_id : 'the project'}</a>
      </p>
      <h1 tabIndex={-1}>
        {k.name} <Status status={k.status} />
      </h1>
      <div className="actions">
        <button type="button" onClick={() => open('edit')} disabled={k.status === 'revoked' || k.replaced_by_key_id !== null}>
          Edit
        </button>
        <button type="button" onClick={() => open('rotate')} disabled={!live}>
          Rotate
        </button>
        <button type="button" className="danger" onClick={() => open('revoke')} disabled={k.status === 'revoked'}>
          Revoke
        </button>
      </div>
      <dl className="facts">
        <dt>Prefix</dt>
        <dd className="mono">{k.key_prefix}…</dd>
        <dt>Id</dt>
        <dd className="mono">{k.id}</dd>
        <dt>Last used</dt>
        <dd>{k.last_used_at ? `${relative(k.last_used_at)} (${when(k.last_used_at)})` : 'never'}</dd>
        <dt>Created</dt>
        <dd>{when(k.created_at)}</dd>
        <dt>Expires</dt>
        <dd>{when(k.expires_at, 'never')}</dd>
        <dt>Role</dt>
        <dd>{k.role}</dd>
        <dt>Scopes</dt>
        <dd>{k.scopes.length ? k.scopes.map((s) => <code key={s}>{s} </code>) : 'none'}</dd>
        <dt>Environment</dt>
        <dd className="mono">{k.environment_id ?? 'none'}</dd>
        <dt>Rate limit</dt>
        <dd>{k.ratelimit ? `${k.ratelimit.limit} per ${k.ratelimit.duration_ms / 1000} s` : 'none'}</dd>
        <dt>Rotation</dt>
        <dd>
          {k.rotation_webhook_url ? <span className="mono">{k.rotation_webhook_url}</span> : 'no webhook'}
          {k.rotation_interval_days ? `, every ${k.rotation_interval_days} days (next ${when(k.next_rotation_at)})` : ''}
        </dd>
        {k.replaced_by_key_id && (
          <>
            <dt>Replaced by</dt>
            <dd>
              <a href={href(['keys', k.replaced_by_key_id])} className="mono">
                {k.replaced_by_key_id}
              </a>
              {k.grace_expires_at && `, valid until ${when(k.grace_expires_at)}`}
            </dd>
          </>
        )}
        {k.revoked_at && (
          <>
            <dt>Revoked</dt>
            <dd>{when(k.revoked_at)}</dd>
          </>
        )}
      </dl>

      <section aria-labelledby="usage-h">
        <h2 id="usage-h">Verifications</h2>
        <div className="segmented" role="group" aria-label="Granularity">
          {GRANULARITIES.map((g) => (
            <button key={g} type="button" aria-pressed={g === granularity} onClick={() => setGranularity(g)}>
              per {g}
            </button>
          ))}
        </div>
        <ErrorNote error={usage.error} />
        {usage.data && <UsageChart usage={usage.data} />}
      </section>

      <section aria-labelledby="history-h">
        <h2 id="history-h">History</h2>
        <ErrorNote error={history.error} />
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Audit events of this key</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col" className="wide">
                  Address
                </th>
              </tr>
            </thead>
            <tbody>
              {history.data?.rows.map((e) => (
                <tr key={e.id}>
                  <td>{when(e.at)}</td>
                  <td className="mono">{e.action}</td>
                  <td className="mono">
                    {e.actor.type}:{e.actor.id}
                  </td>
                  <td className="wide mono">{e.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="deliveries-h">
        <h2 id="deliveries-h">Rotation webhook deliveries</h2>
        <ErrorNote error={deliveries.error} />
        {deliveries.data?.length === 0 ? (
          <p className="muted">No deliveries{k.rotation_webhook_url ? ' yet' : ': this key has no rotation webhook'}.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Webhook delivery attempts</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Attempt</th>
                  <th scope="col">HTTP</th>
                  <th scope="col">Next retry</th>
                  <th scope="col">Failure</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.data?.map((d) => (
                  <tr key={`${d.webhook_id}-${d.attempt}`}>
                    <td>{when(d.attempted_at)}</td>
                    <td>
                      <Status status={d.outcome} />
                    </td>
                    <td>
                      {d.attempt} ({d.trigger})
                    </td>
                    <td>{d.status_code ?? '—'}</td>
                    <td>{when(d.next_attempt_at)}</td>
                    <td>{d.error ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <Dialog title={`Edit ${k.name}`} open={dialog === 'edit'} onClose={() => setDialog(null)}>
        <form onSubmit={edit} noValidate>
          <KeyFormFields error={error} current={k} creating={false} />
          <FormError error={error} fields={KEY_FIELDS} />
          <div className="actions">
            <button type="button" onClick={() => setDialog(null)}>
              Cancel
            </button>
            <button type="submit" className="primary">
              Save
            </button>
          </div>
        </form>
      </Dialog>
      <Dialog title={`Rotate ${k.name}`} open={dialog === 'rotate'} onClose={() => setDialog(null)}>
        <form onSubmit={rotate} noValidate>
          <p>A new key is minted now with the same name, scopes, role and policy. The old key keeps working for the grace period, then stops.</p>
          <Field label="Grace period (minutes; 0 retires the old key at once)" name="grace_period_minutes" error={error}>
            {(p) => <input {...p} type="number" min={0} max={10080} defaultValue={60} inputMode="numeric" />}
          </Field>
          <FormError error={error} fields={['grace_period_minutes']} />
          <div className="actions">
            <button type="button" onClick={() => setDialog(null)}>
              Cancel
            </button>
            <button type="submit" className="primary">
              Rotate
            </button>
          </div>
        </form>
      </Dialog>
      <ConfirmDialog title={`Revoke ${k.name}?`} open={dialog === 'revoke'} onClose={() => setDialog(null)} confirm="Revoke key" onConfirm={revoke} error={error}>
        <p>
          The key <code>{k.key_prefix}…</code> stops verifying at once, on every node. This cannot be undone.
        </p>
      </ConfirmDialog>
      <Dialog title="Key rotated" open={!!rotated} onClose={() => setRotated(null)}>
        {rotated && (
          <>
            <SecretOnce label="The new key" value={rotated.key} />
            <p>The old key works until {when(rotated.grace_expires_at, 'now')}.</p>
          </>
        )}
        <div className="actions">
          <a href={rotated ? href(['keys', rotated.new_key_id]) : '#'} onClick={() => setRotated(null)}>
            Open the new key
          </a>
          <button type="button" className="primary" onClick={() => setRotated(null)}>
            I have copied it
          </button>
        </div>
      </Dialog>
      <Dialog title="Rotation webhook secret" open={!!webhookSecret} onClose={() => setWebhookSecret(null)}>
        {webhookSecret && <SecretOnce label="Signing secret" value={webhookSecret} />}
        <div className="actions">
          <button type="button" className="primary" onClick={() => setWebhookSecret(null)}>
            I have copied it
          </button>
        </div>
      </Dialog>
    </>
  );
}
