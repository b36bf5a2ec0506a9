// Projects (root key): list, create, delete. Deleting revokes every key of the project, so it asks first.
import { type FormEvent, useState } from 'react';
import { api, call, type Project } from '../api/client';
import { href } from '../router';
import { ConfirmDialog, ErrorNote, Field, FormError, useAction, useLoad, when } from '../ui/ui';

export function ProjectsPage() {
  const projects = useLoad(() => call(api.GET('/v1/projects')), []);
  const [createError, runCreate] = useAction();
  const [deleting, setDeleting] = useState<Project | null>(null);
  const [deleteError, runDelete, setDeleteError] = useAction();

  function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    runCreate(async () => {
      await call(api.POST('/v1/projects', { body: { name: String(new FormData(form).get('name')) } }));
      form.reset();
      projects.reload();
    });
  }

  const remove = () =>
    runDelete(async () => {
      await call(api.DELETE('/v1/projects/{id}', { params: { path: { id: deleting!.id } } }));
      setDeleting(null);
      projects.reload();
    });

  return (
    <>
      <h1 tabIndex={-1}>Projects</h1>
      <form className="inline-form" onSubmit={create} noValidate aria-label="Create a project">
        <Field label="New project name" name="name" error={createError}>
          {(p) => <input {...p} required maxLength={255} />}
        </Field>
        <button type="submit" className="primary">
          Create project
        </button>
      </form>
      <FormError error={createError} fields={['name']} />
      <ErrorNote error={projects.error} />
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Projects</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Id</th>
              <th scope="col" className="wide">Org id</th>
              <th scope="col" className="wide">Workspace id</th>
              <th scope="col" className="wide">Created</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {projects.data?.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={href(['projects', p.id, 'keys'])}>{p.name}</a>
                </td>
                <td className="mono">{p.id}</td>
                <td className="wide">{p.org_id}</td>
                <td className="wide mono">{p.workspace_id}</td>
                <td className="wide">{when(p.created_at)}</td>
                <td>
                  <button type="button" className="danger" onClick={() => (setDeleteError(null), setDeleting(p))} aria-label={`Delete project ${p.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
            {projects.data?.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  No projects yet: create one above.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <ConfirmDialog title={`Delete project ${deleting?.name ?? ''}?`} open={!!deleting} onClose={() => setDeleting(null)} confirm="Delete project" onConfirm={remove} error={deleteError}>
        <p>Every key of this project is revoked at once and stops verifying. Its audit events stay readable. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
