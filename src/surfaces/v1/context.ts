// What every v1 route needs from a request: who is calling, and the audit actor.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Principal } from '../../auth/principal.js';
import { forbidden, invalid } from '../../service/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** A verifier key may call this management route too (for its own project: the route checks that). */
    verifierKeys?: boolean;
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
function encodeCursor(position: number): string {
  return Buffer.from(`p${position}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const m = /^p(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw invalid('querystring.cursor', 'cursor is not one Keymint gave: use the URL of the Link rel="next" header as it is');
  return Number(m[1]);
}

/** `Link: <url>; rel="next"` with the same query and the next cursor. */
function nextLink(request: FastifyRequest, position: number, cursor = encodeCursor(position)): string {
  const url = new URL(request.url, 'http://x');
  url.searchParams.set('cursor', cursor);
  return `<${url.pathname}${url.search}>; rel="next"`;
}

/**
 * One page of a newest-first listing (the `Page` query: `limit`, `cursor`). `fetch` is asked for one row
 * more than the page: that row says a next page exists, linked from the position of the page's last row.
 */
export async function onePage<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  fetch: (limit: number, before: number | undefined) => Promise<T[]>,
  position: (row: T) => number,
): Promise<T[]> {
  const q = request.query as { limit?: number; cursor?: string };
  const limit = q.limit ?? 100;
  const rows = await fetch(limit + 1, decodeCursor(q.cursor));
  const page = rows.slice(0, limit);
  if (rows.length > limit) reply.header('Link', nextLink(request, position(page[page.length - 1])));
  return page;
}

/**
 * One page of a listing in another order than newest first (a sort the caller chose): its cursor holds the
 * offset of the next page. `fetch` is asked for one row more than the page, as in onePage.
 */
export async function onePageByOffset<T>(request: FastifyRequest, reply: FastifyReply, fetch: (limit: number, offset: number) => Promise<T[]>): Promise<T[]> {
  const q = request.query as { limit?: number; cursor?: string };
  const limit = q.limit ?? 100;
  let offset = 0;
  if (q.cursor !== undefined) {
    const m = /^o(\d{1,9})$/.exec(Buffer.from(q.cursor, 'base64url').toString('utf8'));
    if (!m) throw invalid('querystring.cursor', 'cursor is not one Keymint gave for this order: use the URL of the Link rel="next" header as it is');
    offset = Number(m[1]);
  }
  const rows = await fetch(limit + 1, offset);
  const page = rows.slice(0, limit);
  if (rows.length > limit) reply.header('Link', nextLink(request, 0, Buffer.from(`o${offset + limit}`).toString('base64url')));
  return page;
}

/** An RFC 3339 instant the schema accepted, as ms; the schema lets through instants Date cannot hold (a leap second). */
export function parseInstant(value: string, location: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw invalid(location, `${value} is not an instant Keymint can store: use RFC 3339 in UTC, for example 2030-01-31T00:00:00Z`);
  return ms;
}
