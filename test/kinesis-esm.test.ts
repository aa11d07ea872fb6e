import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, UpdateEventSourceMappingCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient, waitForStatus } from './support/kinesis.js';
import { startRecorder, type Recorder } from './support/recorder.js';
import { startTestServer, type TestServer } from './support/server.js';
import {
  createActiveStream, createStreamFunction, dataOf, invocationsOf, putRecords, sleep, waitForMappingState,
} from './support/stream-mappings.js';
import { ROLE } from './support/zip.js';

describe('kinesis event source mappings', () => {
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

  test('records arrive in the Kinesis event shape; LastProcessingResult becomes OK', async () => {
    const arn = await createActiveStream(kinesis, 'shape');
    const fn = await createStreamFunction(lambda, 'kin-shape', recorder.url);
    const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON' }));
    const before = Date.now();
    const [sequence] = await putRecords(kinesis, 'shape', [{ key: 'user-42', data: { v: 1 } }]);
    await recorder.waitFor(() => invocationsOf(recorder, fn).length >= 1);
    const [record] = (invocationsOf(recorder, fn)[0] as { event: { Records: Array<Record<string, unknown>> } }).event.Records;
    assert.deepEqual(Object.keys(record ?? {}), ['kinesis', 'eventSource', 'eventVersion', 'eventID', 'eventName', 'invokeIdentityArn', 'awsRegion', 'eventSourceARN']);
    const kinesisPart = record?.kinesis as Record<string, unknown>;
    assert.deepEqual(Object.keys(kinesisPart), ['kinesisSchemaVersion', 'partitionKey', 'sequenceNumber', 'data', 'approximateArrivalTimestamp']);
    assert.equal(kinesisPart.kinesisSchemaVersion, '1.0');
    assert.equal(kinesisPart.partitionKey, 'user-42');
    assert.equal(kinesisPart.sequenceNumber, sequence);
    assert.equal(kinesisPart.data, Buffer.from('{"v":1}').toString('base64'));
    const arrival = kinesisPart.approximateArrivalTimestamp as number;
    assert.ok(arrival >= Math.floor(before / 1000) && arrival <= Date.now() / 1000 + 1, `arrival ${arrival}`);
    assert.equal(record?.eventSource, 'aws:kinesis');
    assert.equal(record?.eventVersion, '1.0');
    assert.equal(record?.eventID, `shardId-000000000000:${sequence}`);
    assert.equal(record?.eventName, 'aws:kinesis:record');
    assert.equal(record?.invokeIdentityArn, ROLE);
    assert.equal(record?.awsRegion, 'us-east-1');
    assert.equal(record?.eventSourceARN, arn);
    const deadline = Date.now() + 5000;
    while ((await lambda.send(new GetEventSourceMappingCommand({ UUID }))).LastProcessingResult !== 'OK') {
      assert.ok(Date.now() < deadline, 'LastProcessingResult never became OK');
      await sleep(50);
    }
  });

  test('StartingPosition TRIM_HORIZON, AT_TIMESTAMP and LATEST (records put right after creation included)', async () => {
    const arn = await createActiveStream(kinesis, 'positions');
    await putRecords(kinesis, 'positions', [{ key: 'a', data: 'old-1' }, { key: 'b', data: 'old-2' }]);
    await sleep(50);
    const timestamp = new Date();
    await sleep(10);
    await putRecords(kinesis, 'positions', [{ key: 'a', data: 'mid-1' }]);
    const trim = await createStreamFunction(lambda, 'kin-trim', recorder.url);
    const atTs = await createStreamFunction(lambda, 'kin-at', recorder.url);
    const latest = await createStreamFunction(lambda, 'kin-latest', recorder.url);
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: trim, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON' }));
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: atTs, EventSourceArn: arn, StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: timestamp }));
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: latest, EventSourceArn: arn, StartingPosition: 'LATEST' }));
    await putRecords(kinesis, 'positions', [{ key: 'b', data: 'new-1' }]);
    await recorder.waitFor(() => dataOf(recorder, trim).length >= 4 && dataOf(recorder, atTs).length >= 2 && dataOf(recorder, latest).length >= 1);
    await sleep(300);
    assert.deepEqual(dataOf(recorder, trim), ['old-1', 'old-2', 'mid-1', 'new-1']);
    assert.deepEqual(dataOf(recorder, atTs), ['mid-1', 'new-1']);
    assert.deepEqual(dataOf(recorder, latest), ['new-1']);
  });

  test('records of each shard arrive in sequence order', async () => {
    const arn = await createActiveStream(kinesis, 'ordered', 2);
    const fn = await createStreamFunction(lambda, 'kin-order', recorder.url);
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', BatchSize: 7 }));
    const records = Array.from({ length: 120 }, (_, i) => ({ key: `k${i % 13}`, data: { i } }));
    for (let i = 0; i < records.length; i += 30) await putRecords(kinesis, 'ordered', records.slice(i, i + 30));
    await recorder.waitFor(() => dataOf(recorder, fn).length >= 120);
    const byShard = new Map<string, bigint[]>();
    for (const inv of invocationsOf(recorder, fn)) {
      assert.ok(inv.event.Records.length <= 7);
      for (const r of inv.event.Records) {
        const [shard, seq] = r.eventID.split(':') as [string, string];
        byShard.set(shard, [...(byShard.get(shard) ?? []), BigInt(seq)]);
      }
    }
    assert.equal(byShard.size, 2);
    for (const seqs of byShard.values()) assert.deepEqual(seqs, [...seqs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    assert.equal(new Set(dataOf(recorder, fn).map((d) => (d as { i: number }).i)).size, 120);
  });

  test('ParallelizationFactor 10: batches of one shard run concurrently, each partition key in order', async () => {
    const arn = await createActiveStream(kinesis, 'parallel');
    const fn = await createStreamFunction(lambda, 'kin-parallel', recorder.url, { DELAY_MS: '100' });
    await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', ParallelizationFactor: 10, BatchSize: 25,
    }));
    const records = [];
    for (let n = 0; n < 5; n++) for (let k = 0; k < 200; k++) records.push({ key: `key-${k}`, data: { k, n } });
    await putRecords(kinesis, 'parallel', records);
    await recorder.waitFor(() => dataOf(recorder, fn).length >= 1000, 45_000);
    const seen = new Map<number, number[]>();
    for (const d of dataOf(recorder, fn) as Array<{ k: number; n: number }>) seen.set(d.k, [...(seen.get(d.k) ?? []), d.n]);
    assert.equal(seen.size, 200);
    for (const [k, ns] of seen) assert.deepEqual(ns, [0, 1, 2, 3, 4], `key-${k}`);
    const starts = invocationsOf(recorder, fn).map((i) => i.at).sort((a, b) => a - b);
    assert.ok(starts.some((t, i) => i > 0 && t - (starts[i - 1] as number) < 50), 'no two batches overlapped');
  });

  test('FilterCriteria: matching records invoke, the rest are skipped and checkpointed past', async () => {
    const arn = await createActiveStream(kinesis, 'filtered');
    const fn = await createStreamFunction(lambda, 'kin-filter', recorder.url);
    await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', BatchSize: 10,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ data: { n: [{ numeric: ['>', 100] }] } }) }, { Pattern: JSON.stringify({ partitionKey: [{ prefix: 'us-' }] }) }] },
    }));
    await putRecords(kinesis, 'filtered', [
      { key: 'a', data: { n: 150 } }, { key: 'b', data: { n: 5 } }, { key: 'us-east', data: 'plain text' }, { key: 'eu', data: 'plain' }, { key: 'c', data: { m: 500 } },
    ]);
    await recorder.waitFor(() => dataOf(recorder, fn).length >= 2);
    await putRecords(kinesis, 'filtered', [{ key: 'z', data: { n: 999 } }]);
    await recorder.waitFor(() => dataOf(recorder, fn).length >= 3);
    await sleep(200);
    assert.deepEqual(dataOf(recorder, fn), [{ n: 150 }, 'plain text', { n: 999 }]);
  });

  test('a disabled mapping stops; enabled again it resumes where it stopped', async () => {
    const arn = await createActiveStream(kinesis, 'toggle');
    const fn = await createStreamFunction(lambda, 'kin-toggle', recorder.url);
    const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON' }));
    await putRecords(kinesis, 'toggle', [{ key: 'a', data: 'first' }]);
    await recorder.waitFor(() => dataOf(recorder, fn).length >= 1);
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: false }));
    await waitForMappingState(lambda, UUID as string, 'Disabled');
    await sleep(300);
    await putRecords(kinesis, 'toggle', [{ key: 'a', data: 'while-disabled' }]);
    await sleep(700);
    assert.deepEqual(dataOf(recorder, fn), ['first']);
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: true }));
    await recorder.waitFor(() => dataOf(recorder, fn).length >= 2);
    await sleep(200);
    assert.deepEqual(dataOf(recorder, fn), ['first', 'while-disabled']);
  });

  test('after a restart the mapping resumes from its checkpoint, skipping nothing and repeating nothing', async () => {
    const arn = await createActiveStream(kinesis, 'durable');
    const fn = await createStreamFunction(lambda, 'kin-durable', recorder.url);
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: arn, StartingPosition: 'LATEST', BatchSize: 3 }));
    await putRecords(kinesis, 'durable', Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, data: `a${i}` })));
    await recorder.waitFor(() => dataOf(recorder, fn).length >= 10);
    await server.restart(async () => {
      await sleep(50);
    });
    kinesis.destroy();
    kinesis = kinesisClient(server.url);
    lambda = server.lambda();
    await putRecords(kinesis, 'durable', Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, data: `b${i}` })));
    await recorder.waitFor(() => dataOf(recorder, fn).length >= 20);
    await sleep(300);
    const seen = dataOf(recorder, fn) as string[];
    assert.deepEqual([...seen].sort(), [...Array.from({ length: 10 }, (_, i) => `a${i}`), ...Array.from({ length: 10 }, (_, i) => `b${i}`)].sort());
  });

  test('resharding: records before a split are all delivered before the children’s', async () => {
    const arn = await createActiveStream(kinesis, 'resharded');
    const fn = await createStreamFunction(lambda, 'kin-reshard', recorder.url);
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', BatchSize: 10 }));
    const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
    await putRecords(kinesis, 'resharded', keys.map((k) => ({ key: k, data: `before:${k}` })));
    await kinesis.send(new SplitShardCommand({ StreamName: 'resharded', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (1n << 127n).toString() }));
    await waitForStatus(kinesis, 'resharded');
    await putRecords(kinesis, 'resharded', keys.map((k) => ({ key: k, data: `after:${k}` })));
    await recorder.waitFor(() => dataOf(recorder, fn).length >= 80);
    const seen = dataOf(recorder, fn) as string[];
    assert.equal(seen.length, 80);
    const lastBefore = Math.max(...seen.map((d, i) => (d.startsWith('before:') ? i : -1)));
    const firstAfter = seen.findIndex((d) => d.startsWith('after:'));
    assert.ok(lastBefore < firstAfter, `a child's record came before the parent's end (${lastBefore} ≥ ${firstAfter})`);
    const shards = new Set(invocationsOf(recorder, fn).flatMap((i) => i.event.Records.map((r) => r.eventID.split(':')[0])));
    assert.deepEqual([...shards].sort(), ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
  });
});
