// The name rules every surface relies on live in the services: whatever a surface checks (or forgets),
// a name the store cannot keep exactly as sent, or an over-long one, is a validation error and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Principal } from '../../src/auth/principal.js';
import { ServiceError } from '../../src/service/errors.js';
import { engines, testNode, type TestNode } from '../support/harness.js';

const root: Principal = { kind: 'root', id: 'root' };
const actor: Actor = { principal: root, ip: null };
const BAD = ['a\u0000b', '\ud800', 'x\udc00', 'n'.repeat(256), ''];

async function refused(p: Promise<unknown>, location: string) {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ServiceError);
  expect((e as ServiceError).kind).toBe('validation');
  expect((e as ServiceError).location).toBe(location);
}

describe.each(engines)('service name rules on %s', (engine) => {
  let node: TestNode;
  let projectId: string;
  beforeAll(async () => {
    node = await testNode(engine);
    projectId = (await node.km.projects.create('p', actor)).id;
  });
  afterAll(() => node.close());

  const count = async (table: 'api_keys' | 'projects' | 'environments' | 'audit_events') =>
    Number((await node.km.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('key, project and environment names: refused before any write', async () => {
    const key = (await node.km.keys.create(root, { project_id: projectId, name: 'ok' }, actor)).row;
    const before = await Promise.all([count('api_keys'), count('projects'), count('environments'), count('audit_events')]);
    for (const name of BAD) {
      await refused(node.km.keys.create(root, { project_id: projectId, name }, actor), 'body.name');
      await refused(node.km.keys.update(root, key.id, { name }, actor), 'body.name');
      await refused(node.km.projects.create(name, actor), 'body.name');
      await refused(node.km.projects.createEnvironment(projectId, { name }, actor), 'body.name');
    }
    expect(await Promise.all([count('api_keys'), count('projects'), count('environments'), count('audit_events')])).toEqual(before);
    expect(await node.km.keys.findLiveByName(projectId, 'a\u0000b')).toBeUndefined();
  });

  it('accepts 255 characters, astral ones counted once, and control characters other than NUL', async () => {
    for (const name of ['💥'.repeat(255), 'tab\there', 'n'.repeat(255)]) {
      const { row } = await node.km.keys.create(root, { project_id: projectId, name }, actor);
      expect(row.name).toBe(name);
      expect((await node.km.keys.findLiveByName(projectId, name))?.id).toBe(row.id);
    }
  });
});
