// Failures of work no request waits for (the change feed, the usage flush, the rotation scheduler, lockout
// news, SQLite's checkpoints): each is written as one JSON log line with its task and context, and counted per task for /metrics,
// instead of being swallowed or printed raw to stderr.
export type BackgroundTask = 'change_feed' | 'usage_flush' | 'rotation_scheduler' | 'lockout' | 'audit' | 'sqlite_checkpoint';

export interface BackgroundLog {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

const line = (level: number, obj: object, msg: string) => process.stderr.write(`${JSON.stringify({ level, time: Date.now(), ...obj, msg })}\n`);

/** Until the app's logger is attached: pino's line shape, on stderr. */
const stderrLog: BackgroundLog = {
  error: (obj, msg) => line(50, obj, msg),
  warn: (obj, msg) => line(40, obj, msg),
};

export class BackgroundFailures {
  /** Failures per task since the node started. */
  readonly counts = new Map<BackgroundTask, number>();
  log: BackgroundLog = stderrLog;

  /** `context`: what was being done (no secrets). */
  report(task: BackgroundTask, err: unknown, context: Record<string, unknown> = {}): void {
    this.counts.set(task, (this.counts.get(task) ?? 0) + 1);
    const e = err as { message?: string; code?: string; stack?: string };
    this.log.error({ task, ...context, err: { type: (err as Error)?.name ?? typeof err, message: e?.message ?? String(err), code: e?.code, stack: e?.stack } }, `background task ${task} failed`);
  }

  /** A `.catch` handler for `task`. */
  on(task: BackgroundTask, context: Record<string, unknown> = {}): (err: unknown) => void {
    return (err) => this.report(task, err, context);
  }
}
