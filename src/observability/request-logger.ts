// Fastify gives every request a child logger bound to its id. A pino child costs more than a verification
// (its bindings are serialized and pass through redaction), and most requests write no line at all: this
// one builds the pino child, with the same bindings, level and redaction, only when it writes its first line.
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Logger } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Args = Parameters<Logger['info']>;

class LazyRequestLogger {
  private built: FastifyBaseLogger | null = null;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.built?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  isLevelEnabled(level: string): boolean {
    const values = this.parent.levels.values;
    return values[level] >= values[this.level];
  }

  fatal(...args: Args): void {
    this.write('fatal', args);
  }
  error(...args: Args): void {
    this.write('error', args);
  }
  warn(...args: Args): void {
    this.write('warn', args);
  }
  info(...args: Args): void {
    this.write('info', args);
  }
  debug(...args: Args): void {
    this.write('debug', args);
  }
  trace(...args: Args): void {
    this.write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }

  private write(level: Level, args: Args): void {
    if (this.isLevelEnabled(level)) this.real()[level](...args);
  }

  private real(): FastifyBaseLogger {
    return (this.built ??= this.parent.child(this.bindings, this.options));
  }
}

/** Fastify's `childLoggerFactory`: a request's logger that costs nothing until it logs. */
export const lazyRequestLogger = (logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger =>
  // A logger that is not pino (no level table) gets its ordinary child.
  (logger as unknown as Logger).levels?.values
    ? (new LazyRequestLogger(logger as unknown as Logger, bindings, options) as unknown as FastifyBaseLogger)
    : logger.child(bindings, options);
