// Express middleware: `app.get('/path', keymintExpress({ verifier, requiredScopes }), handler)`; the verification
// is in `req.keymint`. Typed structurally, so this package needs no Express at run time.
import type { VerifyResult } from '../client.js';
import { authenticate, keyFrom, type KeymintAuthOptions } from './core.js';

interface Req {
  headers: Record<string, string | string[] | undefined>;
  /** Express's client address (honours its `trust proxy` setting). */
  ip?: string;
}
interface Res {
  status(code: number): unknown;
  set(headers: Record<string, string>): unknown;
  type(t: string): unknown;
  send(body: unknown): unknown;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by keymintExpress: the verification of the request's key. */
      keymint?: VerifyResult;
    }
  }
}

export function keymintExpress(options: KeymintAuthOptions) {
  return (req: Req, res: Res, next: (err?: unknown) => void): void => {
    authenticate(keyFrom((h) => req.headers[h], options.header), options, undefined, req.ip).then((outcome) => {
      if (outcome.ok) {
        (req as Req & { keymint?: VerifyResult }).keymint = outcome.result;
        next();
      } else {
        res.status(outcome.status);
        res.set(outcome.headers);
        res.type('application/problem+json');
        res.send(JSON.stringify(outcome.problem));
      }
    }, next);
  };
}
