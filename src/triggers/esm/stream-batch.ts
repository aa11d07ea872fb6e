import * as limits from './limits.js';
import type { InvokeOutcome } from './function-invoker.js';
import { failedItemIds } from './sqs-event.js';
import { recordJson, type EncodedRecord } from './stream-event-format.js';
import { arnServiceOf } from '../../contracts/delivery-sinks.js';
import { deliverFailureRecord, failureObjectKey, streamFailureRecord, withEventPayload, type LastResponse, type StreamFailureCondition } from './stream-failure-record.js';
import { recordIteratorAge } from './iterator-age.js';
import { pause, type StreamMappingContext } from './stream-mapping-context.js';
import type { SourceRecord } from './stream-source.js';
import { windowMembers, type OpenWindow } from './tumbling-window.js';

/** A record on its way through a lane, with its event JSON. */
export interface BatchRecord {
  record: SourceRecord;
  encoded: EncodedRecord;
}

/** Part of a batch still to deliver, with what it has cost so far. */
interface Pending {
  records: BatchRecord[];
  /** Retries used (a bisection uses none). */
  retries: number;
  /** Invocations the records were part of. */
  invokes: number;
}

type Verdict =
  | { kind: 'success'; state?: unknown }
  | { kind: 'partial'; firstFailed: number; state?: unknown }
  | { kind: 'failed'; functionError?: string };

/**
 * Delivers one batch of a lane with Lambda's error handling for streams (spec §6): retried until it
 * succeeds (the lane waits meanwhile), throttles and unavailability backed off without counting,
 * records older than MaximumRecordAgeInSeconds and batches past MaximumRetryAttempts given up with an
 * OnFailure record, BisectBatchOnFunctionError splitting a failed batch in halves, a
 * ReportBatchItemFailures answer checkpointing before the lowest failed record. `done` is told of
 * records as they are finished with (delivered or given up), in order. With `window`, the invocation
 * carries the tumbling window and its state, which the function's answer replaces. Resolves false
 * when the poller stopped first.
 */
export async function deliverBatch(
  ctx: StreamMappingContext,
  shardId: string,
  records: BatchRecord[],
  window: OpenWindow | null,
  final: boolean,
  done: (records: BatchRecord[]) => Promise<void>,
): Promise<boolean> {
  const { config, clock, signal } = ctx;
  const queue: Pending[] = [{ records, retries: 0, invokes: 0 }];
  let lastResponse: LastResponse | undefined;
  let throttles = 0;
  while (queue.length > 0) {
    if (signal.aborted) return false;
    const pending = queue[0] as Pending;
    if (config.maximumRecordAgeSeconds >= 0) {
      const oldest = clock.now() - config.maximumRecordAgeSeconds * 1000;
      let expired = 0;
      while (expired < pending.records.length && (pending.records[expired] as BatchRecord).record.arrivalMs < oldest) expired++;
      if (expired > 0) {
        const dropped = pending.records.slice(0, expired);
        if (!(await giveUp(ctx, shardId, dropped, 'RecordAgeExceeded', pending.invokes, pending.invokes > 0 ? lastResponse : undefined))) return false;
        await done(dropped);
        pending.records = pending.records.slice(expired);
        if (pending.records.length === 0 && !final) {
          queue.shift();
          continue;
        }
      }
    }
    const outcome = await invoke(ctx, shardId, pending.records, window, final);
    if (outcome === null) return false;
    if (outcome.kind === 'throttled' || outcome.kind === 'unavailable') {
      if (outcome.kind === 'unavailable') ctx.logger.warn({ uuid: config.uuid, reason: outcome.reason }, 'stream mapping could not invoke its function');
      const delay = Math.min(limits.STREAM_THROTTLE_BACKOFF_MAX_MS, limits.STREAM_THROTTLE_BACKOFF_INITIAL_MS * 2 ** throttles++);
      if (!(await pause(clock, delay, signal))) return false;
      continue;
    }
    throttles = 0;
    pending.invokes++;
    const verdict = verdictOf(outcome, pending.records, config.reportBatchItemFailures, window !== null);
    if (verdict.kind !== 'failed' && window && 'state' in verdict) {
      window.state = verdict.state;
      if (Buffer.byteLength(JSON.stringify(verdict.state ?? {})) > limits.TUMBLING_WINDOW_STATE_MAX_BYTES) window.terminatedEarly = true;
    }
    if (verdict.kind === 'success') {
      ctx.reportResult('OK');
      await done(pending.records);
      queue.shift();
      continue;
    }
    ctx.reportResult('PROBLEM: Function call failed');
    if (outcome.invoked) lastResponse = { invoked: outcome.invoked, ...(verdict.kind === 'failed' && verdict.functionError ? { functionError: verdict.functionError } : {}) };
    if (verdict.kind === 'partial' && verdict.firstFailed > 0) {
      // Everything before the lowest failed record is checkpointed; the retry starts there.
      await done(pending.records.slice(0, verdict.firstFailed));
      pending.records = pending.records.slice(verdict.firstFailed);
    } else if (config.bisectOnFunctionError && pending.records.length > 1) {
      const half = Math.ceil(pending.records.length / 2);
      queue.splice(0, 1, { ...pending, records: pending.records.slice(0, half) }, { ...pending, records: pending.records.slice(half) });
      continue;
    }
    pending.retries++;
    if (config.maximumRetryAttempts >= 0 && pending.retries > config.maximumRetryAttempts) {
      if (!(await giveUp(ctx, shardId, pending.records, 'RetryAttemptsExhausted', pending.invokes, lastResponse))) return false;
      await done(pending.records);
      queue.shift();
      continue;
    }
    const delay = Math.min(limits.STREAM_RETRY_DELAY_MAX_MS, limits.STREAM_RETRY_DELAY_INITIAL_MS * 2 ** (pending.retries - 1));
    if (!(await pause(clock, delay, signal))) return false;
  }
  return true;
}

