import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AwsError } from '../src/contracts/aws-error.js';
import type { RestJsonRequest } from '../src/protocols/rest-json.js';
import type { ResolvedInvocation } from '../src/services/lambda/function-invoker.js';
import { FORWARDED_VERSION_HEADER, InvokeForwarding } from '../src/services/lambda/invoke-forwarding.js';
import type { Member, MemberLoad } from '../src/store/cluster/membership.js';
import type { NodeAnswer, NodeRequest } from '../src/store/cluster/node-calls.js';
import { createLogger } from '../src/logger.js';

const KEY = '000000000000/us-east-1/fn/3';

function member(nodeId: string, load: Partial<MemberLoad>): Member {
  return { nodeId, url: `http://${nodeId}`, startedAt: 0, heartbeatAt: 0, draining: false, load: { inFlight: 0, environments: {}, functions: {}, ...load } };
}

const invocation = {
  ref: { scope: { accountId: '000000000000', region: 'us-east-1' }, name: 'fn', qualifier: 'live' },
  version: '3',
  runnable: true,
  state: 'Active',
  reservedConcurrency: null,
  row: { version: '3', codeHex: 'ab'.repeat(32), config: { FunctionName: 'fn', Runtime: 'nodejs22.x', Handler: 'index.handler', MemorySize: 128, Timeout: 3 } },
} as unknown as ResolvedInvocation;

const request = {
  method: 'POST', rawPath: '/2015-03-31/functions/fn/invocations', query: new URLSearchParams('Qualifier=live'), headers: { host: 'a' }, body: Buffer.from('{}'), requestId: 'r-1',
} as unknown as RestJsonRequest;

interface Setup {
  members: Member[];
  idleHere?: boolean;
  running?: number;
  capacity?: number;
  send?: (url: string, request: NodeRequest) => Promise<NodeAnswer>;
}

function forwardingOf(setup: Setup): { forwarding: InvokeForwarding; sent: Array<{ url: string; request: NodeRequest }> } {
  const sent: Array<{ url: string; request: NodeRequest }> = [];
  const forwarding = new InvokeForwarding({
    nodeId: 'self',
    members: () => [member('self', {}), ...setup.members],
    expiryMs: 60_000,
    send: (url, req) => {
      sent.push({ url, request: req });
      return setup.send ? setup.send(url, req) : Promise.resolve({ status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: Buffer.from('"x"') });
    },
    engine: { hasIdle: () => setup.idleHere ?? false, invocationsUnderWay: () => setup.running ?? 0 },
    ...(setup.capacity !== undefined ? { capacity: setup.capacity } : {}),
    logger: createLogger('silent'),
  });
  return { forwarding, sent };
}

function refusal(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('invoke forwarding: where a sync invoke runs', () => {
  test('goes to the node with provisioned environments of the version, with the drawn version, and answers as it did', async () => {
    const { forwarding, sent } = forwardingOf({ members: [member('b', { idle: { [KEY]: 3 } }), member('c', { provisioned: { [KEY]: 1 } })] });
    const answer = await forwarding.forward(invocation, request);
    assert.deepEqual(answer, { status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: Buffer.from('"x"') });
    assert.equal(sent[0]!.url, 'http://c');
    assert.equal(sent[0]!.request.path, '/2015-03-31/functions/fn/invocations?Qualifier=live');
    assert.equal(sent[0]!.request.headers[FORWARDED_VERSION_HEADER], '3');
    assert.equal(sent[0]!.request.requestId, 'r-1');
  });

  test('runs here when an environment is idle here, when no node reports one, or for another version', async () => {
    assert.equal(await forwardingOf({ members: [member('b', { idle: { [KEY]: 1 } })], idleHere: true }).forwarding.forward(invocation, request), undefined);
    assert.equal(await forwardingOf({ members: [member('b', {})] }).forwarding.forward(invocation, request), undefined);
    assert.equal(await forwardingOf({ members: [member('b', { idle: { '000000000000/us-east-1/fn/2': 1 } })] }).forwarding.forward(invocation, request), undefined);
  });

  test('forwards under way use up the environments a node reported', async () => {
    let finish: (answer: NodeAnswer) => void = () => undefined;
    const { forwarding, sent } = forwardingOf({ members: [member('b', { provisioned: { [KEY]: 1 } })], send: () => new Promise((resolve) => (finish = resolve)) });
    const first = forwarding.forward(invocation, request);
    assert.equal(await forwarding.forward(invocation, request), undefined);
    finish({ status: 200, headers: {}, body: Buffer.alloc(0) });
    assert.equal((await first)?.status, 200);
    assert.equal(sent.length, 1);
  });

  test('a refused connection runs the invoke here and skips that node; any other failure is a ServiceException, and the node is skipped too', async () => {
    const refused = forwardingOf({ members: [member('b', { idle: { [KEY]: 1 } })], send: () => Promise.reject(refusal('ECONNREFUSED')) });
    assert.equal(await refused.forwarding.forward(invocation, request), undefined);
    assert.equal(await refused.forwarding.forward(invocation, request), undefined);
    assert.equal(refused.sent.length, 1);
    const reset = forwardingOf({ members: [member('b', { idle: { [KEY]: 1 } })], send: () => Promise.reject(refusal('ECONNRESET')) });
    await assert.rejects(reset.forwarding.forward(invocation, request), (err: unknown) => err instanceof AwsError && err.code === 'ServiceException' && err.status === 500);
    // The client's retry runs here: the node is skipped now.
    assert.equal(await reset.forwarding.forward(invocation, request), undefined);
    assert.equal(reset.sent.length, 1);
  });

  test('a 503 from the node (no invoke ran there) runs the invoke here', async () => {
    const { forwarding } = forwardingOf({ members: [member('b', { idle: { [KEY]: 1 } })], send: () => Promise.resolve({ status: 503, headers: {}, body: Buffer.alloc(0) }) });
    assert.equal(await forwarding.forward(invocation, request), undefined);
  });

  test('at its capacity a node forwards to the least loaded node under its own, never to a draining one', async () => {
    const members = [member('b', { running: 2, capacity: 2 }), member('c', { running: 1 }), { ...member('d', { running: 0 }), draining: true }];
    assert.equal(await forwardingOf({ members, running: 1, capacity: 2 }).forwarding.forward(invocation, request), undefined);
    const { forwarding, sent } = forwardingOf({ members, running: 2, capacity: 2 });
    assert.equal((await forwarding.forward(invocation, request))?.status, 200);
    assert.equal(sent[0]!.url, 'http://c');
    assert.equal(await forwardingOf({ members, running: 2, capacity: 2, idleHere: true }).forwarding.forward(invocation, request), undefined);
  });
});
