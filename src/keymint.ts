// The parts of one Keymint node, wired once: store, services, verification, background work.
import { Admission } from './auth/admission.js';
import { Authenticator } from './auth/authenticator.js';
import { ABSOLUTE_SESSION_MS, DashboardSessions } from './auth/dashboard-sessions.js';
import { SYSTEM } from './auth/principal.js';
import { RecentCredentials } from './auth/recent-credentials.js';
import { RootKeys } from './auth/root-keys.js';
import { VerifierKeys } from './auth/verifier-keys.js';
import { createCredits, type Credits } from './verify/credits.js';
import { type Clock, systemClock } from './util/clock.js';
import type { Config } from './config.js';
import { dataFolderKey, type Sealer, sealer } from './crypto/seal.js';
import { createLimits, type Limits } from './limits/limits.js';
import { BackgroundFailures } from './observability/background.js';
import { Metrics } from './observability/metrics.js';
import { KeyService } from './service/api-keys.js';
import { OwnerService } from './service/owners.js';
import { ProjectService } from './service/projects.js';
import { AuditService } from './service/audit.js';
import { KeyImport } from './service/key-import.js';
import { migrate, openStore, type Store } from './store/db.js';
import { writeAudit } from './store/journal.js';
import { RotationOutbox } from './rotation/outbox.js';
import { defaultRotationOptions, type RotationOptions, RotationScheduler } from './rotation/scheduler.js';
import { ChangeFeed } from './verify/change-feed.js';
import { KeyCache } from './verify/key-cache.js';
import { UsageRecorder } from './verify/usage.js';
import { Verifier } from './verify/verifier.js';

export interface Keymint {
  config: Config;
  clock: Clock;
  store: Store;
  sealer: Sealer;
  projects: ProjectService;
  keys: KeyService;
  /** Owners of keys: Grafana service accounts, v1 identities. */
  owners: OwnerService;
  audit: AuditService;
  /** Keys imported from another system by digest. */
  keyImport: KeyImport;
  cache: KeyCache;
  feed: ChangeFeed;
  usage: UsageRecorder;
  verifier: Verifier;
  rootKeys: RootKeys;
  /** Credentials that may only verify. */
  verifierKeys: VerifierKeys;
  /** Where verifications spend credits: Redis when configured, else the store. */
  credits: Credits;
  /** Lockout -> credential -> management request limit, for every surface. */
  admission: Admission;
  /** The credential kinds surfaces accept (add new kinds here and to the surface's gate). */
  credentials: {
    /** `Authorization: Bearer <key>` (root or project key). */
    bearer: Authenticator;
    /** The same, or Grafana's `Basic base64(api_key:<key>)`. */
    bearerOrBasic: Authenticator;
  };
  /** Failures of background work: logged as JSON, counted in /metrics. */
  background: BackgroundFailures;
  /** Dashboard sign-ins (session cookies), stored so every node knows them. */
  sessions: DashboardSessions;
  /** Scheduled rotations and rotation webhooks. */
  rotation: RotationScheduler;
  /** Per-key rate limits, lockout, per-credential request limits (Redis when configured). */
  limits: Limits;
  metrics: Metrics;
  /** What this start's migrations had to say (repairs made), for the app to log. */
  migrationNotes: string[];
  /** The root key minted on this start, if any: printed once by the caller, never logged. */
  bootstrapRootKey: string | null;
  /** Stops background work, flushes what is batched, closes the store. */
  close(): Promise<void>;
}

export interface KeymintOptions {
  clock?: Clock;
  /** Run migrations on start (default true; `keymint migrate` runs them alone). */
  migrate?: boolean;
  /** Rotation worker settings (tests shorten the webhook timeout or inject DNS). */
  rotation?: Partial<RotationOptions>;
}