/** One synchronous invocation within the mapping's concurrency cap; null when the poller stopped. */
async function invoke(ctx: StreamMappingContext, shardId: string, records: BatchRecord[], window: OpenWindow | null, final: boolean): Promise<InvokeOutcome | null> {
  await ctx.refreshConcurrencyLimit();
  if (!(await ctx.gate.acquire(ctx.signal))) return null;
  try {
    let sentAt = 0;
    const outcome = await ctx.invoker.invokeWith(ctx.config.functionArn, ({ roleArn }) => {
      sentAt = ctx.clock.now();
      const role = JSON.stringify(roleArn);
      ctx.roleJsonBytes = Buffer.byteLength(role);
      ctx.roleJson = role;
      const body = records.map((r) => recordJson(r.encoded, role)).join(',');
      const extra = window ? `,${windowMembers(window, shardId, ctx.config.eventSourceArn, final)}` : '';
      return Buffer.from(`{"Records":[${body}]${extra}}`);
    });
    const last = records[records.length - 1];
    if (last && (outcome.kind === 'ok' || outcome.kind === 'function-error')) recordIteratorAge(ctx.metrics, ctx.config.functionArn, sentAt - last.record.arrivalMs);
    return outcome;
  } finally {
    ctx.gate.release();
  }
}

function verdictOf(outcome: Extract<InvokeOutcome, { payload: Buffer }>, records: BatchRecord[], reportItemFailures: boolean, tumbling: boolean): Verdict {
  if (outcome.kind === 'function-error') return { kind: 'failed', functionError: 'Unhandled' };
  let state: { state?: unknown } = {};
  if (tumbling) {
    // A tumbling-window function must answer `{state, batchItemFailures}`; no state is a failure.
    let parsed: unknown;
    try {
      parsed = JSON.parse(outcome.payload.toString('utf8'));
    } catch {
      return { kind: 'failed' };
    }
    if (parsed === null || typeof parsed !== 'object' || !('state' in parsed)) return { kind: 'failed' };
    state = { state: (parsed as { state: unknown }).state };
  }
  if (!reportItemFailures) return { kind: 'success', ...state };
  const sequences = records.map((r) => r.record.sequenceNumber);
  const failed = failedItemIds(outcome.payload, new Set(sequences));
  if (failed === null) return { kind: 'failed' };
  if (failed.size === 0) return { kind: 'success', ...state };
  return { kind: 'partial', firstFailed: sequences.findIndex((s) => failed.has(s)), ...state };
}

/**
 * Sends the OnFailure record for records given up on (when a destination is configured) and
 * resolves true once it is accepted; a destination that refuses is retried, holding the shard, as
 * the records may only be skipped once the destination has them.
 */
async function giveUp(
  ctx: StreamMappingContext,
  shardId: string,
  records: BatchRecord[],
  condition: StreamFailureCondition,
  invokes: number,
  lastResponse: LastResponse | undefined,
): Promise<boolean> {
  const { config } = ctx;
  ctx.logger.info({ uuid: config.uuid, shardId, condition, records: records.length }, 'stream mapping skips records');
  const destination = config.onFailureDestination;
  if (!destination || records.length === 0) return true;
  const failed = records.map((r) => r.record);
  const now = ctx.clock.now();
  const body = streamFailureRecord({
    condition,
    functionArn: unqualified(config.functionArn),
    approximateInvokeCount: invokes,
    lastResponse,
    batchInfoKey: ctx.format.batchInfoKey,
    shardId,
    streamArn: config.streamArn,
    records: failed,
    now,
  });
  // An S3 destination also gets the whole event the records were (or would have been) sent in.
  const message = arnServiceOf(destination) === 's3'
    ? { body: withEventPayload(body, `{"Records":[${records.map((r) => recordJson(r.encoded, ctx.roleJson)).join(',')}]}`), objectKey: failureObjectKey(config.uuid, shardId, now) }
    : { body };
  for (;;) {
    try {
      const result = await deliverFailureRecord(ctx.sinks, destination, message, { sourceArn: config.eventSourceArn, accountId: config.eventSourceArn.split(':')[4] ?? '' });
      if (result === 'undeliverable') ctx.logger.warn({ uuid: config.uuid, destination }, 'no delivery for this OnFailure destination service; records skipped');
      return true;
    } catch (err) {
      ctx.logger.warn({ err, uuid: config.uuid, destination }, 'OnFailure destination refused the record; retrying');
      if (!(await pause(ctx.clock, limits.STREAM_SOURCE_ERROR_BACKOFF_MS, ctx.signal))) return false;
    }
  }
}

function unqualified(functionArn: string): string {
  return functionArn.split(':').slice(0, 7).join(':');
}
