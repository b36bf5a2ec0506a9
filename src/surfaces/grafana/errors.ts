// Grafana's error shape: `{"message": ...}` with Grafana's status codes, never problem+json.
import { randomInt } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { KIND_STATUS, ServiceError } from '../../service/errors.js';

/** A refusal written as Grafana writes it; `extra` adds fields beside `message` (the 403 body). */
export class GrafanaError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Rows 1 to 3 of the create table: Grafana says no more than this. */
export const BAD_REQUEST_DATA = 'bad request data';

export type ApiKeyAction =
  | 'apikeys:read'
  | 'apikeys:create'
  | 'apikeys:delete'
  | 'serviceaccounts:read'
  | 'serviceaccounts:create'
  | 'serviceaccounts:write'
  | 'serviceaccounts:delete';

/** Grafana's access-control refusal: `ACE` and 10 digits identify the refusal in Grafana's logs. */
export function accessDenied(action: ApiKeyAction): GrafanaError {
  const accessErrorId = `ACE${String(randomInt(0, 10_000_000_000)).padStart(10, '0')}`;
  return new GrafanaError(403, `You'll need additional permissions to perform this action. Permissions needed: ${action}`, {
    accessErrorId,
    title: 'Access denied',
  });
}

export function sendMessage(reply: FastifyReply, status: number, message: string, extra: Record<string, unknown> = {}) {
  return reply.code(status).type('application/json').send({ ...extra, message });
}

/** Any error under /api, as `{"message"}`; only a bug (or a lost store) is a 5xx. */
export function grafanaErrorHandler(err: FastifyError | GrafanaError | ServiceError, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof GrafanaError) return sendMessage(reply.headers(err.headers), err.status, err.message, err.extra);
  if (err instanceof ServiceError) return sendMessage(reply, KIND_STATUS[err.kind], err.message);
  const status = (err as FastifyError).statusCode ?? 500;
  if (status === 413) return sendMessage(reply, 413, 'request body is larger than 64 KiB');
  // Anything else a client caused (an unreadable body, ...): Grafana's catch-all wording for a 400.
  if (status >= 400 && status < 500) return sendMessage(reply, status, status === 400 ? BAD_REQUEST_DATA : err.message);
  request.log.error({ err }, 'unexpected error');
  return sendMessage(reply, 500, 'Internal Server Error', { messageId: 'keymint.internal-error', statusCode: 500 });
}
