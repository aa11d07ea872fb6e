import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CreateStreamCommand, KinesisClient, MergeShardsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { freePort, startChild } from './support/child-server.js';
import { kinesisClient, waitForStatus } from './support/kinesis.js';
import { startRecorder, type Recorder } from './support/recorder.js';
import { RecordingServer } from './support/recording-server.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createActiveStream, createStreamFunction, dataOf, invocationsOf, putRecords } from './support/stream-mappings.js';
import { makeZip, ROLE } from './support/zip.js';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const HALF = 1n << 127n;

interface Keyed {
  k: number;
  n: number;
}

/** Per partition key, the counters in the order the function saw them. */
function byKey(seen: Keyed[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const { k, n } of seen) {
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(n);
  }
  return out;
}

/** Reports the decoded records of each batch (`{k, n}` each) to RECORDER_URL, then takes a little time. */
const DRAIN_HANDLER = `
exports.handler = async (event, context) => {
  const seen = event.Records.map((r) => JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8')));
  await fetch(process.env.RECORDER_URL, { method: 'POST', body: JSON.stringify({ fn: 'drain', requestId: context.awsRequestId, event: seen }) });
  await new Promise((r) => setTimeout(r, 20));
  return {};
};
`;

describe('kinesis mappings: kill -9 while a mapping drains 10,000 records', () => {
  let recording: RecordingServer;
  before(async () => {
    recording = await RecordingServer.start();
  });
  after(() => recording.close());

  test('after a restart every record reaches the function at least once, each partition key in order within each run', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-kinesis-kill-'));
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const lambda = new LambdaClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    const kinesis = new KinesisClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1, requestHandler: new NodeHttpHandler() });
    const seenSince = (from: number): Keyed[] => recording.received.slice(from).flatMap((r) => r.event as Keyed[]);
    let child = await startChild(dataDir, port);
    try {
      await kinesis.send(new CreateStreamCommand({ StreamName: 'drained', ShardCount: 4 }));
      await waitForStatus(kinesis, 'drained', 'ACTIVE', 20_000);
      const KEYS = 200;
      const ROUNDS = 50;
      const records = [];
      for (let n = 0; n < ROUNDS; n++) for (let k = 0; k < KEYS; k++) records.push({ key: `key-${k}`, data: { k, n } });
      await putRecords(kinesis, 'drained', records);

      await lambda.send(new CreateFunctionCommand({
        FunctionName: 'drain', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 10,
        Code: { ZipFile: makeZip({ 'index.js': DRAIN_HANDLER }) }, Environment: { Variables: { RECORDER_URL: recording.url } },
      }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: 'drain' });
      await lambda.send(new CreateEventSourceMappingCommand({
        FunctionName: 'drain', EventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/drained', StartingPosition: 'TRIM_HORIZON', BatchSize: 100,
      }));

      await recording.until(() => seenSince(0).length >= 2_000, 120_000);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      // Answers already on their way from the killed run's functions land before the cut.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const firstRun = seenSince(0);
      const cut = recording.received.length;
      assert.ok(firstRun.length < KEYS * ROUNDS, 'the mapping had drained everything before the kill');

      child = await startChild(dataDir, port);
      await recording.until(() => new Set([...firstRun, ...seenSince(cut)].map(({ k, n }) => `${k}:${n}`)).size === KEYS * ROUNDS, 180_000);

      for (const [run, seen] of [['before the kill', firstRun], ['after the restart', seenSince(cut)]] as const) {
        for (const [k, ns] of byKey(seen)) {
          assert.ok(ns.every((n, i) => i === 0 || n === ns[i - 1]! + 1), `key-${k} out of order ${run}: ${ns.join(',')}`);
        }
      }
      // The restart resumes from the checkpoint: a key picks up where the first run left it, or earlier (at-least-once).
      const before = byKey(firstRun);
      for (const [k, ns] of byKey(seenSince(cut))) {
        const last = before.get(k)?.at(-1) ?? -1;
        assert.ok(ns[0]! <= last + 1, `key-${k} skipped from ${last} to ${ns[0]}`);
      }
    } finally {
      lambda.destroy();
      kinesis.destroy();
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('kinesis mappings: ordering under load', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let kinesis: KinesisClient;
  let recorder: Recorder;
  before(async () => {
    // Functions reach a host sink only if it listens before the server starts (support/host-ports.ts).
    recorder = await startRecorder();
    server = await startTestServer();
    lambda = server.lambda();
    kinesis = kinesisClient(server.url);
  });
  after(async () => {
    kinesis.destroy();
    await server.stop();
    await recorder.close();
  });

  test('ParallelizationFactor 10 with 1,000 partition keys: every key in order, batches of one shard in parallel', async () => {
    const arn = await createActiveStream(kinesis, 'thousand-keys');
    const fn = await createStreamFunction(lambda, 'kin-thousand', recorder.url, { DELAY_MS: '50' });
    await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', ParallelizationFactor: 10, BatchSize: 100,
    }));
    const records = [];
    for (let n = 0; n < 3; n++) for (let k = 0; k < 1000; k++) records.push({ key: `key-${k}`, data: { k, n } });
    await putRecords(kinesis, 'thousand-keys', records);
    await recorder.waitFor(() => dataOf(recorder, fn).length >= 3000, 90_000);
    const seen = byKey(dataOf(recorder, fn) as Keyed[]);
    assert.equal(seen.size, 1000);
    for (const [k, ns] of seen) assert.deepEqual(ns, [0, 1, 2], `key-${k}`);
    // Lanes overlap: some batch starts while another (taking ≥ 50 ms) is still running.
    const starts = invocationsOf(recorder, fn).map((i) => i.at).sort((a, b) => a - b);
    assert.ok(starts.some((t, i) => i > 0 && t - starts[i - 1]! < 40), 'no two batches overlapped');
  });

  test('resharding mid-stream (a split, then a merge, while records keep coming) keeps every key in order', async () => {
    const arn = await createActiveStream(kinesis, 'reshard-live');
    const fn = await createStreamFunction(lambda, 'kin-reshard-live', recorder.url, { DELAY_MS: '20' });
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', BatchSize: 25 }));
    const KEYS = 60;
    const ROUNDS = 30;
    for (let n = 0; n < ROUNDS; n++) {
      await putRecords(kinesis, 'reshard-live', Array.from({ length: KEYS }, (_, k) => ({ key: `key-${k}`, data: { k, n } })));
      if (n === 10) {
        await kinesis.send(new SplitShardCommand({ StreamName: 'reshard-live', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: HALF.toString() }));
        await waitForStatus(kinesis, 'reshard-live');
      }
      if (n === 20) {
        await kinesis.send(new MergeShardsCommand({ StreamName: 'reshard-live', ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000002' }));
        await waitForStatus(kinesis, 'reshard-live');
      }
    }
    await recorder.waitFor(() => dataOf(recorder, fn).length >= KEYS * ROUNDS, 90_000);
    const seen = byKey(dataOf(recorder, fn) as Keyed[]);
    assert.equal(seen.size, KEYS);
    for (const [k, ns] of seen) assert.deepEqual(ns, Array.from({ length: ROUNDS }, (_, n) => n), `key-${k}`);
    const shards = new Set(invocationsOf(recorder, fn).flatMap((i) => i.event.Records.map((r) => r.eventID.split(':')[0])));
    assert.deepEqual([...shards].sort(), ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003']);
  });
});
