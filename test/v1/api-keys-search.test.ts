// GET /v1/api-keys search, filters, sorting and totals on both engines: what the dashboard's key table asks the
// store for, so 100,000 keys are never loaded to find one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Res } from '../support/client.js';
import { engines } from '../support/harness.js';
import { expectProblem, v1World, type V1World } from './fixtures.js';

const DAY = 86_400_000;

describe.each(engines)('key search and filters on %s', (engine) => {
  let w: V1World;
  const ids: Record<string, string> = {};
  const keys: Record<string, string> = {};
  const list = async (query: string) => {
    const res = await w.root.get(`/v1/api-keys?project_id=${w.projectId}&${query}`);
    expect(res.status, res.text).toBe(200);
    return res;
  };
  const names = async (query: string) => ((await list(query)).body as { name: string }[]).map((k) => k.name);

  beforeAll(async () => {
    w = await v1World(engine);
    const make = async (name: string, body: Record<string, unknown> = {}) => {
      const res = await w.createKey({ name, ...body });
      expect(res.status, res.text).toBe(201);
      ids[name] = res.body.id;
      keys[name] = res.body.key;
    };
    await make('Billing-Worker', { role: 'Editor' });
    await make('billing_cron', { expires_in_days: 5 });
    await make('search-api', { expires_in_days: 40, role: 'Admin' });
    await make('revoked-one');
    await make('rotated-one');
    await make('100%_literal');
    expect((await w.root.delete(`/v1/api-keys/${ids['revoked-one']}`)).status).toBe(204);
    const rotated = await w.rotate(ids['rotated-one'], { grace_period_minutes: 0 });
    ids['rotated-next'] = rotated.body.new_key_id;
    // billing_cron is used now; the clock then moves 10 days, so it expires and the others go unused.
    expect((await w.verify(keys.billing_cron)).body.valid).toBe(true);
    await w.node.km.usage.flush();
    w.node.clock.advance(10 * DAY);
  });
  afterAll(async () => w?.close());

  it('searches names in any case, prefixes from their start, ids, and whole keys by digest; % and _ are letters', async () => {
    expect(await names('search=BILLING&sort=name&order=asc')).toEqual(['Billing-Worker', 'billing_cron']);
    const prefix = keys['search-api'].slice(0, 12);
    expect(await names(`search=${encodeURIComponent(prefix)}`)).toEqual(['search-api']);
    expect(await names(`search=${ids['Billing-Worker']}`)).toEqual(['Billing-Worker']);
    expect(await names(`search=${encodeURIComponent(keys['search-api'])}`)).toEqual(['search-api']);
    expect(await names('search=%25_')).toEqual(['100%_literal']);
    expect(await names('search=nothing-like-this')).toEqual([]);
  });

  it('filters by status (each state as keyStatus decides it), role, expiry within N days and unused for N days', async () => {
    expect(await names('status=revoked')).toEqual(['revoked-one']);
    expect(await names('status=rotated')).toEqual(['rotated-one']);
    expect(await names('status=expired')).toEqual(['billing_cron']);
    expect((await names('status=active&sort=name&order=asc')).sort()).toEqual(['100%_literal', 'Billing-Worker', 'rotated-one', 'search-api'].sort());
    expect(await names('role=Admin')).toEqual(['search-api']);
    // search-api expires 40 days after creation, 30 days from now.
    expect(await names('expiring_within_days=29')).toEqual([]);
    expect(await names('expiring_within_days=31')).toEqual(['search-api']);
    // Everything is 10 days old; billing_cron was used 10 days ago, the rotation's successor was made then too.
    expect(await names('unused_for_days=11')).toEqual([]);
    expect((await names('unused_for_days=9')).length).toBe(5);
    expectProblem(await w.root.get(`/v1/api-keys?project_id=${w.projectId}&status=gone`), 400);
    expectProblem(await w.root.get(`/v1/api-keys?project_id=${w.projectId}&unused_for_days=0`), 400);
  });

  it('sorts by name, last use and expiry in both directions, pages by Link, and counts all pages with with_total', async () => {
    expect(await names('sort=name&order=asc')).toEqual(['100%_literal', 'Billing-Worker', 'billing_cron', 'rotated-one', 'search-api']);
    expect(await names('sort=name&order=desc')).toEqual(['search-api', 'rotated-one', 'billing_cron', 'Billing-Worker', '100%_literal']);
    expect((await names('sort=last_used_at&order=desc'))[0]).toBe('billing_cron');
    expect((await names('sort=expires_at&order=asc')).slice(0, 2)).toEqual(['billing_cron', 'search-api']);
    const seen: string[] = [];
    let url: string | null = `/v1/api-keys?project_id=${w.projectId}&sort=name&order=asc&limit=2&with_total=true`;
    while (url) {
      const res: Res = await w.root.get(url);
      expect(res.status, res.text).toBe(200);
      expect(res.headers['x-total-count']).toBe('5');
      seen.push(...(res.body as { name: string }[]).map((k) => k.name));
      url = /<([^>]+)>; rel="next"/.exec(String(res.headers.link ?? ''))?.[1] ?? null;
    }
    expect(seen).toEqual(['100%_literal', 'Billing-Worker', 'billing_cron', 'rotated-one', 'search-api']);
    expect((await list('status=revoked&with_total=true')).headers['x-total-count']).toBe('1');
    // A newest-first cursor is not a position in another order.
    const first = await list('limit=1');
    const cursor = new URL(/<([^>]+)>/.exec(String(first.headers.link))![1], 'http://x').searchParams.get('cursor');
    expectProblem(await w.root.get(`/v1/api-keys?project_id=${w.projectId}&sort=name&cursor=${cursor}`), 400);
  });

  it('filters the audit log by target, action, actor and time', async () => {
    const q = (s: string) => w.root.get(`/v1/audit-events?project_id=${w.projectId}&${s}`);
    const history = (await q(`target_id=${ids['rotated-one']}`)).body as { action: string }[];
    expect(history.map((e) => e.action)).toEqual(['api_key.rotated', 'api_key.created']);
    const revoked = (await q('action=api_key.revoked')).body as { target: { id: string } }[];
    expect(revoked.map((e) => e.target.id)).toEqual([ids['revoked-one']]);
    expect(((await q('actor_id=nobody')).body as unknown[]).length).toBe(0);
    const now = new Date(w.node.clock.now()).toISOString();
    expect(((await q(`from=${now}`)).body as unknown[]).length).toBe(0);
    expect(((await q(`to=${now}&action=api_key.created`)).body as unknown[]).length).toBe(6);
    expectProblem(await q('from=yesterday'), 400);
  });
});
