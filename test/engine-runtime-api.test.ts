import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DeliveredInvocation, RuntimeApiHost } from '../src/engine/runtime-api/host.js';
import { ExtensionHub } from '../src/engine/extensions/extension-hub.js';
import { startRuntimeApi, type RuntimeApiServer } from '../src/engine/runtime-api/server.js';

/** A scripted host: one invocation `abc`, recording what the runtime posts. */
class FakeHost implements RuntimeApiHost {
  answered = false;
  readonly accountId = '000000000000';
  readonly extensions = new ExtensionHub({ functionName: 'fn', functionVersion: '$LATEST', handler: 'index.handler', accountId: this.accountId });
  extensionInitFailed() {}
  posted: Array<{ kind: string; body?: string; errorType?: string; size?: number | null }> = [];
  nextInvocation(): Promise<DeliveredInvocation> {
    return Promise.resolve({ requestId: 'abc', payload: Buffer.from('{"a":1}'), deadlineMs: 1234, invokedFunctionArn: 'arn:fn', traceId: 'Root=1-x', clientContext: '{"custom":{}}' });
  }
  invocationState(id: string) {
    if (id !== 'abc') return 'unknown' as const;
    return this.answered ? ('answered' as const) : ('current' as const);
  }
  respond(_id: string, body: Buffer) {
    this.answered = true;
    this.posted.push({ kind: 'response', body: body.toString() });
  }
  respondTooLarge(_id: string, size: number | null) {
    this.posted.push({ kind: 'too-large', size });
  }
  fail(_id: string, body: Buffer, errorType: string | undefined) {
    this.answered = true;
    this.posted.push({ kind: 'error', body: body.toString(), errorType });
  }
  initError(body: Buffer, errorType: string | undefined) {
    this.posted.push({ kind: 'init', body: body.toString(), errorType });
  }
}

describe('Runtime API 2018-06-01', () => {
  let host: FakeHost;
  let api: RuntimeApiServer;
  const url = (p: string) => `http://${api.address}/2018-06-01/runtime${p}`;
  before(async () => {
    host = new FakeHost();
    api = await startRuntimeApi(host);
  });
  after(() => api.close());

  test('next returns the event with the invocation headers', async () => {
    const res = await fetch(url('/invocation/next'));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '{"a":1}');
    assert.equal(res.headers.get('lambda-runtime-aws-request-id'), 'abc');
    assert.equal(res.headers.get('lambda-runtime-deadline-ms'), '1234');
    assert.equal(res.headers.get('lambda-runtime-invoked-function-arn'), 'arn:fn');
    assert.equal(res.headers.get('lambda-runtime-trace-id'), 'Root=1-x');
    assert.equal(res.headers.get('lambda-runtime-client-context'), '{"custom":{}}');
    assert.equal(res.headers.get('lambda-runtime-cognito-identity'), null);
  });

  test('response is 202 OK once; unknown ids are 400, repeated answers 403, oversize 413', async () => {
    const unknown = await fetch(url('/invocation/nope/response'), { method: 'POST', body: '1' });
    assert.equal(unknown.status, 400);
    assert.equal(((await unknown.json()) as { errorType: string }).errorType, 'InvalidRequestID');
    const big = await fetch(url('/invocation/abc/response'), { method: 'POST', body: Buffer.alloc(6_291_557, 0x61) });
    assert.equal(big.status, 413);
    assert.deepEqual(host.posted.at(-1), { kind: 'too-large', size: 6_291_557 });
    const ok = await fetch(url('/invocation/abc/response'), { method: 'POST', body: '"done"' });
    assert.equal(ok.status, 202);
    assert.deepEqual(await ok.json(), { status: 'OK' });
    const again = await fetch(url('/invocation/abc/response'), { method: 'POST', body: '"twice"' });
    assert.equal(again.status, 403);
    assert.equal(((await again.json()) as { errorType: string }).errorType, 'InvalidStateTransition');
    assert.deepEqual(host.posted.at(-1), { kind: 'response', body: '"done"' });
  });

  test('error and init/error pass the body and the error-type header through', async () => {
    host.answered = false;
    const res = await fetch(url('/invocation/abc/error'), { method: 'POST', body: '{"errorType":"X"}', headers: { 'Lambda-Runtime-Function-Error-Type': 'Function.X' } });
    assert.equal(res.status, 202);
    assert.deepEqual(host.posted.at(-1), { kind: 'error', body: '{"errorType":"X"}', errorType: 'Function.X' });
    const init = await fetch(url('/init/error'), { method: 'POST', body: '{"e":1}', headers: { 'Lambda-Runtime-Function-Error-Type': 'Runtime.Y' } });
    assert.equal(init.status, 202);
    assert.deepEqual(host.posted.at(-1), { kind: 'init', body: '{"e":1}', errorType: 'Runtime.Y' });
  });
});
