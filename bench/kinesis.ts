// Kinesis figures: records a second from PutRecords producers through an event source mapping
// (batch 100) into a function, the mapping's IteratorAge under that load, and the latency from a
// PutRecord on an idle stream to the handler starting.
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { BenchServer } from './lambkin.js';
import { median, round3 } from './stats.js';

export interface KinesisFigures {
  /** Records a second PutRecords producers (16 SDK clients, 500 a call) put while the mapping read. */
  putRecordsPerSecond: number;
  /** Records a second through the mapping (BatchSize 100, 4 shards) into the function, first put to last handled. */
  esmRecordsPerSecond: number;
  esmRecords: number;
  /** Median over batches of the age of the batch's last record when the handler started (Lambda's IteratorAge), at a steady offered load. */
  iteratorAgeP50Ms: number;
  /** The steady load the IteratorAge was read under, records a second. */
  iteratorAgeLoadPerSecond: number;
  /** The same median while the unthrottled producers above outran the mapping (a growing backlog). */
  iteratorAgeSaturatedP50Ms: number;
  /** Median ms from a PutRecord being sent on an idle stream to the handler starting. */
  putToHandlerP50Ms: number;
}

const PRODUCERS = 16;
const SHARDS = 4;
const KEYS = 256;

function kinesisClient(url: string): KinesisClient {
  return new KinesisClient({
    endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: PRODUCERS * 2 }) }),
  });
}

/** Reports, per batch, how many records it got and how old its last record was when it started. */
const BATCH_REPORTER = `
exports.handler = async (event) => {
  const now = Date.now();
  const last = event.Records[event.Records.length - 1];
  const body = JSON.stringify({ n: event.Records.length, ageMs: now - last.kinesis.approximateArrivalTimestamp * 1000, at: now });
  await fetch(process.env.REPORT_URL, { method: 'POST', body, headers: { connection: 'close' } });
  return {};
};
`;

/** Reports how long after the producer sent it (its data is the send time) each record reached the handler. */
const LATENCY_REPORTER = `
exports.handler = async (event) => {
  const now = Date.now();
  const lat = event.Records.map((r) => now - Number(Buffer.from(r.kinesis.data, 'base64').toString('utf8')));
  await fetch(process.env.REPORT_URL, { method: 'POST', body: JSON.stringify({ lat }), headers: { connection: 'close' } });
  return {};
};
`;

