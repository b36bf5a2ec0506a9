// CreateWorkspaceApiKey and DeleteWorkspaceApiKey over the one key service: a workspace is a project.
import { type Actor, type Principal, roleIn } from '../../auth/principal.js';
import type { Keymint } from '../../keymint.js';
import type { ProjectRow } from '../../service/projects.js';
import { accessDenied, fromServiceError, resourceNotFound } from './errors.js';
import { type CreateInput, ROLE_OF } from './validate.js';

export type AwsPrincipal = Extract<Principal, { kind: 'aws' }>;

export function apiKeyOperations(km: Keymint) {
  /** The workspace's project, if this access key may use it: a project pair sees nothing else, not even whether it exists. */
  async function workspace(principal: AwsPrincipal, workspaceId: string): Promise<ProjectRow> {
    const project = await km.projects.findByWorkspaceId(workspaceId);
    const allowed = project ? roleIn(principal, project.id) !== null : principal.projectId === null;
    if (!allowed) throw accessDenied(`Access key ${principal.id} is issued for one project and may use its workspace only, not ${workspaceId}`);
    if (!project) throw resourceNotFound('WORKSPACE', workspaceId, `Workspace ${workspaceId} was not found: use the workspace_id of a Keymint project (GET /v1/projects)`);
    return project;
  }

  return {
    async create(principal: AwsPrincipal, actor: Actor, workspaceId: string, input: CreateInput) {
      const project = await workspace(principal, workspaceId);
      try {
        const { key } = await km.keys.create(
          principal,
          { project_id: project.id, name: input.keyName, role: ROLE_OF[input.keyRole], expires_at: km.clock.now() + input.secondsToLive * 1000 },
          actor,
        );
        return { key, keyName: input.keyName, workspaceId };
      } catch (e) {
        throw fromServiceError(e, { type: 'API_KEY', id: input.keyName });
      }
    },

    /** Revokes the live key of that name. */
    async delete(principal: AwsPrincipal, actor: Actor, workspaceId: string, keyName: string) {
      const project = await workspace(principal, workspaceId);
      const row = await km.keys.findLiveByName(project.id, keyName);
      if (!row) throw resourceNotFound('API_KEY', keyName, `Workspace ${workspaceId} has no live API key named ${JSON.stringify(keyName)}`);
      try {
        await km.keys.revoke(principal, row.id, actor);
      } catch (e) {
        throw fromServiceError(e, { type: 'API_KEY', id: keyName });
      }
      return { keyName, workspaceId };
    },
  };
}
