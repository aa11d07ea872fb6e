import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type InvokeCommandOutput, type LambdaClient, type Runtime,
} from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

/**
 * The Node bootstrap against AWS's own runtime client: aws-lambda-ric 3 for nodejs22.x and older
 * (expectations checked against the unmodified 3.3.0 client run through Lambkin), aws-lambda-ric 4
 * for nodejs24.x.
 */

// `boot` tells environments apart: a crash must leave the next invoke a fresh one.
const CRASHER = `const boot = Math.random().toString(36).slice(2);
exports.handler = async (event) => {
  if (event.throwLater) setTimeout(() => { throw new TypeError('late boom'); }, 10);
  else if (event.rejectLater) Promise.reject(new Error('nobody caught me'));
  else if (event.rejectWith !== undefined) Promise.reject(event.rejectWith);
  else return { boot };
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return { boot, survived: true };
};
`;

const THROWER = `class Oops extends Error {}
exports.handler = async (event) => {
  if (event.kind === 'unnamed') throw new Oops('no name of its own');
  if (event.kind === 'named') { const e = new Oops('named'); e.name = 'CustomName'; throw e; }
  if (event.kind === 'string') throw 'just a string';
  if (event.kind === 'object') throw { a: 1 };
  if (event.kind === 'undefined') throw undefined;
  return 'no throw';
};
`;

const FUNCTIONS: Record<string, { Runtime: Runtime; files: Record<string, string> }> = {
  crasher: { Runtime: 'nodejs22.x', files: { 'index.js': CRASHER } },
  'crasher-24': { Runtime: 'nodejs24.x', files: { 'index.js': CRASHER } },
  'init-rejects': { Runtime: 'nodejs22.x', files: { 'index.js': "Promise.reject(new Error('init reject'));\nexports.handler = async () => 'ok';\n" } },
  thrower: { Runtime: 'nodejs22.x', files: { 'index.js': THROWER } },
  'thrower-24': { Runtime: 'nodejs24.x', files: { 'index.js': THROWER } },
  multiline: {
    Runtime: 'nodejs22.x',
    files: { 'index.js': "exports.handler = async () => { console.log('one\\ntwo\\nthree'); console.warn('%s|%s', 'a\\nb', 'c'); return 1; };\n" },
  },
  'sync-return': { Runtime: 'nodejs22.x', files: { 'index.js': 'exports.handler = (event) => ({ sync: true, event });\n' } },
  'sync-return-24': { Runtime: 'nodejs24.x', files: { 'index.js': 'exports.handler = (event) => ({ sync: true, event });\n' } },
  'sync-thenable': { Runtime: 'nodejs22.x', files: { 'index.js': "exports.handler = () => Promise.resolve('from the promise');\n" } },
  'sync-succeed': { Runtime: 'nodejs22.x', files: { 'index.js': "exports.handler = (event, context) => { setTimeout(() => context.succeed('via succeed'), 20); return 'ignored'; };\n" } },
  'never-settles': { Runtime: 'nodejs22.x', files: { 'index.js': 'exports.handler = async () => { await new Promise(() => {}); };\n' } },
  'callback-24': { Runtime: 'nodejs24.x', files: { 'index.js': "exports.handler = (event, context, callback) => callback(null, 'cb');\n" } },
  'top-level-throws': { Runtime: 'nodejs22.x', files: { 'index.js': "throw new RangeError('bad config at load');\nexports.handler = async () => 1;\n" } },
  'missing-dependency': { Runtime: 'nodejs22.x', files: { 'index.js': "require('not-installed-anywhere');\nexports.handler = async () => 1;\n" } },
};


const text = (out: InvokeCommandOutput) => Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
const json = (out: InvokeCommandOutput) => JSON.parse(text(out)) as Record<string, any>;
const tail = (out: InvokeCommandOutput) => Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');

