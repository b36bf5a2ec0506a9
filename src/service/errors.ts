/** A failure the caller can fix; each surface writes it in its own error shape. */
export type ServiceErrorKind = 'validation' | 'forbidden' | 'not_found' | 'conflict';

export class ServiceError extends Error {
  constructor(
    readonly kind: ServiceErrorKind,
    message: string,
    /** For validation: where the bad value is, e.g. `body.name`. */
    readonly location?: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ServiceError('not_found', `${what} was not found`);
export const conflict = (message: string) => new ServiceError('conflict', message);
export const forbidden = (message: string) => new ServiceError('forbidden', message);
export const invalid = (location: string, message: string) => new ServiceError('validation', message, location);
