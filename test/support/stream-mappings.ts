import { CreateFunctionCommand, GetEventSourceMappingCommand, GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { CreateStreamCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { ACCOUNT, waitForStatus } from './kinesis.js';
import type { Recorder } from './recorder.js';
import { makeZip, ROLE } from './zip.js';

export { ACCOUNT };
export const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${name}`;

/**
 * A function for stream mappings: POSTs `{fn, event, data}` (data = each record decoded, JSON
 * parsed where it is JSON) to RECORDER_URL, then: throws when a record's data has `fail`; MODE
 * `partial` reports records whose data has `badOnce` the first time this environment sees them;
 * MODE `invalid` reports an unknown item; MODE `window` counts records in the tumbling window's
 * state. DELAY_MS waits after reporting.
 */
export const STREAM_HANDLER = `
const tries = {};
exports.handler = async (event) => {
  const data = (event.Records || []).map((r) => {
    const text = Buffer.from(r.kinesis.data, 'base64').toString('utf8');
    try { return JSON.parse(text); } catch { return text; }
  });
  await fetch(process.env.RECORDER_URL, { method: 'POST', body: JSON.stringify({ fn: process.env.TAG, at: Date.now(), event, data }) });
  if (process.env.DELAY_MS) await new Promise((r) => setTimeout(r, Number(process.env.DELAY_MS)));
  if (data.some((d) => d && d.fail)) throw new Error('told to fail');
  if (process.env.MODE === 'partial') {
    const bad = event.Records.filter((r, i) => data[i] && data[i].badOnce && !tries[r.kinesis.sequenceNumber]);
    for (const r of bad) tries[r.kinesis.sequenceNumber] = true;
    return { batchItemFailures: bad.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })) };
  }
  if (process.env.MODE === 'invalid') return { batchItemFailures: [{ itemIdentifier: 'not-a-sequence-number' }] };
  if (process.env.MODE === 'window') return { state: { count: ((event.state && event.state.count) || 0) + event.Records.length }, batchItemFailures: [] };
  return {};
};
`;

export interface Invocation {
  fn: string;
  at: number;
  event: { Records: Array<Record<string, unknown> & { kinesis: Record<string, unknown>; eventID: string }>; [k: string]: unknown };
  data: unknown[];
}

export function invocationsOf(recorder: Recorder, fn: string): Invocation[] {
  return (recorder.events as unknown as Invocation[]).filter((e) => e.fn === fn);
}

/** Every record data a function saw, in the order its invocations reported. */
export function dataOf(recorder: Recorder, fn: string): unknown[] {
  return invocationsOf(recorder, fn).flatMap((i) => i.data);
}

export async function createStreamFunction(lambda: LambdaClient, name: string, recorderUrl: string, env: Record<string, string> = {}, timeout = 5): Promise<string> {
  await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: timeout,
    Code: { ZipFile: makeZip({ 'index.js': STREAM_HANDLER }) }, Environment: { Variables: { RECORDER_URL: recorderUrl, TAG: name, ...env } },
  }));
  const deadline = Date.now() + 10_000;
  while ((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).State !== 'Active') {
    if (Date.now() > deadline) throw new Error(`function ${name} never became Active`);
    await sleep(25);
  }
  return name;
}

export async function createActiveStream(kinesis: KinesisClient, name: string, shards = 1): Promise<string> {
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await waitForStatus(kinesis, name);
  return streamArn(name);
}

/** Puts records (JSON-encoded unless strings), one PutRecords call per 500; returns the sequence numbers. */
export async function putRecords(kinesis: KinesisClient, stream: string, records: Array<{ key: string; data: unknown }>): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < records.length; i += 500) {
    const chunk = records.slice(i, i + 500);
    const res = await kinesis.send(new PutRecordsCommand({
      StreamName: stream,
      Records: chunk.map((r) => ({ PartitionKey: r.key, Data: new TextEncoder().encode(typeof r.data === 'string' ? r.data : JSON.stringify(r.data)) })),
    }));
    out.push(...(res.Records ?? []).map((r) => r.SequenceNumber ?? ''));
  }
  return out;
}

export async function waitForMappingState(lambda: LambdaClient, uuid: string, state: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    if (got.State === state) return;
    if (Date.now() > deadline) throw new Error(`mapping ${uuid} is ${got.State}, not ${state}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
