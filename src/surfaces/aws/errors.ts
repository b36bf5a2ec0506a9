// restJson1 errors of the `grafana` service: `X-Amzn-Errortype: <Shape>`, a JSON body of the shape's
// members, `Retry-After` where the shape binds it, and `x-amzn-RequestId` on every response.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../../service/errors.js';

export type ValidationReason = 'CANNOT_PARSE' | 'FIELD_VALIDATION_FAILED' | 'OTHER' | 'UNKNOWN_OPERATION';
export type ResourceType = 'WORKSPACE' | 'API_KEY';

export interface FieldProblem {
  name: string;
  message: string;
}

export class AwsError extends Error {
  constructor(
    readonly shape: string,
    readonly status: number,
    message: string,
    readonly members: Record<string, unknown> = {},
    /** Sent as the integer `Retry-After` header (ThrottlingException, InternalServerException). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const validationError = (reason: ValidationReason, message: string, fieldList?: FieldProblem[]) =>
  new AwsError('ValidationException', 400, message, { reason, ...(fieldList ? { fieldList } : {}) });

export const fieldValidationError = (fieldList: FieldProblem[]) =>
  validationError('FIELD_VALIDATION_FAILED', `${fieldList.length} validation error${fieldList.length > 1 ? 's' : ''} detected: ${fieldList.map((f) => f.message).join('; ')}`, fieldList);

export const accessDenied = (message: string) => new AwsError('AccessDeniedException', 403, message);

export const resourceNotFound = (resourceType: ResourceType, resourceId: string, message: string) =>
  new AwsError('ResourceNotFoundException', 404, message, { resourceId, resourceType });

export const conflictError = (resourceType: ResourceType, resourceId: string, message: string) =>
  new AwsError('ConflictException', 409, message, { resourceId, resourceType });

/** `quotaCode` names the limit that was hit, so an operator knows which setting to raise. */
export const throttled = (message: string, retryAfterSeconds: number, quotaCode = 'KEYMINT_AWS_REQUESTS_PER_SECOND') =>
  new AwsError('ThrottlingException', 429, message, { serviceCode: 'grafana', quotaCode }, retryAfterSeconds);

/** The three SigV4 failures, all 403 (the names AWS's own endpoints use). */
export const authError = (shape: 'MissingAuthenticationTokenException' | 'UnrecognizedClientException' | 'InvalidSignatureException' | 'AccessDeniedException', message: string) =>
  new AwsError(shape, 403, message);

const internalError = () => new AwsError('InternalServerException', 500, 'An unexpected error occurred; it has been logged. Retry the request.', {}, 1);

/** A service failure, named after the resource the operation was about. */
export function fromServiceError(e: unknown, resource: { type: ResourceType; id: string }): unknown {
  if (!(e instanceof ServiceError)) return e;
  switch (e.kind) {
    case 'conflict':
      return conflictError(resource.type, resource.id, e.message);
    case 'not_found':
      return resourceNotFound(resource.type, resource.id, e.message);
    case 'forbidden':
      return accessDenied(e.message);
    case 'validation':
      return fieldValidationError([{ name: e.location?.replace(/^body\./, '') ?? 'body', message: e.message }]);
  }
}

export function sendAwsError(reply: FastifyReply, e: AwsError) {
  // Framework errors (a bad URL) bypass the surface's hooks, so the id may not be set yet: the log line's id.
  if (!reply.hasHeader('x-amzn-requestid')) reply.header('x-amzn-RequestId', reply.request.id);
  if (e.retryAfterSeconds !== undefined) reply.header('Retry-After', String(e.retryAfterSeconds));
  return reply.code(e.status).header('X-Amzn-Errortype', e.shape).type('application/json').send({ message: e.message, ...e.members });
}

/** Anything thrown under /workspaces, in restJson1; only a bug is a 5xx. */
export function awsErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AwsError) return sendAwsError(reply, err);
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const message = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'The body is larger than 64 KiB' : `The request could not be read: ${err.message}`;
    return sendAwsError(reply, validationError(err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'OTHER' : 'CANNOT_PARSE', message));
  }
  request.log.error({ err }, 'unexpected error');
  return sendAwsError(reply, internalError());
}

/**
 * Fastify's `frameworkErrors` (errors raised before routing, such as bad percent-encoding in the path):
 * restJson1 under /workspaces, Fastify's own answer elsewhere.
 */
export function awsFrameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (request.raw.url?.startsWith('/workspaces')) {
    return sendAwsError(reply, validationError('CANNOT_PARSE', `The path is not valid percent-encoding: encode each path label once (${err.message})`));
  }
  return reply.send(err);
}
