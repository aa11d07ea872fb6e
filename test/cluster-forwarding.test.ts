import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateAliasCommand, CreateFunctionCommand, InvokeCommand, LambdaClient, PublishVersionCommand, PutProvisionedConcurrencyConfigCommand, waitUntilFunctionActiveV2, type InvokeCommandOutput,
} from '@aws-sdk/client-lambda';
import { killClusterNode, removeClusterNode, startClusterNode, until, type ClusterNode } from './support/cluster-nodes.js';
import { createTestDatabase, NO_POSTGRES, postgresReachable, type TestDatabase } from './support/postgres.js';
import { makeZip, ROLE } from './support/zip.js';

const skip = (await postgresReachable()) ? false : NO_POSTGRES;

/** What the function answers: an id drawn once per environment (at Init), and how it was initialized. */
interface Ran {
  id: string;
  init: string;
}

interface Listed {
  url: string;
  self: boolean;
  heartbeatAt: string;
  environments: Record<string, number>;
  idle: Record<string, number>;
  provisioned: Record<string, number>;
  running: number;
}

async function membersSeenBy(node: ClusterNode): Promise<Listed[]> {
  const res = await fetch(`${node.url}/_lambkin/cluster`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { members: Listed[] }).members;
}

/** The count `counts` holds for `name`'s `version`, whatever the account and region. */
function countOf(counts: Record<string, number>, name: string, version: string): number {
  return Object.entries(counts).filter(([key]) => key.split('/')[2] === name && key.split('/')[3] === version).reduce((sum, [, n]) => sum + n, 0);
}

function ranOf(out: InvokeCommandOutput): Ran {
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return JSON.parse(Buffer.from(out.Payload ?? []).toString()) as Ran;
}

