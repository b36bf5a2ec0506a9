// Verification counts and latency are kept in plain arrays (src/observability/metrics.ts) and written out by hand:
// the text must be what prom-client's own counter and histogram write for the same verifications.
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/observability/metrics.js';
import { VERIFY_CODES } from '../../src/verify/verifier.js';

// Only the metrics' scrape-time callbacks read these; the two series compared here read none of them.
const metrics = () => new Metrics({} as never, {} as never, { lockout: {}, throttle: {} } as never, { counts: new Map() } as never);

describe('verification metrics', () => {
  it('write the same histogram and counter text as prom-client for the same verifications, bucket edges included', async () => {
    const m = metrics();
    const registry = new Registry();
    const histogram = new Histogram({
      name: 'keymint_verify_duration_seconds',
      help: 'Time to verify a key, inside the node (cache, store on a miss, rate limit)',
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
    const counter = new Counter({ name: 'keymint_verifications_total', help: 'Key verifications by outcome code', labelNames: ['code'], registers: [registry] });
    for (const code of VERIFY_CODES) counter.inc({ code }, 0);
    const seen: [(typeof VERIFY_CODES)[number], number][] = [
      ['VALID', 0.00001],
      ['VALID', 0.00005], // on a bucket's edge: counted in it (le)
      ['NOT_FOUND', 0.0003],
      ['REVOKED', 0.001],
      ['VALID', 0.02],
      ['RATE_LIMITED', 3], // past the last bucket: only +Inf
    ];
    for (const [code, seconds] of seen) {
      m.verified(code, seconds);
      histogram.observe(seconds);
      counter.inc({ code });
    }
    for (const name of ['keymint_verify_duration_seconds', 'keymint_verifications_total']) {
      expect(await m.registry.getSingleMetricAsString(name)).toBe(await registry.getSingleMetricAsString(name));
    }
    // A second scrape after more verifications counts on from the first.
    m.verified('VALID', 0.0001);
    histogram.observe(0.0001);
    counter.inc({ code: 'VALID' });
    await m.registry.getSingleMetricAsString('keymint_verifications_total');
    expect(await m.registry.getSingleMetricAsString('keymint_verifications_total')).toBe(await registry.getSingleMetricAsString('keymint_verifications_total'));
    expect(await m.registry.getSingleMetricAsString('keymint_verify_duration_seconds')).toBe(await registry.getSingleMetricAsString('keymint_verify_duration_seconds'));
  });
});
