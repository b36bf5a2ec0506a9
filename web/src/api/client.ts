// The typed v1 client (openapi-fetch over the generated schema): same-origin cookie session, the CSRF header on
// every change, and one error type that keeps the problem details and the request id.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

type Json<P extends keyof paths, M extends keyof paths[P], S extends number> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type ApiKey = Json<'/v1/api-keys/{keyID}', 'get', 200>;
export type CreatedKey = Json<'/v1/api-keys', 'post', 201>;
export type RotatedKey = Json<'/v1/api-keys/{keyID}/rotate', 'post', 200>;
export type Project = Json<'/v1/projects/{id}', 'get', 200>;
export type Environment = Json<'/v1/projects/{id}/environments', 'post', 201>;
export type AuditEvent = Json<'/v1/audit-events', 'get', 200>[number];
export type Delivery = Json<'/v1/api-keys/{keyID}/webhook-deliveries', 'get', 200>[number];
export type Usage = Json<'/v1/api-keys/{keyID}/usage', 'get', 200>;
export type AwsCredential = Json<'/v1/projects/{id}/aws-credentials', 'get', 200>[number];
export type CreatedAwsCredential = Json<'/v1/projects/{id}/aws-credentials', 'post', 201>;
export type Session = Json<'/v1/sessions/current', 'get', 200>;
export type KeyListQuery = NonNullable<paths['/v1/api-keys']['get']['parameters']['query']>;

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail: string;
  errors?: { location: string; message: string }[];
}

/** A refused or failed request: `problem` as the API said it; `requestId` to quote when it was not expected. */
export class ApiError extends Error {
  constructor(
    readonly problem: Problem,
    readonly requestId: string | null,
  ) {
    super(problem.detail);
  }
  get status() {
    return this.problem.status;
  }
  /** A 5xx or no answer: not the caller's fault, so the request id is shown. */
  get unexpected() {
    return this.problem.status >= 500 || this.problem.status === 0;
  }
  /** The message for one field (`name` for `body.name`), if the API named it. */
  field(name: string): string | undefined {
    return this.problem.errors?.find((e) => e.location.replace(/^(body|querystring|params)\./, '') === name)?.message;
  }
}

let csrfToken: string | null = null;
export const setCsrfToken = (t: string | null) => {
  csrfToken = t;
};

/** Called when a request finds the session ended (401): the app goes back to sign-in. */
let onSignedOut: () => void = () => {};
export const whenSignedOut = (f: () => void) => {
  onSignedOut = f;
};

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

// Relative to the page: the dashboard works under whatever path a proxy serves it at.
const baseUrl = new URL('.', document.baseURI).href.replace(/\/$/, '');
export const api = createClient<paths>({ baseUrl, credentials: 'same-origin' });
api.use(csrf);

/** The data of a call, or an ApiError. */
export async function call<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>, quiet401 = false): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await p;
  } catch (e) {
    throw new ApiError({ status: 0, detail: `Keymint could not be reached: ${(e as Error).message}` }, null);
  }
  const requestId = r.response.headers.get('x-request-id') ?? r.response.headers.get('x-amzn-requestid');
  if (r.response.ok) return r.data as T;
  const body = (r.error ?? {}) as Partial<Problem> & { request_id?: string };
  const problem: Problem = { ...body, status: r.response.status, detail: body.detail ?? r.response.statusText };
  if (r.response.status === 401 && !quiet401) onSignedOut();
  throw new ApiError(problem, requestId ?? body.request_id ?? null);
}

/** The cursor of the `Link: <...>; rel="next"` header, if there is a next page. */
export function nextCursor(response: Response): string | null {
  const link = response.headers.get('link');
  const m = link && /<([^>]+)>;\s*rel="next"/.exec(link);
  return m ? new URL(m[1], location.href).searchParams.get('cursor') : null;
}

/** One page of a listing: its rows, the next page's cursor, and the total when asked (`with_total`). */
export async function page<T>(p: Promise<{ data?: T[]; error?: unknown; response: Response }>): Promise<{ rows: T[]; next: string | null; total: number | null }> {
  let response: Response | null = null;
  const rows = await call(
    p.then((r) => {
      response = r.response;
      return r;
    }),
  );
  const res = response as Response | null;
  const total = res?.headers.get('x-total-count');
  return { rows, next: res ? nextCursor(res) : null, total: total ? Number(total) : null };
}