describe('cluster: sync invokes go to the node with an idle environment', { skip }, () => {
  let database: TestDatabase;
  const nodes: ClusterNode[] = [];
  let version = '';
  /** The node holding the provisioned environment, and the one holding none. */
  let holder: ClusterNode;
  let other: ClusterNode;

  /** Waits until `other` has read a heartbeat of `holder` written after `since` that shows its idle environment. */
  async function holderIdleSeen(since: number): Promise<void> {
    await until(async () => {
      const seen = (await membersSeenBy(other)).find((m) => m.url === holder.url);
      return seen !== undefined && Date.parse(seen.heartbeatAt) > since && countOf(seen.idle, 'pinned', version) >= 1;
    }, 30_000, 'the holder\'s idle environment in the other node\'s view');
  }

  before(async () => {
    database = await createTestDatabase();
    // Heartbeats of 1 s: a killed node stays listed for 5 s, so an invoke right after the kill is
    // forwarded to it and refused.
    // The first node runs one invocation at a time before it forwards (the other sets no capacity).
    for (let i = 0; i < 2; i++) nodes.push(await startClusterNode(database, { LAMBKIN_CLUSTER_HEARTBEAT_MS: '1000', ...(i === 0 ? { LAMBKIN_NODE_CAPACITY: '1' } : {}) }));
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    await a.lambda.send(new CreateFunctionCommand({
      FunctionName: 'pinned', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE,
      Code: {
        ZipFile: makeZip({
          'index.js': `const id = require('node:crypto').randomUUID();
exports.handler = async (e) => {
  if (e.fail) throw new Error('boom');
  return { id, init: process.env.AWS_LAMBDA_INITIALIZATION_TYPE };
};`,
        }),
      },
    }));
    await waitUntilFunctionActiveV2({ client: a.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'pinned' });
    version = (await a.lambda.send(new PublishVersionCommand({ FunctionName: 'pinned' }))).Version!;
    await a.lambda.send(new CreateAliasCommand({ FunctionName: 'pinned', Name: 'live', FunctionVersion: version }));
    await b.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'pinned', Qualifier: version, ProvisionedConcurrentExecutions: 1 }));
    let holderUrl = '';
    await until(async () => {
      const held = (await membersSeenBy(a)).filter((m) => countOf(m.provisioned, 'pinned', version) > 0);
      holderUrl = held[0]?.url ?? '';
      return held.length === 1;
    }, 40_000, 'the provisioned environment');
    holder = nodes.find((n) => n.url === holderUrl)!;
    other = nodes.find((n) => n !== holder)!;
  });
  after(async () => {
    for (const node of nodes) await removeClusterNode(node);
    await database?.drop();
  });

  test('an invoke through the node without the provisioned environment runs on that environment, and starts none there', async () => {
    const direct = ranOf(await holder.lambda.send(new InvokeCommand({ FunctionName: 'pinned', Qualifier: version })));
    assert.equal(direct.init, 'provisioned-concurrency');
    await holderIdleSeen(Date.now());

    const forwarded = await other.lambda.send(new InvokeCommand({ FunctionName: 'pinned', Qualifier: version, LogType: 'Tail', Payload: Buffer.from('{"n":1}') }));
    assert.deepEqual(ranOf(forwarded), direct);
    assert.equal(forwarded.StatusCode, 200);
    assert.equal(forwarded.ExecutedVersion, version);
    // The log tail of the run on the holder, as the holder answered it.
    assert.match(Buffer.from(forwarded.LogResult ?? '', 'base64').toString(), /REPORT RequestId: /);

    // Through an alias: the version it resolves to is the provisioned one.
    await holderIdleSeen(Date.now());
    const viaAlias = await other.lambda.send(new InvokeCommand({ FunctionName: 'pinned', Qualifier: 'live' }));
    assert.deepEqual(ranOf(viaAlias), direct);
    assert.equal(viaAlias.ExecutedVersion, version);

    // No environment was ever started on the other node (its own heartbeat after the invokes says so).
    const since = Date.now();
    await until(async () => {
      const self = (await membersSeenBy(other)).find((m) => m.self);
      return self !== undefined && Date.parse(self.heartbeatAt) > since;
    }, 30_000, 'a heartbeat of the other node');
    const self = (await membersSeenBy(other)).find((m) => m.self)!;
    assert.equal(Object.values(self.environments).reduce((a, b) => a + b, 0) - (self.environments.dead ?? 0), 0, JSON.stringify(self.environments));
  });

  test('a forwarded invoke whose function throws comes back with X-Amz-Function-Error: Unhandled', async () => {
    await holderIdleSeen(Date.now());
    const out = await other.lambda.send(new InvokeCommand({ FunctionName: 'pinned', Qualifier: version, Payload: Buffer.from('{"fail":true}') }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    assert.equal(out.ExecutedVersion, version);
    const error = JSON.parse(Buffer.from(out.Payload ?? []).toString()) as { errorType: string; errorMessage: string };
    assert.deepEqual([error.errorType, error.errorMessage], ['Error', 'boom']);
    const self = (await membersSeenBy(other)).find((m) => m.self)!;
    assert.equal(countOf(self.idle, 'pinned', version), 0, 'no environment of its own on the other node');
  });

  test('a node at its capacity (LAMBKIN_NODE_CAPACITY=1) forwards a second invoke to a node under it', async () => {
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    await a.lambda.send(new CreateFunctionCommand({
      FunctionName: 'slow', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 30,
      Code: { ZipFile: makeZip({ 'index.js': `const id = require('node:crypto').randomUUID();
exports.handler = async () => { await new Promise((r) => setTimeout(r, 4000)); return { id }; };` }) },
    }));
    await waitUntilFunctionActiveV2({ client: a.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'slow' });
    const first = a.lambda.send(new InvokeCommand({ FunctionName: 'slow' }));
    // A's running invocation is counted before the second arrives.
    await until(async () => ((await membersSeenBy(a)).find((m) => m.self)?.running ?? 0) >= 1, 30_000, 'the first invocation running on A');
    const second = ranOf(await a.lambda.send(new InvokeCommand({ FunctionName: 'slow' })));
    assert.notEqual(second.id, ranOf(await first).id);
    // The second ran on B: B has an environment of `slow`, A's only one ran the first.
    const since = Date.now();
    await until(async () => {
      const self = (await membersSeenBy(b)).find((m) => m.self);
      return self !== undefined && Date.parse(self.heartbeatAt) > since;
    }, 30_000, 'a heartbeat of B');
    const onB = (await membersSeenBy(b)).find((m) => m.self)!;
    assert.equal(countOf(onB.idle, 'slow', '$LATEST'), 1, JSON.stringify(onB.idle));
  });

  // Last: it kills the holder.
  test('after kill -9 of the holder, an invoke through the survivor is still answered (run there)', async () => {
    const direct = ranOf(await holder.lambda.send(new InvokeCommand({ FunctionName: 'pinned', Qualifier: version })));
    await holderIdleSeen(Date.now());
    await killClusterNode(holder);
    // The survivor still lists the holder (its heartbeat expires after 5 s): the forward is refused,
    // and the invoke runs on the survivor instead. Or, when the survivor sent it on a kept-alive
    // connection the kill has not yet visibly closed, the reset gets a ServiceException (it cannot
    // tell that apart from a node that died mid-invoke), which the SDK's default retries resend.
    const retrying = new LambdaClient({ endpoint: other.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const out = ranOf(await retrying.send(new InvokeCommand({ FunctionName: 'pinned', Qualifier: version })));
    retrying.destroy();
    assert.notEqual(out.id, direct.id);
    assert.ok(['on-demand', 'provisioned-concurrency'].includes(out.init), out.init);
    assert.ok(ranOf(await other.lambda.send(new InvokeCommand({ FunctionName: 'pinned', Qualifier: version }))).id);
  });
});
