// Express middleware: `app.get('/path', keymintExpress({ verifier, requiredScopes }), handler)`; the verification
// is in `req.keymint`. Typed structurally, so this package needs no Express at run time.
import type { VerifyResult } from '../client.js';
import { authenticate, keyFrom, type KeymintAuthOptions } from './core.js';

interface Req {
  headers: Record<string, string | string[] | undefined>;
  keymint?: VerifyResult;
}
interface Res {
  status(code: number): Res;
  set(headers: Record<string, string>): Res;
  type(t: string): Res;
  send(body: string): unknown;
}

export function keymintExpress(options: KeymintAuthOptions) {
  return (req: Req, res: Res, next: (err?: unknown) => void): void => {
    authenticate(keyFrom((h) => req.headers[h], options.header), options).then((outcome) => {
      if (outcome.ok) {
        req.keymint = outcome.result;
        next();
      } else {
        res.status(outcome.status).set(outcome.headers).type('application/problem+json').send(JSON.stringify(outcome.problem));
      }
    }, next);
  };
}
