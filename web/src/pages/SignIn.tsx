// Sign-in: the root key or an Admin key is sent once, exchanged for an HttpOnly session cookie, and forgotten.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, call, type Session } from '../api/client';
import { Field, FormError } from '../ui/ui';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const key = new FormData(form).get('key') as string;
    setBusy(true);
    setError(null);
    try {
      const s = await call(api.POST('/v1/sessions', { body: { key } }), true);
      form.reset();
      onSignedIn(s);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="signin">
      <h1 ref={heading} tabIndex={-1}>
        Sign in to Keymint
      </h1>
      <p className="muted">Use the root key or an Admin key of a project. The key is exchanged for a session and is not kept by this browser.</p>
      <form onSubmit={submit} noValidate>
        <Field label="Key" name="key" error={error}>
          {(p) => <input {...p} type="password" autoComplete="off" spellCheck={false} required className="mono" placeholder="km_…" />}
        </Field>
        <FormError error={error} fields={['key']} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
