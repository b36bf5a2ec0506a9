// Hono middleware: `app.get('/path', keymintHono({ verifier, requiredScopes }), handler)`; the verification is
// `c.get('keymint')`. Typed structurally, so this package needs no Hono at run time.
import type { VerifyResult } from '../client.js';
import { authenticate, keyFrom, type KeymintAuthOptions } from './core.js';

interface Context {
  req: { header(name: string): string | undefined };
  set(key: 'keymint', value: VerifyResult): void;
  body(data: string, status: number, headers: Record<string, string>): Response;
}

/** For `new Hono<KeymintEnv>()`: makes `c.get('keymint')` typed. */
export type KeymintEnv = { Variables: { keymint: VerifyResult } };

export function keymintHono(options: KeymintAuthOptions) {
  return async (c: Context, next: () => Promise<void>): Promise<Response | void> => {
    const outcome = await authenticate(keyFrom((h) => c.req.header(h), options.header), options);
    if (!outcome.ok) return c.body(JSON.stringify(outcome.problem), outcome.status, { ...outcome.headers, 'content-type': 'application/problem+json' });
    c.set('keymint', outcome.result);
    await next();
  };
}
