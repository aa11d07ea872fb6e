import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ExtensionHub } from '../src/engine/extensions/extension-hub.js';
import type { DeliveredInvocation, HangUpHook, RuntimeApiHost } from '../src/engine/runtime-api/host.js';
import { startRuntimeApi, type RuntimeApiServer } from '../src/engine/runtime-api/server.js';

/** A host whose next invocation arrives when the test says so. */
class SteppedHost implements RuntimeApiHost {
  readonly accountId = '000000000000';
  readonly extensions = new ExtensionHub({ functionName: 'fn', functionVersion: '$LATEST', handler: 'index.handler', accountId: this.accountId });
  current = 'first';
  readonly answered = new Set<string>();
  hangUps = 0;
  private pending: ((invocation: DeliveredInvocation) => void) | undefined;
  extensionInitFailed() {}
  nextInvocation(onHangUp: HangUpHook): Promise<DeliveredInvocation> {
    return new Promise((resolve, reject) => {
      this.pending = resolve;
      onHangUp(() => {
        this.hangUps++;
        reject(new Error('hung up'));
      });
    });
  }
  deliver(requestId: string): void {
    this.current = requestId;
    this.pending?.({ requestId, payload: Buffer.from(`{"id":"${requestId}"}`), deadlineMs: 1, invokedFunctionArn: 'arn:fn', traceId: 'Root=1-x' });
  }
  invocationState(id: string) {
    if (this.answered.has(id)) return 'answered' as const;
    return id === this.current ? ('current' as const) : ('unknown' as const);
  }
  respond(id: string) {
    this.answered.add(id);
  }
  respondTooLarge() {}
  fail(id: string) {
    this.answered.add(id);
  }
  initError() {}
}

/** A raw connection that records everything the Runtime API sends back. */
function connect(api: RuntimeApiServer): Promise<{ socket: net.Socket; received: () => string }> {
  const [host, port] = api.address.split(':');
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = net.connect({ host, port: Number(port) }, () => resolve({ socket, received: () => received }));
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
  });
}

const post = (id: string, body: string) => `POST /2018-06-01/runtime/invocation/${id}/response HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const NEXT = 'GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n';
const statuses = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('Runtime API: an answer pipelined with the next poll', () => {
  let host: SteppedHost;
  let api: RuntimeApiServer;
  before(async () => {
    host = new SteppedHost();
    api = await startRuntimeApi(host);
  });
  after(() => api.close());

  test('the 202 is held until the next event and goes out just before it, in order', async () => {
    host.current = 'first';
    const { socket, received } = await connect(api);
    socket.write(post('first', '"one"') + NEXT);
    await until(() => host.answered.has('first'));
    assert.ok(host.answered.has('first'), 'the answer is taken at once');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(received(), '', 'nothing is sent while the poll waits');
    host.deliver('second');
    await until(() => statuses(received()).length === 2);
    assert.deepEqual(statuses(received()), [202, 200]);
    assert.ok(received().indexOf('{"status":"OK"}') < received().indexOf('{"id":"second"}'));
    assert.match(received(), /lambda-runtime-aws-request-id: second/i);
    socket.destroy();
  });

  test('an answer without a poll behind it gets its 202 at once', async () => {
    host.current = 'third';
    const { socket, received } = await connect(api);
    socket.write(post('third', '"three"'));
    await until(() => statuses(received()).length === 1);
    assert.deepEqual(statuses(received()), [202]);
    socket.destroy();
  });

  test('a runtime that hangs up while its 202 is held leaves the server serving', async () => {
    host.current = 'fourth';
    const before = host.hangUps;
    const { socket } = await connect(api);
    socket.write(post('fourth', '"four"') + NEXT);
    await until(() => host.answered.has('fourth'));
    socket.destroy();
    await until(() => host.hangUps > before);
    assert.equal(host.hangUps, before + 1);
    host.current = 'fifth';
    const again = await connect(api);
    again.socket.write(post('fifth', '"five"'));
    await until(() => statuses(again.received()).length === 1);
    assert.deepEqual(statuses(again.received()), [202]);
    again.socket.destroy();
  });
});
