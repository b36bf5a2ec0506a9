import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/auth/principal.js';
import type { KeyRef } from '../../src/verify/usage.js';
import { engines, testNode } from '../support/harness.js';
import { withLastUse } from '../../src/store/last-used.js';

/** The values each usage statement carried, statement by statement, in the order they ran. */
class FlushStatements implements KyselyPlugin {
  readonly counts: unknown[][] = [];
  readonly lastUsed: unknown[][] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const text = JSON.stringify(args.node);
    const values: unknown[] = [];
    // Insert rows arrive as lists of primitives, a raw statement's parameters as value nodes; both in statement order.
    JSON.parse(text, (_, v) => {
      if (v?.kind === 'ValueNode') values.push(v.value);
      if (v?.kind === 'PrimitiveValueListNode') values.push(...v.values);
      return v;
    });
    if (text.includes('"usage_counts"') && args.node.kind === 'InsertQueryNode') this.counts.push(values);
    if (text.includes('"key_last_used"') && args.node.kind === 'InsertQueryNode') this.lastUsed.push(values);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const ascending = (xs: readonly (string | number)[]) => xs.every((x, i) => i === 0 || xs[i - 1] <= x);

describe.each(engines)('the usage flush on %s', (engine) => {
  it('writes its rows in one key order across all its statements, not only within each', async () => {
    const node = await testNode(engine);
    try {
      await node.km.usage.stop();
      const project = await node.km.projects.create('acme', SYSTEM);
      const keys: KeyRef[] = [];
      for (let i = 0; i < 300; i++) keys.push((await node.km.keys.create({ kind: 'root', id: 'test' }, { project_id: project.id, name: `k${i}` }, SYSTEM)).row);
      const statements = new FlushStatements();
      node.km.store.db = node.km.store.db.withPlugin(statements);
      const at = node.clock.now();
      for (const k of [...keys].sort(() => Math.random() - 0.5)) node.km.usage.recordCount(k, 'VALID', 1, at);
      await node.km.usage.flush();

      expect(statements.counts).toHaveLength(3);
      const ids = statements.counts.flat().filter((v): v is string => typeof v === 'string' && v.startsWith('key_'));
      expect(ids).toHaveLength(300);
      expect(ascending(ids)).toBe(true);
      expect(statements.lastUsed).toHaveLength(3);
      // Pairs of (num_id, instant).
      const numIds = statements.lastUsed.flat().filter((_, i) => i % 2 === 0).map(Number);
      expect(numIds.sort((a, b) => a - b)).toEqual(keys.map((k) => Number(k.num_id)).sort((a, b) => a - b));
      expect(ascending(statements.lastUsed.flat().filter((_, i) => i % 2 === 0).map(Number))).toBe(true);

      const rows = await node.km.store.db.selectFrom('api_keys').select(withLastUse).where('project_id', '=', project.id).execute();
      expect(rows.map((r) => Number(r.last_used_at))).toEqual(keys.map(() => at));
      const counted = await node.km.store.db.selectFrom('usage_counts').select(({ fn }) => fn.sum<number>('count').as('n')).executeTakeFirstOrThrow();
      expect(Number(counted.n)).toBe(300);
    } finally {
      await node.close();
    }
  });

  it('never moves a stored last use back: a report of older verifications (a local verifier\'s late batch) leaves it', async () => {
    const node = await testNode(engine);
    try {
      await node.km.usage.stop();
      const project = await node.km.projects.create('acme', SYSTEM);
      const key = (await node.km.keys.create({ kind: 'root', id: 'test' }, { project_id: project.id, name: 'k' }, SYSTEM)).row;
      const lastUsed = async () => Number((await node.km.store.db.selectFrom('api_keys').select(withLastUse).where('id', '=', key.id).executeTakeFirstOrThrow()).last_used_at);
      const at = node.clock.now();
      node.km.usage.recordCount(key, 'VALID', 1, at + 5_000);
      await node.km.usage.flush();
      expect(await lastUsed()).toBe(at + 5_000);
      node.km.usage.recordCount(key, 'VALID', 1, at + 1_000);
      await node.km.usage.flush();
      expect(await lastUsed()).toBe(at + 5_000);
      node.km.usage.recordCount(key, 'VALID', 1, at + 9_000);
      await node.km.usage.flush();
      expect(await lastUsed()).toBe(at + 9_000);
    } finally {
      await node.close();
    }
  });
});
