// RFC 9457 problem details: the v1 surface's error shape. Each kind of error has a stable `code` (also the last
// segment of its `type` URI, with dashes) and every problem carries the request id of its log line.
import type { FastifyError, FastifyReply } from 'fastify';
import { ID_PATTERN } from '../../keys/ids.js';
import { KIND_STATUS, ServiceError } from '../../service/errors.js';
import { TEXT_PATTERN } from './schemas.js';

export interface FieldError {
  location: string;
  message: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** The code of a problem no one named more precisely. */
const STATUS_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'body_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  500: 'internal_error',
};

export const problemType = (code: string) => `https://keymint.dev/problems/${code.replace(/_/g, '-')}`;

export function sendProblem(reply: FastifyReply, status: number, detail: string, errors?: FieldError[], code = STATUS_CODES[status] ?? 'error') {
  const title = TITLES[status] ?? 'Error';
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: problemType(code), title, status, code, detail, request_id: reply.request.id, ...(errors ? { errors } : {}) });
}

/** Where an ajv error points: `body.name`, `querystring.limit`, ... */
function location(context: string, e: { instancePath: string; params?: Record<string, unknown> }): string {
  const path = e.instancePath.split('/').filter(Boolean);
  if (typeof e.params?.missingProperty === 'string') path.push(e.params.missingProperty);
  if (typeof e.params?.additionalProperty === 'string') path.push(e.params.additionalProperty);
  return [context, ...path].join('.');
}

/** ajv words a pattern failure with the raw regex; say what to send instead. */
const PATTERN_MESSAGES: Record<string, string> = {
  [ID_PATTERN]: 'must be an id as Keymint gave it (letters, digits, "_" and "-")',
  [TEXT_PATTERN]: 'must not contain control characters',
};

type AjvError = { keyword?: string; message?: string; instancePath: string; schemaPath?: string; params?: Record<string, unknown> };

function message(e: AjvError): string {
  if (e.keyword === 'additionalProperties') return 'is not a field of this request: check its spelling against /docs';
  if (e.keyword === 'enum' && Array.isArray(e.params?.allowedValues)) return `must be one of ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'const') return `must be ${JSON.stringify(e.params?.allowedValue)}`;
  if (e.keyword === 'pattern' && typeof e.params?.pattern === 'string') return PATTERN_MESSAGES[e.params.pattern] ?? e.message ?? 'is not valid';
  return e.message ?? 'is not valid';
}

/** Fastify's own refusals of a body, in words that say what to send. */
const FRAMEWORK: Record<string, { code: string; detail: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', detail: 'Send the body as JSON with Content-Type: application/json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_body', detail: 'The body is empty: send a JSON object, or no Content-Type header' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'body_too_large', detail: 'The body is larger than 64 KiB' },
};

/**
 * One message per bad field. ajv reports a failed `anyOf` (a nullable field: `rotation_interval_days: 0`) as
 * each branch's failure plus "must match a schema in anyOf"; say instead what the non-null branch wants, "or null".
 */
function fieldErrors(context: string, validation: AjvError[]): FieldError[] {
  const anyOfPaths = new Set(validation.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const out = new Map<string, string[]>();
  for (const e of validation) {
    const inAnyOf = anyOfPaths.has(e.instancePath);
    if (inAnyOf && (e.keyword === 'anyOf' || (e.keyword === 'type' && e.params?.type === 'null'))) continue;
    const where = location(context, e);
    const text = message(e) + (inAnyOf && validation.some((n) => n.instancePath === e.instancePath && n.params?.type === 'null') ? ', or null' : '');
    const list = out.get(where) ?? [];
    if (!list.includes(text)) list.push(text);
    out.set(where, list);
  }
  // An anyOf whose branches said nothing useful on their own: keep one line for it.
  for (const path of anyOfPaths) {
    const where = location(context, { instancePath: path });
    if (!out.has(where)) out.set(where, ['is not any of the accepted forms: see /docs']);
  }
  return [...out].map(([where, texts]) => ({ location: where, message: texts.join(' and ') }));
}

/** Any error thrown below a v1 route, as a problem; only a bug is a 5xx. */
export function v1ErrorHandler(err: FastifyError, request: { log: { error: (o: object, m: string) => void } }, reply: FastifyReply) {
  if (err instanceof ServiceError) {
    return sendProblem(reply, KIND_STATUS[err.kind], err.message, err.location ? [{ location: err.location, message: err.message }] : undefined, err.code);
  }
  if (err.validation) {
    const errors = fieldErrors(err.validationContext ?? 'body', err.validation as AjvError[]);
    return sendProblem(reply, 400, `The request is not valid: ${errors.map((e) => `${e.location} ${e.message}`).join('; ')}`, errors);
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const known = FRAMEWORK[err.code];
    return sendProblem(reply, status, known?.detail ?? err.message, undefined, known?.code ?? (status === 400 ? 'invalid_body' : STATUS_CODES[status]));
  }
  request.log.error({ err }, 'unexpected error');
  return sendProblem(reply, 500, `An unexpected error occurred; it has been logged with request id ${reply.request.id}`);
}