export async function createKeymint(config: Config, options: KeymintOptions = {}): Promise<Keymint> {
  const clock = options.clock ?? systemClock;
  const background = new BackgroundFailures();
  const store = openStore(config.databaseUrl, background.on('sqlite_checkpoint'));
  let limits: Limits | null = null;
  try {
    const migrationNotes = options.migrate !== false ? await migrate(store) : [];
    const seal = sealer(config.encryptionKey ?? dataFolderKey(store.dataDir!));
    const cache = new KeyCache(store, clock);
    const feed = new ChangeFeed(store, cache, clock);
    const projects = new ProjectService(store, clock, feed);
    const keys = new KeyService(store, clock, feed, projects, seal, { webhookAllowPrivate: config.webhookAllowPrivate });
    const owners = new OwnerService(store, clock, feed, projects, keys);
    const usage = new UsageRecorder(store);
    usage.onError = background.on('usage_flush');
    feed.onError = (e, during) => background.report('change_feed', e, { during });
    const verifier = new Verifier(cache, clock, usage);
    limits = await createLimits(config);
    const metrics = new Metrics(store, cache, limits, background);
    verifier.limiter = limits.keyRates.take.bind(limits.keyRates);
    verifier.ownerLimiter = limits.keyRates.takeOwner.bind(limits.keyRates);
    verifier.observer = metrics.verified.bind(metrics);
    const credits = createCredits(store, limits.redis, config.redisPrefix);
    verifier.credits = credits;
    keys.credits = credits;
    const verifierKeys = new VerifierKeys(store, clock, feed, projects);
    feed.onVerifier = () => verifierKeys.load();
    await verifierKeys.load();
    const rootKeys = new RootKeys(store, clock, config.rootKey);
    feed.onRoot = () => rootKeys.load();
    await rootKeys.load();
    const bootstrapRootKey = await rootKeys.bootstrap();
    const rotation = new RotationScheduler(new RotationOutbox(store, seal, feed), keys, projects, clock, {
      ...defaultRotationOptions(config.webhookAllowPrivate),
      ...options.rotation,
    });
    const keyImport = new KeyImport(store, clock, feed, keys, projects);
    keyImport.onImported = feed.onImport = () => (verifier.foreignKeys = true);
    verifier.foreignKeys = (await store.db.selectFrom('audit_events').select('seq').where('action', '=', 'api_key.imported').limit(1).executeTakeFirst()) !== undefined;
    keys.onRotated = (trx, old, next, plaintext, now) => rotation.outbox.enqueueManual(trx, old, next, plaintext, now);
    keys.onRetired = (trx, keyId, now) => rotation.outbox.expedite(trx, keyId, now);
    projects.onDeleted = (trx, projectId, now) => rotation.outbox.expediteProject(trx, projectId, now);
    rotation.outbox.onOutcome = (outcome) => metrics.webhookDeliveries.inc({ outcome });
    rotation.onError = background.on('rotation_scheduler');
    // Each lock is an audit event (root's audit listing shows it: no project), and a JSON log line.
    limits.lockout.onLock = ({ ip, failures, seconds }) => {
      background.log.warn({ event: 'lockout', ip, failures, seconds }, 'client address locked out after failed authentications');
      writeAudit(store.db, { principal: { kind: 'system', id: 'lockout' }, ip }, clock.now(), {
        action: 'address.locked',
        target: { type: 'address', id: ip },
        projectId: null,
      }).catch(background.on('audit', { action: 'address.locked' }));
    };
    limits.lockout.onError = background.on('lockout');
    const recent = new RecentCredentials(clock);
    keys.onMinted = (digest) => recent.remember(digest);
    const bearer = new Authenticator(verifier, rootKeys, clock, recent, verifierKeys);
    const admission = new Admission(limits.lockout, limits.throttle, clock, { keyUsed: (numId, now) => usage.touch(numId, now) });
    await feed.start();
    // Grafana 12 starts by migrating every API key to a service account token; so does Keymint in that mode.
    if (config.grafanaCompat === '12') {
      for (const p of await projects.list()) await owners.migrateAll(p.id, p.org_id, SYSTEM);
    }
    usage.start();
    rotation.start();
    return {
      config,
      clock,
      store,
      sealer: seal,
      projects,
      keys,
      owners,
      audit: new AuditService(store),
      keyImport,
      cache,
      feed,
      usage,
      verifier,
      rootKeys,
      verifierKeys,
      credits,
      admission,
      credentials: { bearer, bearerOrBasic: bearer.withBasic() },
      background,
      sessions: new DashboardSessions(store, clock, rootKeys, { idleMs: config.sessionIdleMinutes * 60_000, absoluteMs: ABSOLUTE_SESSION_MS }),
      rotation,
      limits,
      metrics,
      migrationNotes,
      bootstrapRootKey,
      async close() {
        await rotation.stop();
        await feed.stop();
        await usage.stop().catch(() => {});
        await credits.close();
        await limits!.close();
        await store.close();
      },
    };
  } catch (e) {
    await limits?.close().catch(() => {});
    await store.close().catch(() => {});
    throw e;
  }
}
