// The few components every page uses: fields that show the API's message next to them, error notes with the
// request id, dialogs (native <dialog>: focus kept inside, Escape closes), a copy button, status badges.
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof ApiError) {
    if (error.unexpected) {
      return (
        <p className="error" role="alert">
          Something went wrong on the server. {error.problem.detail} (request id: <code>{error.requestId ?? 'not sent'}</code>, HTTP {error.status || 'no answer'})
        </p>
      );
    }
    return (
      <p className="error" role="alert">
        {error.problem.detail}
      </p>
    );
  }
  return (
    <p className="error" role="alert">
      {(error as Error).message ?? String(error)}
    </p>
  );
}

interface FieldProps {
  label: string;
  name: string;
  error?: unknown;
  hint?: ReactNode;
  children: (props: { id: string; name: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode;
}

/** A labelled control; the API's message for this field (body.<name>) appears under it. */
export function Field({ label, name, error, hint, children }: FieldProps) {
  const id = `f-${name}`;
  const message = error instanceof ApiError ? error.field(name) : undefined;
  const describedBy = [message ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, name, 'aria-invalid': message ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {message && (
        <small id={`${id}-error`} className="field-error">
          {message}
        </small>
      )}
    </div>
  );
}

/** The error of a form that no field claimed (or an unexpected one). */
export function FormError({ error, fields }: { error: unknown; fields: string[] }) {
  if (!error) return null;
  if (error instanceof ApiError && !error.unexpected && error.problem.errors?.length && error.problem.errors.every((e) => fields.some((f) => error.field(f) === e.message))) {
    return null;
  }
  return <ErrorNote error={error} />;
}

export function Dialog({ title, open, onClose, children }: { title: string; open: boolean; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} onClose={onClose} aria-labelledby="dialog-title">
      {open && (
        <>
          <h2 id="dialog-title">{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Older browsers or no clipboard permission: select-and-copy.
      const t = document.createElement('textarea');
      t.value = text;
      document.body.append(t);
      t.select();
      document.execCommand('copy');
      t.remove();
    }
    setDone(true);
  }
  return (
    <button type="button" onClick={copy} aria-live="polite">
      {done ? 'Copied' : label}
    </button>
  );
}

/** A secret shown once: the value, a copy button, and the warning. */
export function SecretOnce({ label, value }: { label: string; value: string }) {
  return (
    <div className="secret">
      <p className="warning" role="status">
        <strong>Copy it now: you will not see it again.</strong> Keymint keeps only a digest of it.
      </p>
      <label htmlFor="secret-value">{label}</label>
      <div className="row">
        <input id="secret-value" readOnly value={value} className="mono" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={value} />
      </div>
    </div>
  );
}

export function Status({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

export const when = (iso: string | null | undefined, never = '—') => (iso ? new Date(iso).toLocaleString() : never);

export function relative(iso: string | null | undefined, never = 'never'): string {
  if (!iso) return never;
  const s = (Date.parse(iso) - Date.now()) / 1000;
  const abs = Math.abs(s);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (abs < 60) return rtf.format(Math.round(s), 'second');
  if (abs < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86400), 'day');
}

/** Runs `load` when `deps` change; answers its data, error and a reload. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { data: state.data, error: state.error, loading: state.loading, reload: () => setTick((t) => t + 1) };
}

/** Runs an action for a form or a button: its error (null while none), and `run`, which clears it first. */
export function useAction(): [unknown, (action: () => Promise<unknown>) => Promise<boolean>, (e: unknown) => void] {
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };
  return [error, run, setError];
}

/** "Are you sure?": what happens, the error if it failed, Cancel and the dangerous button. */
export function ConfirmDialog({ title, open, onClose, confirm, onConfirm, error, children }: { title: string; open: boolean; onClose: () => void; confirm: string; onConfirm: () => void; error: unknown; children: ReactNode }) {
  return (
    <Dialog title={title} open={open} onClose={onClose}>
      {children}
      <ErrorNote error={error} />
      <div className="actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          {confirm}
        </button>
      </div>
    </Dialog>
  );
}
