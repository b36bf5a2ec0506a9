// AWS access key pairs of a project (root key): list, issue (the secret shown once), revoke with confirmation.
import { type FormEvent, useState } from 'react';
import { api, call, type AwsCredential, type CreatedAwsCredential } from '../api/client';
import { ProjectTabs } from '../ui/ProjectTabs';
import { ConfirmDialog, Dialog, ErrorNote, Field, FormError, SecretOnce, useAction, useLoad, when } from '../ui/ui';

export function AwsCredentialsPage({ projectId }: { projectId: string }) {
  const path = { id: projectId };
  const [showRevoked, setShowRevoked] = useState(false);
  const creds = useLoad(() => call(api.GET('/v1/projects/{id}/aws-credentials', { params: { path, query: { include_revoked: showRevoked } } })), [projectId, showRevoked]);
  const [createError, runCreate] = useAction();
  const [created, setCreated] = useState<CreatedAwsCredential | null>(null);
  const [revoking, setRevoking] = useState<AwsCredential | null>(null);
  const [revokeError, runRevoke, setRevokeError] = useAction();

  function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const description = String(new FormData(form).get('description') ?? '').trim();
    runCreate(async () => {
      setCreated(await call(api.POST('/v1/projects/{id}/aws-credentials', { params: { path }, body: { description: description || null } })));
      form.reset();
      creds.reload();
    });
  }

  const revoke = () =>
    runRevoke(async () => {
      await call(api.DELETE('/v1/projects/{id}/aws-credentials/{accessKeyId}', { params: { path: { id: projectId, accessKeyId: revoking!.access_key_id } } }));
      setRevoking(null);
      creds.reload();
    });

  return (
    <>
      <h1 tabIndex={-1}>AWS credentials</h1>
      <ProjectTabs projectId={projectId} current="aws-credentials" root />
      <p className="muted">Access key pairs that sign (SigV4) requests to the Amazon Managed Grafana-compatible API, on this project's workspace only.</p>
      <form className="inline-form" onSubmit={create} noValidate aria-label="Issue an AWS access key pair">
        <Field label="Description (optional)" name="description" error={createError}>
          {(p) => <input {...p} maxLength={255} placeholder="terraform" />}
        </Field>
        <button type="submit" className="primary">
          Issue access key
        </button>
      </form>
      <FormError error={createError} fields={['description']} />
      <label className="check">
        <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} /> Show revoked
      </label>
      <ErrorNote error={creds.error} />
      <div className="table-wrap">
        <table>
          <caption className="sr-only">AWS access keys</caption>
          <thead>
            <tr>
              <th scope="col">Access key id</th>
              <th scope="col">Description</th>
              <th scope="col" className="wide">Created</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {creds.data?.map((c) => (
              <tr key={c.access_key_id}>
                <td className="mono">{c.access_key_id}</td>
                <td>{c.description ?? '—'}</td>
                <td className="wide">{when(c.created_at)}</td>
                <td>{c.revoked_at ? `revoked ${when(c.revoked_at)}` : 'active'}</td>
                <td>
                  {!c.revoked_at && (
                    <button type="button" className="danger" onClick={() => (setRevokeError(null), setRevoking(c))} aria-label={`Revoke ${c.access_key_id}`}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {creds.data?.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No access keys.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <Dialog title="AWS access key issued" open={!!created} onClose={() => setCreated(null)}>
        {created && (
          <>
            <p>
              Access key id: <code>{created.access_key_id}</code>
            </p>
            <SecretOnce label="Secret access key" value={created.secret_access_key} />
          </>
        )}
        <div className="actions">
          <button type="button" className="primary" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      </Dialog>
      <ConfirmDialog title={`Revoke ${revoking?.access_key_id ?? ''}?`} open={!!revoking} onClose={() => setRevoking(null)} confirm="Revoke" onConfirm={revoke} error={revokeError}>
        <p>Requests signed with this pair are refused at once.</p>
      </ConfirmDialog>
    </>
  );
}
