// Hono middleware: `app.get('/path', keymintHono({ verifier, requiredScopes }), handler)`; the verification is
// `c.get('keymint')`. Typed structurally, so this package needs no Hono at run time.
import type { VerifyResult } from '../client.js';
import { authenticate, keyFrom, type KeymintAuthOptions } from './core.js';

interface Context {
  req: { header(name: string): string | undefined };
  /** On @hono/node-server, `incoming` is Node's request: the client address is its socket's. */
  env?: unknown;
  set(key: 'keymint', value: VerifyResult): void;
  body(data: string, status: number, headers: Record<string, string>): Response;
}

/** Hono has no one way to read the client address: Node's socket when served by @hono/node-server. */
function nodeClientIp(env: unknown): string | undefined {
  return (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
}

/** For `new Hono<KeymintEnv>()`: makes `c.get('keymint')` typed. */
export type KeymintEnv = { Variables: { keymint: VerifyResult } };

export function keymintHono(options: KeymintAuthOptions & { /** The client address elsewhere than on Node (for example from `getConnInfo`). */ clientIp?: (c: Context) => string | undefined }) {
  return async (c: Context, next: () => Promise<void>): Promise<Response | void> => {
    const outcome = await authenticate(keyFrom((h) => c.req.header(h), options.header), options, undefined, options.clientIp?.(c) ?? nodeClientIp(c.env));
    if (!outcome.ok) return c.body(JSON.stringify(outcome.problem), outcome.status, { ...outcome.headers, 'content-type': 'application/problem+json' });
    c.set('keymint', outcome.result);
    await next();
  };
}
