// A real Keymint node listening on a free loopback port, and an SDK client for it (root token).
import { ManualClock } from '../../../src/util/clock.js';
import { type EngineName, testNode, type TestNode, type TestNodeOptions } from '../../../test/support/harness.js';
import { Keymint } from '../src/index.js';

export interface SdkWorld {
  node: TestNode;
  url: string;
  keymint: Keymint;
  projectId: string;
  close(): Promise<void>;
}

export async function sdkWorld(engine: EngineName, options: TestNodeOptions = {}): Promise<SdkWorld> {
  const node = await testNode(engine, { clock: new ManualClock(Date.now()), ...options });
  const url = await node.app.listen({ port: 0, host: '127.0.0.1' });
  const keymint = new Keymint({ baseUrl: url, token: node.rootKey });
  const project = await keymint.projects.create({ name: 'acme' });
  return { node, url, keymint, projectId: project.id, close: () => node.close() };
}

/** Resolves when `check` holds, polling; fails after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
