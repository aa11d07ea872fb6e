import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { EmbeddedKinesisSource } from '../src/triggers/esm/embedded-kinesis-source.js';
import { RemoteKinesisSource } from '../src/triggers/esm/remote-kinesis-source.js';
import type { StreamPosition, StreamSource } from '../src/triggers/esm/stream-source.js';
import { kinesisClient, waitForStatus } from './support/kinesis.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createActiveStream, putRecords } from './support/stream-mappings.js';

/** The cases every `StreamSource` passes, embedded or remote (DESIGN §4). */
function describeStreamSource(name: string, make: (server: TestServer, streamArn: string) => StreamSource): void {
  describe(`stream source: ${name}`, () => {
    let server: TestServer;
    let kinesis: KinesisClient;
    let stream = 0;
    before(async () => {
      server = await startTestServer();
      kinesis = kinesisClient(server.url);
    });
    after(async () => {
      kinesis.destroy();
      await server.stop();
    });
    const fresh = async (shards = 1) => {
      const streamName = `source-${++stream}`;
      const arn = await createActiveStream(kinesis, streamName, shards);
      return { streamName, source: make(server, arn) };
    };

    test('reads a shard in order from a position, in pages, and carries on after the last record', async () => {
      const { streamName, source } = await fresh();
      const sequences = await putRecords(kinesis, streamName, Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, data: `r${i}` })));
      const first = await source.read('shardId-000000000000', { type: 'TRIM_HORIZON' }, 3);
      assert.deepEqual(first.records.map((r) => r.data.toString()), ['r0', 'r1', 'r2']);
      assert.deepEqual(first.records.map((r) => r.partitionKey), ['k0', 'k1', 'k2']);
      assert.ok(first.records.every((r) => Math.abs(r.arrivalMs - Date.now()) < 60_000));
      const rest = await source.read('shardId-000000000000', first.next as StreamPosition, 10);
      assert.deepEqual(rest.records.map((r) => r.sequenceNumber), sequences.slice(3));
      const after = await source.read('shardId-000000000000', { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: sequences[1] as string }, 10);
      assert.deepEqual(after.records.map((r) => r.data.toString()), ['r2', 'r3', 'r4']);
      await new Promise((r) => setTimeout(r, 20));
      const atTime = await source.read('shardId-000000000000', { type: 'AT_TIMESTAMP', timestampMs: Date.now() - 5 }, 10);
      assert.deepEqual(atTime.records, []);
      assert.notEqual(atTime.next, null);
      source.close();
    });

    test('lists shards with lineage; a closed shard read to its end has no next position', async () => {
      const { streamName, source } = await fresh();
      await putRecords(kinesis, streamName, [{ key: 'a', data: 'before' }]);
      await kinesis.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (1n << 127n).toString() }));
      await waitForStatus(kinesis, streamName);
      const shards = await source.listShards();
      assert.deepEqual(shards.map((s) => [s.shardId, s.parentShardId, s.closed]), [
        ['shardId-000000000000', undefined, true],
        ['shardId-000000000001', 'shardId-000000000000', false],
        ['shardId-000000000002', 'shardId-000000000000', false],
      ]);
      let position: StreamPosition | null = { type: 'TRIM_HORIZON' };
      const seen: string[] = [];
      for (let i = 0; i < 5 && position; i++) {
        const page = await source.read('shardId-000000000000', position, 100);
        seen.push(...page.records.map((r) => r.data.toString()));
        position = page.next;
      }
      assert.deepEqual(seen, ['before']);
      assert.equal(position, null);
      source.close();
    });

    test('waiting for records ends when records arrive, and at once on abort', async () => {
      const { streamName, source } = await fresh();
      const empty = await source.read('shardId-000000000000', { type: 'LATEST' }, 10);
      assert.deepEqual(empty.records, []);
      const started = Date.now();
      const waiting = source.waitForRecords('shardId-000000000000', 30_000, new AbortController().signal);
      await putRecords(kinesis, streamName, [{ key: 'a', data: 'x' }]);
      await waiting;
      assert.ok(Date.now() - started < 5000, 'woke up');
      const page = await source.read('shardId-000000000000', empty.next as StreamPosition, 10);
      assert.deepEqual(page.records.map((r) => r.data.toString()), ['x']);
      const abort = new AbortController();
      const aborted = source.waitForRecords('shardId-000000000000', 30_000, abort.signal);
      abort.abort();
      await aborted;
      source.release('shardId-000000000000');
      source.close();
    });
  });
}

describeStreamSource('embedded Kinesis', (server, arn) => new EmbeddedKinesisSource(server.lambkin.kinesisStreams, arn));
describeStreamSource('remote Kinesis', (server, arn) => new RemoteKinesisSource(arn, server.url));
