// The rotation worker of one node: finds due keys, mints their pending successors, and delivers
// every owed webhook from the outbox, retrying on the spec's schedule. Several nodes may run it at
// once: claims and leases in the database make each rotation the work of one node.
import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '../util/clock.js';
import { Coalesced } from '../util/coalesce.js';
import { keyStatus } from '../keys/state.js';
import type { KeyService } from '../service/api-keys.js';
import type { ProjectService } from '../service/projects.js';
import { type DeliveryOutcome, LeaseLost, type OutboxRow, type RotationOutbox } from './outbox.js';
import { rotatedEventBody, signedHeaders, verdict } from './delivery.js';
import { retryDelay } from './retry.js';
import { DEFAULT_TIMEOUT_MS, RefusedDestination, type Resolver, SafeWebhookClient, systemResolver } from './safe-request.js';

/** Scheduled rotations keep the old key valid this long after the webhook is answered, unless the key says otherwise. */
export const DEFAULT_ROTATION_GRACE_MINUTES = 24 * 60;

export interface RotationOptions {
  pollMs: number;
  timeoutMs: number;
  allowPrivate: boolean;
  resolver: Resolver;
  /** Due keys minted and deliveries leased per pass. */
  batch: number;
  /** Draws the jitter of each retry. */
  random: () => number;
  /** Real time for the signature timestamp (receivers compare it with their own clock). */
  wallClock: Clock;
}

export const defaultRotationOptions = (allowPrivate: boolean): RotationOptions => ({
  pollMs: 1000,
  timeoutMs: DEFAULT_TIMEOUT_MS,
  allowPrivate,
  resolver: systemResolver,
  batch: 20,
  random: Math.random,
  wallClock: systemClock,
});

export class RotationScheduler {
  readonly nodeId = `node_${randomBytes(6).toString('hex')}`;
  readonly options: RotationOptions;
  private client: SafeWebhookClient;
  private timer: NodeJS.Timeout | null = null;
  private readonly passes = new Coalesced(
    () => this.pass(),
    () => !this.stopping.signal.aborted,
  );
  private readonly stopping = new AbortController();
  /** Failures of the worker itself (a database hiccup), for logs. */
  onError = (e: unknown): void => void process.stderr.write(`keymint: rotation worker: ${(e as Error).message ?? e}\n`);

  constructor(
    readonly outbox: RotationOutbox,
    private readonly keys: KeyService,
    private readonly projects: ProjectService,
    private readonly clock: Clock,
    options: RotationOptions,
  ) {
    this.options = options;
    this.client = new SafeWebhookClient(options);
  }

  /** Changes options (tests shorten the timeout or inject DNS); the next request uses them. */
  configure(changes: Partial<RotationOptions>): void {
    Object.assign(this.options, changes);
    const old = this.client;
    this.client = new SafeWebhookClient(this.options);
    void old.close().catch(() => {});
  }

  start(): void {
    this.timer = setInterval(() => void this.tick().catch(this.onError), this.options.pollMs);
    this.timer.unref();
    void this.tick().catch(this.onError);
  }

  /** One pass over due keys and due deliveries; a call during a pass runs one more pass after it. */
  tick(): Promise<void> {
    if (this.stopping.signal.aborted) return Promise.resolve();
    return this.passes.run();
  }

  private get leaseMs(): number {
    return this.options.timeoutMs + 60_000;
  }

  private async pass(): Promise<void> {
    const now = this.clock.now();
    for (const due of await this.outbox.dueKeys(now, this.options.batch)) {
      if (this.stopping.signal.aborted) return;
      await this.outbox.mintPending(due.id, due.next_rotation_at, now);
    }
    if (this.stopping.signal.aborted) return;
    const claimed = await this.outbox.claimDeliveries(this.clock.now(), this.nodeId, this.leaseMs, this.options.batch);
    await Promise.all(claimed.map((row) => this.deliver(row).catch(this.onError)));
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const [old, next] = await Promise.all([this.keys.findById(row.old_key_id), this.keys.findById(row.new_key_id)]);
    const project = old ? await this.projects.get(old.project_id).catch(() => undefined) : undefined;
    const at = this.clock.now();
    const skip = (error: string) => this.settle(row, { at, statusCode: null, error, durationMs: 0 }, 'cancelled');
    if (!old || !next || !project) return skip('the key or its project no longer exists');
    if (old.rotation_webhook_url === null || old.webhook_secret_enc === null) return skip('the key no longer has a rotation webhook');
    if (row.kind === 'scheduled' && (old.revoked_at !== null || old.replaced_by_key_id !== null || keyStatus(old, at) !== 'active')) {
      return skip(`the key is ${keyStatus(old, at)}: its scheduled rotation was overtaken`);
    }

    const graceMinutes = old.rotation_grace_minutes ?? DEFAULT_ROTATION_GRACE_MINUTES;
    const graceExpiresAt = row.kind === 'scheduled' ? at + graceMinutes * 60_000 : row.grace_expires_at;
    const body = rotatedEventBody(
      {
        old_key_id: old.id,
        new_key_id: next.id,
        new_key: this.outbox.openSuccessor(row),
        new_key_prefix: next.key_prefix,
        project_id: old.project_id,
        environment_id: old.environment_id,
        grace_expires_at: graceExpiresAt,
        rotated_at: row.rotated_at ?? at,
      },
      at,
    );
    const headers = signedHeaders(this.outbox.openSecret(old), row.id, new Date(this.options.wallClock.now()), body);

    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      statusCode = (await this.client.post(old.rotation_webhook_url, headers, body, this.stopping.signal)).status;
    } catch (e) {
      if (this.stopping.signal.aborted) return void (await this.outbox.release(row, this.nodeId));
      error = describe(e, this.options.timeoutMs);
    }
    const attempt = { at, statusCode, error, durationMs: Math.round(performance.now() - started) };
    const delay = retryDelay(row.attempts + 1, this.options.random());
    const v = verdict(statusCode, delay !== null);
    if (v === 'delivered') {
      if (row.kind === 'manual') return this.outbox.markDelivered(row, this.nodeId, attempt).catch(ignoreLeaseLost);
      const done = await this.outbox.commitScheduled(row, this.nodeId, attempt, graceExpiresAt!).catch(ignoreLeaseLost);
      if (done === false) await skip('the key was revoked or rotated while its webhook was answered');
      return;
    }
    if (v === 'retry') return this.outbox.scheduleRetry(row, this.nodeId, attempt, at + delay!).catch(ignoreLeaseLost);
    return this.settle(row, attempt, 'abandoned');
  }

  private settle(row: OutboxRow, attempt: Parameters<RotationOutbox['giveUp']>[2], outcome: Extract<DeliveryOutcome, 'abandoned' | 'cancelled'>) {
    return this.outbox.giveUp(row, this.nodeId, attempt, outcome).catch(ignoreLeaseLost);
  }

  /** Stops polling, aborts requests in flight (their leases are given back), waits for the pass to end. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopping.abort();
    await this.passes.current?.catch(() => {});
    await this.client.close().catch(() => {});
  }
}

function ignoreLeaseLost(e: unknown): undefined {
  if (e instanceof LeaseLost) return undefined;
  throw e;
}

/** A failed attempt, said so that the person reading the deliveries list knows what to fix. */
function describe(e: unknown, timeoutMs: number): string {
  if (e instanceof RefusedDestination) return e.message;
  const err = e as Error & { code?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT' || err.code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  if (err.cause instanceof RefusedDestination) return err.cause.message;
  const code = err.code ?? err.cause?.code;
  return `request failed${code ? ` (${code})` : ''}: ${err.cause?.message ?? err.message}`;
}
