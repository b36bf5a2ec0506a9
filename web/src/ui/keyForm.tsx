// The fields a key is created with and edited by, and how they become a request body.
import type { ApiKey, Environment } from '../api/client';
import { Field } from './ui';

const ROLES = ['None', 'Viewer', 'Editor', 'Admin'] as const;
type Role = (typeof ROLES)[number];

const text = (f: FormData, name: string) => String(f.get(name) ?? '').trim();

/** Body fields shared by create and edit; `editing` sends nulls to clear what was emptied. */
export function keyFields(f: FormData, editing: boolean) {
  const scopes = text(f, 'scopes')
    .split(/[\s,]+/)
    .filter(Boolean);
  const limit = text(f, 'ratelimit_limit');
  const seconds = text(f, 'ratelimit_seconds');
  const url = text(f, 'rotation_webhook_url');
  const interval = text(f, 'rotation_interval_days');
  const body: Record<string, unknown> = { name: text(f, 'name'), scopes, role: text(f, 'role') as Role };
  if (limit || seconds) body.ratelimit = { limit: Number(limit), duration_ms: Math.round(Number(seconds) * 1000) };
  else if (editing) body.ratelimit = null;
  if (url) body.rotation_webhook_url = url;
  else if (editing) body.rotation_webhook_url = null;
  if (interval) body.rotation_interval_days = Number(interval);
  else if (editing) body.rotation_interval_days = null;
  return body;
}

/** The API names rate limit errors `ratelimit.limit` / `ratelimit.duration_ms`: shown at these fields. */
export const KEY_FIELDS = ['name', 'scopes', 'role', 'environment_id', 'expires_in_days', 'expires_at', 'ratelimit', 'ratelimit.limit', 'ratelimit.duration_ms', 'rotation_webhook_url', 'rotation_interval_days'];

export function KeyFormFields({ error, current, environments, creating }: { error: unknown; current?: ApiKey; environments?: Environment[]; creating: boolean }) {
  return (
    <>
      <Field label="Name" name="name" error={error}>
        {(p) => <input {...p} required maxLength={255} defaultValue={current?.name} />}
      </Field>
      <Field label="Scopes" name="scopes" error={error} hint="Separated by spaces or commas; your API checks them.">
        {(p) => <input {...p} defaultValue={current?.scopes.join(' ')} placeholder="read:orders write:orders" />}
      </Field>
      <Field label="Role" name="role" error={error}>
        {(p) => (
          <select {...p} defaultValue={current?.role ?? 'None'}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        )}
      </Field>
      {creating && environments && environments.length > 0 && (
        <Field label="Environment" name="environment_id" error={error}>
          {(p) => (
            <select {...p} defaultValue="">
              <option value="">None</option>
              {environments.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {creating ? (
        <Field label="Expires in (days, optional)" name="expires_in_days" error={error}>
          {(p) => <input {...p} type="number" min={1} max={36500} inputMode="numeric" />}
        </Field>
      ) : (
        <Field label="Expires at (empty: never)" name="expires_at" error={error}>
          {(p) => <input {...p} type="datetime-local" defaultValue={current?.expires_at ? localInput(current.expires_at) : ''} />}
        </Field>
      )}
      <fieldset>
        <legend>Rate limit (optional)</legend>
        <div className="row">
          <Field label="Verifications" name="ratelimit.limit" error={error}>
            {(p) => <input {...p} name="ratelimit_limit" type="number" min={1} inputMode="numeric" defaultValue={current?.ratelimit?.limit} />}
          </Field>
          <Field label="per seconds" name="ratelimit.duration_ms" error={error}>
            {(p) => <input {...p} name="ratelimit_seconds" type="number" min={1} max={86400} inputMode="numeric" defaultValue={current?.ratelimit ? current.ratelimit.duration_ms / 1000 : undefined} />}
          </Field>
        </div>
      </fieldset>
      <Field label="Rotation webhook URL (optional)" name="rotation_webhook_url" error={error} hint="Receives the new key when it is rotated (https).">
        {(p) => <input {...p} type="url" defaultValue={current?.rotation_webhook_url ?? ''} placeholder="https://example.com/hooks/keymint" />}
      </Field>
      <Field label="Rotate every (days, optional; needs the webhook)" name="rotation_interval_days" error={error}>
        {(p) => <input {...p} type="number" min={1} max={36500} inputMode="numeric" defaultValue={current?.rotation_interval_days ?? undefined} />}
      </Field>
    </>
  );
}

/** An instant as the value of a datetime-local input (local time, minutes). */
export function localInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
