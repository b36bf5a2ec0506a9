import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Keymint } from '../../keymint.js';
import { invalid } from '../../service/errors.js';
import { onePage, principalOf } from './context.js';
import { auditObject } from './present.js';
import { AuditEvent, Id, Page, problems } from './schemas.js';

export const auditRoutes =
  (km: Keymint): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/audit-events',
      {
        schema: {
          tags: ['audit'],
          summary: 'Who did what to which key or project, newest first',
          description: 'The root key may leave out `project_id` to see every project; an Admin key sees its own project.',
          querystring: Type.Object({ project_id: Type.Optional(Id), ...Page }),
          response: { 200: Type.Array(AuditEvent), ...problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const projectId = request.query.project_id ?? (p.kind === 'api_key' ? p.projectId : null);
        if (projectId !== null) {
          km.keys.requireManager(p, projectId);
          await km.projects.get(projectId, p.kind === 'root');
        } else if (p.kind !== 'root') {
          throw invalid('querystring.project_id', 'project_id is required for this credential');
        }
        const page = await onePage(request, reply, (limit, before) => km.audit.list({ projectId, limit, before }), (e) => e.seq);
        return page.map(auditObject);
      },
    );
  };