describe('Node runtime fidelity with AWS runtime interface client', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  const invoke = (FunctionName: string, event: unknown = {}) =>
    lambda.send(new InvokeCommand({ FunctionName, Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }));

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    await Promise.all(
      Object.entries(FUNCTIONS).map(([name, f]) =>
        lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: f.Runtime, Handler: 'index.handler', Role: ROLE, Code: { ZipFile: makeZip(f.files) } })),
      ),
    );
    for (const name of Object.keys(FUNCTIONS)) await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
  });
  after(() => server.stop());

  test('an uncaught exception mid-invoke is that invocation\'s error; the next invoke gets a new environment', async () => {
    const before = json(await invoke('crasher'));
    const out = await invoke('crasher', { throwLater: true });
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const body = json(out);
    assert.deepEqual(Object.keys(body), ['errorType', 'errorMessage', 'trace']);
    assert.equal(body.errorType, 'TypeError');
    assert.equal(body.errorMessage, 'late boom');
    assert.equal(body.trace[0], 'TypeError: late boom');
    assert.match(tail(out), new RegExp(`\\t${out.$metadata.requestId}\\tERROR\\tUncaught Exception \\t\\{"errorType":"TypeError","errorMessage":"late boom","stack":\\["TypeError: late boom",`));
    // At once: the crashed runtime's exit is noticed some ms after its answer, and an invoke handed
    // to it meanwhile must run elsewhere rather than fail.
    const next = await invoke('crasher');
    assert.equal(next.FunctionError, undefined, text(next));
    assert.notEqual(json(next).boot, before.boot);
  });

  test('an unhandled rejection mid-invoke is Runtime.UnhandledPromiseRejection with the reason as text', async () => {
    const before = json(await invoke('crasher'));
    const out = await invoke('crasher', { rejectLater: true });
    assert.equal(out.FunctionError, 'Unhandled');
    const body = json(out);
    assert.equal(body.errorType, 'Runtime.UnhandledPromiseRejection');
    assert.equal(body.errorMessage, 'Error: nobody caught me');
    assert.equal(body.trace[0], 'Runtime.UnhandledPromiseRejection: Error: nobody caught me');
    assert.match(tail(out), /\tERROR\tUnhandled Promise Rejection \t\{"errorType":"Runtime\.UnhandledPromiseRejection","errorMessage":"Error: nobody caught me","reason":\{"errorType":"Error"/);
    const next = await invoke('crasher');
    assert.equal(next.FunctionError, undefined, text(next));
    assert.notEqual(json(next).boot, before.boot);

    const plain = json(await invoke('crasher', { rejectWith: 'plain' }));
    assert.deepEqual([plain.errorType, plain.errorMessage, plain.trace[0]], ['Runtime.UnhandledPromiseRejection', 'plain', 'Runtime.UnhandledPromiseRejection: plain']);
  });

  test('a rejection during Init is reported as the Init error', async () => {
    for (let i = 0; i < 2; i++) {
      const out = await invoke('init-rejects');
      assert.equal(out.FunctionError, 'Unhandled');
      const body = json(out);
      assert.equal(body.errorType, 'Runtime.UnhandledPromiseRejection');
      assert.equal(body.errorMessage, 'Error: init reject');
      assert.equal(body.trace[0], 'Runtime.UnhandledPromiseRejection: Error: init reject');
      assert.match(tail(out), /\tundefined\tERROR\tUnhandled Promise Rejection \t\{"errorType":"Runtime\.UnhandledPromiseRejection"/);
    }
  });

  test('nodejs24.x installs no crash listeners: an uncaught exception ends the runtime with Node\'s exit status 1', async () => {
    const out = await invoke('crasher-24', { throwLater: true });
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(json(out), {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${out.$metadata.requestId} Error: Runtime exited with error: exit status 1`,
    });
    assert.match(tail(out), /TypeError: late boom\n/);
    const next = await invoke('crasher-24');
    assert.equal(next.FunctionError, undefined, text(next));
  });

  test('error payloads: errorType is the error\'s name, other thrown values are typeof and their string form', async () => {
    const unnamed = await invoke('thrower', { kind: 'unnamed' });
    assert.equal(unnamed.FunctionError, 'Unhandled');
    const body = json(unnamed);
    assert.deepEqual([body.errorType, body.errorMessage, body.trace[0]], ['Error', 'no name of its own', 'Error: no name of its own']);
    assert.match(tail(unnamed), /\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"no name of its own","stack":\["Error: no name of its own",/);
    assert.equal(json(await invoke('thrower', { kind: 'named' })).errorType, 'CustomName');
    assert.deepEqual(json(await invoke('thrower', { kind: 'string' })), { errorType: 'string', errorMessage: 'just a string', trace: [] });
    assert.deepEqual(json(await invoke('thrower', { kind: 'object' })), { errorType: 'object', errorMessage: '[object Object]', trace: [] });
    // aws-lambda-ric 3 fails an empty rejection as the string "handled"; version 4 stringifies it.
    assert.deepEqual(json(await invoke('thrower', { kind: 'undefined' })), { errorType: 'string', errorMessage: 'handled', trace: [] });
    assert.deepEqual(json(await invoke('thrower-24', { kind: 'undefined' })), { errorType: 'undefined', errorMessage: 'undefined', trace: [] });
    assert.equal(json(await invoke('thrower-24', { kind: 'unnamed' })).errorType, 'Error');
  });

  test('a multi-line console message is one log line, its newlines turned into \\r', async () => {
    const out = await invoke('multiline');
    const id = out.$metadata.requestId;
    const lines = tail(out).split('\n');
    assert.ok(lines.some((l) => new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${id}\\tINFO\\tone\\rtwo\\rthree$`).test(l)), JSON.stringify(lines));
    assert.ok(lines.some((l) => new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${id}\\tWARN\\ta\\rb\\|c$`).test(l)), JSON.stringify(lines));
    assert.ok(!lines.some((l) => l === 'two' || l === 'three'));
  });

  test('nodejs22.x: a non-async handler\'s return value is ignored; it answers through the callback or null', async () => {
    const out = await invoke('sync-return', { n: 1 });
    assert.equal(out.FunctionError, undefined);
    assert.equal(text(out), 'null');
    assert.equal(text(await invoke('sync-thenable')), '"from the promise"');
    assert.equal(text(await invoke('sync-succeed')), '"via succeed"');
    // A promise that never settles is answered null once the event loop is empty, and the environment stays.
    for (let i = 0; i < 2; i++) {
      const never = await invoke('never-settles');
      assert.equal(never.FunctionError, undefined, text(never));
      assert.equal(text(never), 'null');
    }
  });

  test('nodejs24.x: a synchronous handler\'s return value is the answer and callback handlers fail Init', async () => {
    const out = await invoke('sync-return-24', { n: 2 });
    assert.equal(out.FunctionError, undefined);
    assert.deepEqual(json(out), { sync: true, event: { n: 2 } });
    const cb = await invoke('callback-24');
    assert.equal(cb.FunctionError, 'Unhandled');
    const body = json(cb);
    assert.equal(body.errorType, 'Runtime.CallbackHandlerDeprecated');
    assert.equal(
      body.errorMessage,
      'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.',
    );
    assert.equal(body.trace[0], `Runtime.CallbackHandlerDeprecated: ${body.errorMessage}`);
  });

  test('an error thrown by the module at load fails Init as itself; only a module not found is Runtime.ImportModuleError', async () => {
    const thrown = await invoke('top-level-throws');
    assert.equal(thrown.FunctionError, 'Unhandled');
    assert.equal(json(thrown).errorType, 'RangeError');
    assert.equal(json(thrown).errorMessage, 'bad config at load');
    const missing = await invoke('missing-dependency');
    assert.equal(json(missing).errorType, 'Runtime.ImportModuleError');
    assert.match(json(missing).errorMessage, /^Error: Cannot find module 'not-installed-anywhere'/);
  });
});
