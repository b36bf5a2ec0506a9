// What every v1 route needs from a request: who is calling, and the audit actor.
import type { FastifyRequest } from 'fastify';
import type { Actor, Principal } from '../../auth/principal.js';
import { forbidden, invalid } from '../../service/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function principalOf(request: FastifyRequest): Principal {
  // The v1 onRequest hook has refused anonymous requests before any handler runs.
  return request.principal!;
}

export function actorOf(request: FastifyRequest): Actor {
  return { principal: principalOf(request), ip: request.ip };
}

export function requireRoot(request: FastifyRequest): void {
  if (principalOf(request).kind !== 'root') throw forbidden('this route needs the root key');
}

/** Opaque page cursors: the position to continue below. */
export function encodeCursor(position: number): string {
  return Buffer.from(`p${position}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const m = /^p(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw invalid('querystring.cursor', 'cursor is not one Keymint gave: use the URL of the Link rel="next" header as it is');
  return Number(m[1]);
}

/** `Link: <url>; rel="next"` with the same query and the next cursor. */
export function nextLink(request: FastifyRequest, position: number): string {
  const url = new URL(request.url, 'http://x');
  url.searchParams.set('cursor', encodeCursor(position));
  return `<${url.pathname}${url.search}>; rel="next"`;
}

/** An RFC 3339 instant the schema accepted, as ms; the schema lets through instants Date cannot hold (a leap second). */
export function parseInstant(value: string, location: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw invalid(location, `${value} is not an instant Keymint can store: use RFC 3339 in UTC, for example 2030-01-31T00:00:00Z`);
  return ms;
}
