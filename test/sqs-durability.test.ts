import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { freePort, startChild } from './support/child-server.js';
import { RecordingServer, recorderSource } from './support/recording-server.js';
import { makeZip, ROLE } from './support/zip.js';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The message bodies a recorded SQS event carried. */
const bodiesOf = (recording: RecordingServer): Set<string> =>
  new Set(recording.of('drain').flatMap((r) => ((r.event as { Records: Array<{ body: string }> }).Records ?? []).map((m) => m.body)));

describe('SQS with an event source mapping: kill -9 mid-load', () => {
  let recording: RecordingServer;
  before(async () => {
    recording = await RecordingServer.start();
  });
  after(() => recording.close());

  test('every message a SendMessageBatch acknowledged reaches the function at least once after a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-sqs-kill-'));
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const lambda = new LambdaClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    let child = await startChild(dataDir, port);
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'drained', Attributes: { VisibilityTimeout: '5' } }));
      await lambda.send(new CreateFunctionCommand({
        FunctionName: 'drain', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 3,
        Code: { ZipFile: makeZip({ 'index.js': recorderSource('drain') }) }, Environment: { Variables: { RECORDER_URL: recording.url } },
      }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: 'drain' });
      await lambda.send(new CreateEventSourceMappingCommand({
        FunctionName: 'drain', EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:drained', BatchSize: 10,
      }));

      // 16 senders keep sending while the mapping drains; the kill cuts both.
      const acked = new Set<string>();
      let next = 0;
      const sender = async () => {
        while (next < 3000 && !child.killed) {
          const first = next;
          next += 10;
          const bodies = Array.from({ length: 10 }, (_, j) => `m-${first + j}`);
          try {
            const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: bodies.map((MessageBody, j) => ({ Id: `e${j}`, MessageBody })) }));
            for (const ok of out.Successful ?? []) acked.add(bodies[Number(ok.Id!.slice(1))]!);
          } catch {
            // cut off by the kill: not acknowledged, so not promised
          }
        }
      };
      const sending = Promise.all(Array.from({ length: 16 }, sender));
      await recording.until(() => bodiesOf(recording).size >= 300, 120_000);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      await sending;
      assert.ok(acked.size >= 300, `only ${acked.size} messages acknowledged before the kill`);
      assert.ok([...acked].some((b) => !bodiesOf(recording).has(b)), 'the kill left messages unprocessed');

      child = await startChild(dataDir, port);
      await recording.until(() => {
        const seen = bodiesOf(recording);
        return [...acked].every((b) => seen.has(b));
      }, 300_000);
    } finally {
      lambda.destroy();
      sqs.destroy();
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
