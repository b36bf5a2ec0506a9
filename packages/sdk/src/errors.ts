// The one error the client throws: the server's RFC 9457 problem details, with the request id to quote in a report.

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { location: string; message: string }[];
}

export class KeymintError extends Error {
  override readonly name = 'KeymintError';
  /** HTTP status; 0 when no answer came (network error, timeout). */
  readonly status: number;
  readonly problem: ProblemDetails | null;
  /** The `X-Request-Id` of the failed request, when the server sent one. */
  readonly requestId: string | null;
  /** Seconds the server asked to wait (429). */
  readonly retryAfter: number | null;

  constructor(status: number, problem: ProblemDetails | null, requestId: string | null, retryAfter: number | null, message?: string, options?: { cause?: unknown }) {
    super(message ?? (problem ? `${problem.status} ${problem.title}: ${problem.detail}` : `HTTP ${status}`), options);
    this.status = status;
    this.problem = problem;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }

  get detail(): string | null {
    return this.problem?.detail ?? null;
  }

  /** Validation errors by location (`body.name`, ...). */
  get errors(): { location: string; message: string }[] {
    return this.problem?.errors ?? [];
  }
}
