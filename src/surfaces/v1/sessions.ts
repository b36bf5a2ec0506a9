// Dashboard sign-in: POST /v1/sessions exchanges a root key or an Admin key for a session cookie;
// GET /v1/sessions/current says who is signed in (and the CSRF token); DELETE /v1/sessions/current signs out.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ActiveSession } from '../../auth/dashboard-sessions.js';
import { sessionRefusal } from '../../auth/dashboard-sessions.js';
import { clearedSessionCookie, crossSiteRefusal, CSRF_HEADER, sessionCookie } from '../../auth/session-credential.js';
import { iso } from '../../util/instant.js';
import type { Keymint } from '../../keymint.js';
import { AUTH_CODE, AUTH_DETAIL } from './auth-detail.js';
import { sendProblem } from './problem.js';
import { Body, Instant, Nullable, problems, Role } from './schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the caller came with a dashboard session cookie rather than a key. */
    dashboardSession: { id: string; session: ActiveSession } | null;
  }
}

export const SESSIONS_ROUTE = '/v1/sessions';
const tags = ['sessions'];

const Session = Type.Object({
  csrf_token: Type.String({ description: `Send it as the \`${CSRF_HEADER}\` header with every request that changes something` }),
  expires_at: Instant,
  idle_minutes: Type.Integer({ description: 'The session ends after this many minutes without a request (KEYMINT_SESSION_IDLE_MINUTES)' }),
  principal: Type.Object({
    type: Type.Enum(['root_key', 'api_key']),
    id: Type.String(),
    project_id: Nullable(Type.String({ description: 'The one project an Admin key may manage; null for the root key' })),
    role: Role,
  }),
});

/** The origin dashboard requests must come from, and whether the cookie must be Secure. */
export function dashboardOrigin(km: Keymint, request: FastifyRequest): { origin: string; secure: boolean } {
  const pub = km.config.publicUrl;
  if (pub) return { origin: pub.origin, secure: pub.protocol === 'https:' };
  return { origin: `${request.protocol}://${request.host}`, secure: request.protocol === 'https' };
}

function sessionObject(km: Keymint, s: ActiveSession) {
  const p = s.principal;
  return {
    csrf_token: s.csrfToken,
    expires_at: iso(s.expiresAt)!,
    idle_minutes: km.config.sessionIdleMinutes,
    principal: {
      type: p.kind === 'root' ? ('root_key' as const) : ('api_key' as const),
      id: p.id,
      project_id: p.kind === 'api_key' ? p.projectId : null,
      role: p.kind === 'api_key' ? p.role : ('Admin' as const),
    },
  };
}

export const sessionRoutes =
  (km: Keymint): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/sessions',
      {
        schema: {
          tags,
          summary: 'Sign in to the dashboard: exchange a root key or an Admin key for a session cookie',
          description:
            'Answers `Set-Cookie` with an HttpOnly, SameSite=Strict session cookie (Secure, named `__Host-keymint_session`, when served over https) and the session\'s ' +
            '`csrf_token`. The cookie then authenticates v1 requests from the same origin; every request that changes something must also send ' +
            `\`${CSRF_HEADER}\`. The session ends after \`idle_minutes\` without a request, 12 hours after sign-in, at sign-out, or when the key stops being valid. ` +
            'Failed sign-ins count towards the lockout of the address (429). A request from another site is 403.',
          security: [],
          body: Body({ key: Type.String({ minLength: 1, maxLength: 512, description: 'The root key or an Admin key of a project' }) }),
          response: { 201: Session, ...problems(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const { origin, secure } = dashboardOrigin(km, request);
        const refusal = crossSiteRefusal({ origin: request.headers.origin, secFetchSite: request.headers['sec-fetch-site'] as string | undefined, ownOrigin: origin });
        if (refusal) return sendProblem(reply, 403, refusal);
        // The lockout applies to sign-in whatever the key (a locked address cannot open a session, not even with a key
        // admission would recall from memory); then the key goes through the one admission step as a Bearer credential,
        // where a bad key counts against the address.
        const locked = km.limits.lockout.lockedFor(request.ip);
        if (locked > 0) {
          km.limits.lockout.refused++;
          return sendProblem(reply.header('Retry-After', String(locked)), 429, km.limits.lockout.message(locked), undefined, 'locked_out');
        }
        const result = await km.admission.admit(
          { ip: request.ip, method: request.method, headers: { authorization: `Bearer ${request.body.key.trim()}` }, raw: request.raw },
          { kinds: [km.credentials.bearer], management: false },
        );
        if (!result.ok) {
          if (result.refusal === 'verify_only') return sendProblem(reply, 403, 'A verifier key cannot sign in: use the root key or an Admin project key', [{ location: 'body.key', message: 'a verifier key may only verify keys' }], 'verify_only');
          if (result.refusal !== 'credential') {
            const wait = result.retryAfterSeconds;
            const locked = result.refusal === 'locked';
            const detail = locked ? km.limits.lockout.message(wait) : km.limits.throttle.message(wait);
            return sendProblem(reply.header('Retry-After', String(wait)), 429, detail, undefined, locked ? 'locked_out' : 'rate_limited');
          }
          const detail = result.message ?? AUTH_DETAIL[result.failure];
          return sendProblem(reply, 401, detail, [{ location: 'body.key', message: detail }], AUTH_CODE[result.failure]);
        }
        const why = sessionRefusal(result.principal);
        if (why) return sendProblem(reply, 403, why, [{ location: 'body.key', message: why }]);
        const { id, session } = await km.sessions.start(result.principal, { principal: result.principal, ip: request.ip });
        return reply.code(201).header('set-cookie', sessionCookie(id, secure)).header('cache-control', 'no-store').send(sessionObject(km, session));
      },
    );

    app.get(
      '/sessions/current',
      {
        schema: { tags, summary: 'The signed-in dashboard session: who, until when, and its CSRF token', response: { 200: Session, ...problems(401) } },
      },
      async (request, reply) => {
        const s = request.dashboardSession;
        if (!s) return sendProblem(reply, 401, 'Not signed in to the dashboard: this request came with a key, not a session cookie');
        return reply.header('cache-control', 'no-store').send(sessionObject(km, s.session));
      },
    );

    app.delete(
      '/sessions/current',
      { schema: { tags, summary: 'Sign out: the session ends on every node and its cookie is cleared', response: { 204: Type.Null(), ...problems(401, 403) } } },
      async (request, reply) => {
        const s = request.dashboardSession;
        if (!s) return sendProblem(reply, 401, 'Not signed in to the dashboard: this request came with a key, not a session cookie');
        await km.sessions.end(s.id, { principal: s.session.principal, ip: request.ip });
        return reply.code(204).header('set-cookie', clearedSessionCookie(dashboardOrigin(km, request).secure)).send(null);
      },
    );
  };