async function activeStream(kinesis: KinesisClient, name: string, shards: number): Promise<string> {
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  for (;;) {
    const { StreamDescriptionSummary: s } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (s?.StreamStatus === 'ACTIVE') return s.StreamARN!;
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function measureKinesis(
  server: BenchServer,
  options: { putDurationMs: number; latencySamples: number; steadyRecordsPerSecond: number },
): Promise<KinesisFigures> {
  const kinesis = kinesisClient(server.url);
  const lambda = server.client(8);
  const batches: Array<{ n: number; ageMs: number; at: number }> = [];
  const latencies: number[] = [];
  let handled = 0;
  const reporter = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const report = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { n: number; ageMs: number; at: number } | { lat: number[] };
      if ('lat' in report) {
        latencies.push(...report.lat);
        handled += report.lat.length;
      } else {
        batches.push(report);
        handled += report.n;
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => reporter.listen(server.hostPort(), '127.0.0.1', resolve));
  const reportUrl = JSON.stringify(`http://127.0.0.1:${(reporter.address() as AddressInfo).port}/`);
  try {
    // Throughput: producers put for a while into an idle mapping's stream; the function (a full
    // vCPU, as in the other throughput rows) reports each batch.
    await server.deploy('bench-kinesis', BATCH_REPORTER.replace('process.env.REPORT_URL', reportUrl), { memoryMb: 1769, timeoutSeconds: 30 });
    const streamArn = await activeStream(kinesis, 'bench-clicks', SHARDS);
    const mapping = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: 'bench-kinesis', EventSourceArn: streamArn, StartingPosition: 'LATEST', BatchSize: 100,
    }));
    // LATEST is the stream as the mapping was created: give its pollers a moment to be reading.
    await new Promise((r) => setTimeout(r, 500));
    const data = new TextEncoder().encode(JSON.stringify({ page: '/products/42', user: 'u-123456', at: 1_700_000_000_000 }));
    let put = 0;
    const started = performance.now();
    const end = started + options.putDurationMs;
    await Promise.all(Array.from({ length: PRODUCERS }, async (_, p) => {
      let i = 0;
      while (performance.now() < end) {
        const out = await kinesis.send(new PutRecordsCommand({
          StreamName: 'bench-clicks',
          Records: Array.from({ length: 500 }, () => ({ PartitionKey: `user-${(p * 7919 + i++) % KEYS}`, Data: data })),
        }));
        put += 500 - (out.FailedRecordCount ?? 0);
      }
    }));
    const putSeconds = (performance.now() - started) / 1000;
    const deadline = performance.now() + 120_000;
    while (handled < put && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const esmSeconds = (performance.now() - started) / 1000;
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: mapping.UUID }));
    if (handled < put) throw new Error(`the mapping delivered ${handled} of ${put} records within 2 minutes`);
    const saturatedAges = batches.splice(0).map((b) => b.ageMs);

    // IteratorAge at a steady offered load: 100-record PutRecords calls on a fixed schedule.
    const steadyArn = await activeStream(kinesis, 'bench-steady', SHARDS);
    const steady = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: 'bench-kinesis', EventSourceArn: steadyArn, StartingPosition: 'LATEST', BatchSize: 100,
    }));
    await new Promise((r) => setTimeout(r, 500));
    const calls = Math.round((options.steadyRecordsPerSecond * options.putDurationMs) / 1000 / 100);
    const intervalMs = 100_000 / options.steadyRecordsPerSecond;
    const steadyStart = performance.now();
    const sending: Array<Promise<unknown>> = [];
    let steadyHandled = handled;
    for (let c = 0; c < calls; c++) {
      const wait = steadyStart + c * intervalMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sending.push(kinesis.send(new PutRecordsCommand({
        StreamName: 'bench-steady', Records: Array.from({ length: 100 }, (_, j) => ({ PartitionKey: `user-${(c * 100 + j) % KEYS}`, Data: data })),
      })));
    }
    await Promise.all(sending);
    steadyHandled += calls * 100;
    while (handled < steadyHandled && performance.now() < deadline + 60_000) await new Promise((r) => setTimeout(r, 20));
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: steady.UUID }));

    // Latency: one record at a time into an idle mapping; the first warms the environment.
    await server.deploy('bench-kinesis-latency', LATENCY_REPORTER.replace('process.env.REPORT_URL', reportUrl), { timeoutSeconds: 30 });
    const idleArn = await activeStream(kinesis, 'bench-idle', 1);
    const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: 'bench-kinesis-latency', EventSourceArn: idleArn, StartingPosition: 'LATEST', BatchSize: 100,
    }));
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 0; i <= options.latencySamples; i++) {
      if (i === 1) latencies.length = 0;
      const before = handled;
      await kinesis.send(new PutRecordCommand({ StreamName: 'bench-idle', PartitionKey: 'k', Data: new TextEncoder().encode(String(Date.now())) }));
      while (handled === before) await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, 20));
    }
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID }));
    return {
      putRecordsPerSecond: Math.round(put / putSeconds),
      esmRecordsPerSecond: Math.round(put / esmSeconds),
      esmRecords: put,
      iteratorAgeP50Ms: round3(median(batches.map((b) => b.ageMs))),
      iteratorAgeLoadPerSecond: options.steadyRecordsPerSecond,
      iteratorAgeSaturatedP50Ms: round3(median(saturatedAges)),
      putToHandlerP50Ms: round3(median(latencies)),
    };
  } finally {
    kinesis.destroy();
    lambda.destroy();
    reporter.close();
    reporter.closeAllConnections();
  }
}
