import { isStorableText, MAX_NAME_LENGTH, UNSTORABLE_TEXT } from '../keys/text.js';

/** A failure the caller can fix; each surface writes it in its own error shape. */
export type ServiceErrorKind = 'validation' | 'forbidden' | 'not_found' | 'conflict';

export class ServiceError extends Error {
  constructor(
    readonly kind: ServiceErrorKind,
    message: string,
    /** For validation: where the bad value is, e.g. `body.name`. */
    readonly location?: string,
    /** A stable machine code (`name_taken`, `api_key_not_found`, ...): surfaces carry it in their error bodies. */
    readonly code: string = kind === 'validation' ? 'invalid_request' : kind,
  ) {
    super(message);
  }
}

/** `what` starts with the thing's name (`api key key_...`): its code is `<thing>_not_found`. */
const NOT_FOUND_CODES: [string, string][] = [
  ['project ', 'project_not_found'],
  ['environment ', 'environment_not_found'],
  ['api key ', 'api_key_not_found'],
  ['AWS access key ', 'aws_credential_not_found'],
];

export const notFound = (what: string) =>
  new ServiceError('not_found', `${what} was not found`, undefined, NOT_FOUND_CODES.find(([p]) => what.startsWith(p))?.[1] ?? 'not_found');
/** `code` says which conflict: `name_taken`, `key_revoked`, ... (see the README's error table). */
export const conflict = (message: string, code = 'conflict') => new ServiceError('conflict', message, undefined, code);
export const forbidden = (message: string) => new ServiceError('forbidden', message);
export const invalid = (location: string, message: string) => new ServiceError('validation', message, location);

/** The HTTP status of each kind, the same on every surface (only the body's shape differs). */
export const KIND_STATUS = { validation: 400, forbidden: 403, not_found: 404, conflict: 409 } as const satisfies Record<ServiceErrorKind, number>;

/** Refuses text the store cannot keep exactly as sent; `location` is e.g. `body.name`. */
export function requireStorableText(location: string, value: string): void {
  if (!isStorableText(value)) throw invalid(location, `${location.slice(location.lastIndexOf('.') + 1)} ${UNSTORABLE_TEXT}`);
}

/** A key, project or environment name: stored exactly as sent, at most MAX_NAME_LENGTH characters. */
export function requireName(location: string, name: string): void {
  requireStorableText(location, name);
  const length = [...name].length;
  if (length < 1 || length > MAX_NAME_LENGTH) throw invalid(location, `name must be 1 to ${MAX_NAME_LENGTH} characters (it has ${length})`);
}
