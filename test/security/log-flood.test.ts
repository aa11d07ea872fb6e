import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, type LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { sql } from 'kysely';
import type { Store } from '../../src/store/database.js';
import { startTestServer } from '../support/server.js';
import { makeZip, ROLE } from '../support/zip.js';

/**
 * Prints 1 KiB lines as fast as it can for `seconds`, and returns once they have all left the
 * process: the next invocation's lines then come after them (stdout to a pipe is asynchronous).
 */
const FLOOD = `
exports.handler = async (event) => {
  const line = 'x'.repeat(1023);
  const until = Date.now() + event.seconds * 1000;
  let lines = 0;
  while (Date.now() < until) {
    for (let i = 0; i < 100; i++) console.log(line);
    lines += 100;
    // As fast as the pipe takes it, without buffering the flood in the function's own memory.
    if (process.stdout.writableLength > 1024 * 1024) await new Promise((r) => process.stdout.once('drain', r));
    else await new Promise((r) => setImmediate(r));
  }
  await new Promise((resolve) => process.stdout.write('', resolve));
  return { lines };
};
`;

async function deployFlood(lambda: LambdaClient): Promise<void> {
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'flood', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Timeout: 30, Code: { ZipFile: makeZip({ 'index.js': FLOOD }) } }));
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'flood' });
}

async function flood(lambda: LambdaClient, seconds: number): Promise<number> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'flood', Payload: Buffer.from(JSON.stringify({ seconds })) }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return (JSON.parse(Buffer.from(out.Payload ?? []).toString()) as { lines: number }).lines;
}

async function storedBytes(store: Store): Promise<number> {
  const row = await store.selectFrom('logs_event_batches').select(sql<number>`coalesce(sum(length(events)), 0)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function storedText(store: Store): Promise<string> {
  const rows = await store.selectFrom('logs_event_batches').select('events').orderBy('id').execute();
  return rows.map((r) => r.events).join('\n');
}

/** Polls until `check` holds (log events reach the store in batches, trims run after them). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`never: ${what}`);
}

describe('security: a function flooding its output cannot fill the disk', () => {
  test('each environment writes at most its output rate into the store; the rest is dropped and said so', async () => {
    const rate = 200_000;
    const server = await startTestServer({ LAMBKIN_LOG_RATE_BYTES_PER_SECOND: String(rate) });
    try {
      const lambda = server.lambda();
      await deployFlood(lambda);
      const lines = await flood(lambda, 3);
      assert.ok(lines * 1024 > 10 * rate, `the function printed ${lines} KiB: enough to overrun the rate`);
      const store = server.lambkin.store;
      await eventually(async () => (await storedText(store)).includes('REPORT RequestId'), 'the REPORT line is stored');
      const bytes = await storedBytes(store);
      // 5 s of burst plus ~3.5 s of rate, with room for JSON framing and platform lines.
      assert.ok(bytes < (5 + 4) * rate * 1.2, `stored ${bytes} bytes`);
      assert.ok(bytes > 5 * rate * 0.8, `stored only ${bytes} bytes: the burst should pass`);
      assert.match(await storedText(store), /\[lambkin\] \d+ bytes of function output were dropped: the environment wrote faster than 200000 bytes\/s/);
    } finally {
      await server.stop();
    }
  });

  test('past LAMBKIN_LOG_STORE_MAX_MB the oldest events go first, and the newest stay', async () => {
    const server = await startTestServer({ LAMBKIN_LOG_RATE_BYTES_PER_SECOND: '0', LAMBKIN_LOG_STORE_MAX_MB: '1' });
    try {
      const lambda = server.lambda();
      await deployFlood(lambda);
      const first = await lambda.send(new InvokeCommand({ FunctionName: 'flood', Payload: Buffer.from('{"seconds":1}') }));
      assert.ok(Buffer.from(first.Payload ?? []).toString().includes('lines'));
      const last = await lambda.send(new InvokeCommand({ FunctionName: 'flood', Payload: Buffer.from('{"seconds":0}') }));
      const store = server.lambkin.store;
      await eventually(async () => (await storedText(store)).includes(`REPORT RequestId: ${last.$metadata.requestId}`), 'the last REPORT line is stored');
      await eventually(async () => (await storedBytes(store)) <= 1024 * 1024, 'the store is back under 1 MB');
      const text = await storedText(store);
      assert.ok(!text.includes(`START RequestId: ${first.$metadata.requestId}`), 'the oldest events went first');
      assert.ok(text.includes(`START RequestId: ${last.$metadata.requestId}`), 'the newest events stay');
    } finally {
      await server.stop();
    }
  });
});
