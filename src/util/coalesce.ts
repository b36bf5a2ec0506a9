/**
 * Runs `pass` for callers that may overlap: they share one run, and a call made during a run
 * asks for one more pass, which every waiting caller also awaits (so no caller misses work
 * written just before it called). `more()` may end the extra passes early (a stopping worker).
 */
export class Coalesced {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly more: () => boolean = () => true,
  ) {}

  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again && this.more());
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** The run in progress, if any. */
  get current(): Promise<void> | null {
    return this.running;
  }
}
