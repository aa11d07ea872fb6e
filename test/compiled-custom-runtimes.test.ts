import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type InvokeCommandOutput, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { bootstrapZip, compiledBootstrap, compilerMissing, GO, RUST, type Compiler } from './support/compiled-bootstrap.js';
import { startTestServer, type TestServer } from './support/server.js';
import { ROLE } from './support/zip.js';

const json = (out: InvokeCommandOutput) => JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as Record<string, any>;
const tail = (out: InvokeCommandOutput) => Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');

/**
 * The seed's custom-runtime example: a compiled program that speaks the Runtime API with its
 * language's standard library, zipped as `bootstrap`, on provided.al2023.
 */
function describeCompiledRuntime(language: string, compiler: Compiler, errorBody: Record<string, string>) {
  describe(`a ${language} bootstrap on provided.al2023`, { skip: compilerMissing(compiler) }, () => {
    let server: TestServer;
    let lambda: LambdaClient;
    const name = `${language.toLowerCase()}-custom`;
    const invoke = (FunctionName: string, payload: unknown, extra: Record<string, unknown> = {}) =>
      lambda.send(new InvokeCommand({ FunctionName, Payload: Buffer.from(JSON.stringify(payload)), ...extra }));

    before(async () => {
      const zip = bootstrapZip(await compiledBootstrap(compiler));
      server = await startTestServer();
      lambda = server.lambda();
      for (const [FunctionName, Timeout] of [[name, 10], [`${name}-short`, 1]] as const) {
        await lambda.send(new CreateFunctionCommand({
          FunctionName, Runtime: 'provided.al2023', Handler: 'orders.handler', Role: ROLE, Timeout, Code: { ZipFile: zip },
        }));
        await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName });
      }
    });
    after(() => server.stop());

    test('answers through /response with the event, the request id, the handler and the deadline', async () => {
      const started = Date.now();
      const out = await invoke(name, { order: 7, items: ['a', 'b'] }, { LogType: 'Tail' });
      assert.equal(out.FunctionError, undefined, JSON.stringify(json(out)));
      const body = json(out);
      assert.equal(body.language, language.toLowerCase());
      assert.deepEqual(body.event, { order: 7, items: ['a', 'b'] });
      assert.equal(body.requestId, out.$metadata.requestId);
      assert.equal(body.handler, 'orders.handler');
      assert.ok(Number(body.deadlineMs) >= started + 9_000 && Number(body.deadlineMs) <= Date.now() + 10_000, body.deadlineMs);
      assert.match(tail(out), new RegExp(`^REPORT RequestId: ${out.$metadata.requestId}\tDuration: `, 'm'));
      // Warm: the same process takes the next event.
      assert.equal(json(await invoke(name, { n: 2 })).event.n, 2);
    });

    test('an error posted to /invocation/<id>/error is the caller\'s Unhandled payload, verbatim', async () => {
      const out = await invoke(name, { fail: 'order 7 is out of stock' });
      assert.equal(out.StatusCode, 200);
      assert.equal(out.FunctionError, 'Unhandled');
      assert.deepEqual(json(out), errorBody);
      assert.equal(json(await invoke(name, { n: 3 })).event.n, 3, 'the runtime keeps serving after an error');
    });

    test('a run past the function timeout is Sandbox.Timedout, and the next invoke gets a fresh runtime', async () => {
      const out = await invoke(`${name}-short`, { sleepMs: 3_000 });
      assert.equal(out.FunctionError, 'Unhandled');
      const body = json(out);
      assert.equal(body.errorType, 'Sandbox.Timedout');
      assert.equal(body.errorMessage, `RequestId: ${out.$metadata.requestId} Error: Task timed out after 1.00 seconds`);
      const next = await invoke(`${name}-short`, { n: 4 });
      assert.equal(next.FunctionError, undefined, JSON.stringify(json(next)));
      assert.equal(json(next).event.n, 4);
    });
  });
}

describeCompiledRuntime('Go', GO, { errorMessage: 'order 7 is out of stock', errorType: 'OrderError' });
describeCompiledRuntime('Rust', RUST, { errorMessage: 'rust says no', errorType: 'RustPanic' });

describe('go1.x', () => {
  test("is refused with AWS's message: Go runs on provided.al2023", async () => {
    const server = await startTestServer();
    try {
      await assert.rejects(
        server.lambda().send(new CreateFunctionCommand({
          FunctionName: 'go-legacy', Runtime: 'go1.x', Handler: 'main', Role: ROLE, Code: { ZipFile: bootstrapZip(Buffer.from('#!/bin/sh\n')) },
        })),
        (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
          assert.equal(err.name, 'InvalidParameterValueException');
          assert.equal(err.$metadata?.httpStatusCode, 400);
          assert.equal(err.message, 'The runtime parameter of go1.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.');
          return true;
        },
      );
    } finally {
      await server.stop();
    }
  });
});
