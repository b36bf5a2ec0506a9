// Environments of a project (root key): list, create with an optional key prefix, delete. A delete refused with
// 409 (live keys are bound to it) is explained, with a link to those keys.
import { type FormEvent, useState } from 'react';
import { ApiError, api, call, type Environment } from '../api/client';
import { href } from '../router';
import { ProjectTabs } from '../ui/ProjectTabs';
import { Dialog, ErrorNote, Field, FormError, useAction, useLoad, when } from '../ui/ui';

export function EnvironmentsPage({ projectId }: { projectId: string }) {
  const path = { id: projectId };
  const envs = useLoad(() => call(api.GET('/v1/projects/{id}/environments', { params: { path } })), [projectId]);
  const [createError, runCreate] = useAction();
  const [deleting, setDeleting] = useState<Environment | null>(null);
  const [deleteError, runDelete, setDeleteError] = useAction();

  function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const prefix = String(f.get('key_prefix') ?? '').trim();
    runCreate(async () => {
      await call(api.POST('/v1/projects/{id}/environments', { params: { path }, body: { name: String(f.get('name')), ...(prefix ? { key_prefix: prefix } : {}) } }));
      form.reset();
      envs.reload();
    });
  }

  const remove = () =>
    runDelete(async () => {
      await call(api.DELETE('/v1/projects/{id}/environments/{envId}', { params: { path: { id: projectId, envId: deleting!.id } } }));
      setDeleting(null);
      envs.reload();
    });

  const conflict = deleteError instanceof ApiError && deleteError.status === 409;
  return (
    <>
      <h1 tabIndex={-1}>Environments</h1>
      <ProjectTabs projectId={projectId} current="environments" root />
      <form className="inline-form" onSubmit={create} noValidate aria-label="Create an environment">
        <Field label="Name" name="name" error={createError}>
          {(p) => <input {...p} required maxLength={255} placeholder="production" />}
        </Field>
        <Field label="Key prefix (optional)" name="key_prefix" error={createError}>
          {(p) => <input {...p} maxLength={32} placeholder="km_live" className="mono" />}
        </Field>
        <button type="submit" className="primary">
          Create environment
        </button>
      </form>
      <FormError error={createError} fields={['name', 'key_prefix']} />
      <ErrorNote error={envs.error} />
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Environments</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Id</th>
              <th scope="col">Key prefix</th>
              <th scope="col" className="wide">Created</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {envs.data?.map((env) => (
              <tr key={env.id}>
                <td>
                  <a href={href(['projects', projectId, 'keys'], { environment_id: env.id })}>{env.name}</a>
                </td>
                <td className="mono">{env.id}</td>
                <td className="mono">{env.key_prefix ?? 'km'}</td>
                <td className="wide">{when(env.created_at)}</td>
                <td>
                  <button type="button" className="danger" onClick={() => (setDeleteError(null), setDeleting(env))} aria-label={`Delete environment ${env.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
            {envs.data?.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No environments: keys of this project are bound to none.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Dialog title={`Delete environment ${deleting?.name ?? ''}?`} open={!!deleting} onClose={() => setDeleting(null)}>
        {conflict ? (
          <div className="error" role="alert">
            <p>
              <strong>It cannot be deleted yet:</strong> {deleteError.problem.detail}
            </p>
            <p>
              Live keys are still bound to it, and deleting it would leave them pointing nowhere. Revoke them (or let them be rotated out) first:{' '}
              <a href={href(['projects', projectId, 'keys'], { environment_id: deleting?.id })} onClick={() => setDeleting(null)}>
                see its keys
              </a>
              .
            </p>
          </div>
        ) : (
          <>
            <p>Keys can no longer be created in it. This cannot be undone.</p>
            <ErrorNote error={deleteError} />
          </>
        )}
        <div className="actions">
          <button type="button" onClick={() => setDeleting(null)}>
            {conflict ? 'Close' : 'Cancel'}
          </button>
          {!conflict && (
            <button type="button" className="danger" onClick={remove}>
              Delete environment
            </button>
          )}
        </div>
      </Dialog>
    </>
  );
}
