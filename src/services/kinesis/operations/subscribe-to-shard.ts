import type { RequestContext, ServiceResponse } from '../../../contracts/request-context.js';
import { CBOR_CONTENT_TYPE, cborBytes } from '../../../protocols/aws-cbor.js';
import { eventMessage, eventStreamMessage } from '../../../protocols/event-stream.js';
import { parseConsumerArn, shardIdOf, streamArn } from '../arns.js';
import type { KinesisDeps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_GET_RECORDS_BYTES, MAX_GET_RECORDS_LIMIT, SUBSCRIPTION_DURATION_MS, SUBSCRIPTION_HEARTBEAT_MS } from '../limits.js';
import { parseSequence } from '../sequence-numbers.js';
import { readShard, startingBound, type IteratorType } from '../shard-reader.js';
import { requireShard, requireStream } from '../stream-lookup.js';
import { acceptsRecords } from '../stream-states.js';
import { findConsumer } from '../tables/consumers.js';
import type { LowerBound } from '../tables/records.js';
import { childShardView } from '../views.js';
import { ConstraintCheck, str, timestampMs } from '../validation.js';
import { toWire, type WireFormat } from '../wire.js';

const POSITION_TYPES: readonly IteratorType[] = ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'];

/**
 * SubscribeToShard (enhanced fan-out): an `application/vnd.amazon.eventstream` answer that opens
 * with `initial-response`, then pushes a `SubscribeToShardEvent` as soon as records commit to the
 * shard (woken by the write, no polling) and at least every 5 s without them, for 5 minutes. A
 * closed shard read to its end gets a last event naming its `ChildShards`, and the stream ends.
 * Each event's payload is in the protocol of the request: JSON, or AWS's CBOR (the Java SDK's default).
 */
export async function subscribeToShard(deps: KinesisDeps, input: Record<string, unknown>, ctx: RequestContext, format: WireFormat): Promise<ServiceResponse> {
  const position = (input.StartingPosition ?? undefined) as Record<string, unknown> | undefined;
  new ConstraintCheck()
    .required(input.ConsumerARN, 'consumerARN')
    .required(input.ShardId, 'shardId')
    .required(position, 'startingPosition')
    .shardId(input.ShardId, 'shardId')
    .throwIfAny();
  new ConstraintCheck()
    .required(position?.Type, 'startingPosition.type')
    .oneOf(position?.Type, 'startingPosition.type', POSITION_TYPES)
    .sequenceNumber(position?.SequenceNumber, 'startingPosition.sequenceNumber')
    .throwIfAny();
  const consumerKey = parseConsumerArn(str(input.ConsumerARN) ?? '');
  if (!consumerKey) throw errors.invalidResourceArn(str(input.ConsumerARN) ?? '');
  if (consumerKey.accountId !== ctx.accountId || consumerKey.region !== ctx.region) throw errors.streamNotFound(consumerKey.name, ctx.accountId);
  const { db, clock, notifications } = deps;
  const stream = await requireStream(db, consumerKey);
  const consumer = await findConsumer(db, stream.id, consumerKey.consumerName);
  if (!consumer || Math.floor(consumer.created_at / 1000) !== consumerKey.createdAtSeconds) {
    throw errors.consumerNotFound(consumerKey.consumerName, stream.name, stream.account_id);
  }
  if (consumer.status !== 'ACTIVE') throw errors.consumerNotActive(consumer.name, consumerKey.createdAtSeconds, stream.name, stream.account_id);
  if (!acceptsRecords(stream.status)) throw errors.streamNotFound(stream.name, stream.account_id);
  const shard = await requireShard(db, stream, str(input.ShardId)!, errors.shardDoesNotExist);
  const shardId = shardIdOf(shard.shard_index);

  const type = position!.Type as IteratorType;
  const sequence = str(position!.SequenceNumber);
  const wantsSequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  if (wantsSequence && sequence === undefined) throw errors.sequenceRequired(type);
  if (!wantsSequence && sequence !== undefined) throw errors.sequenceNotAllowed(type);
  if (sequence !== undefined) {
    const parts = parseSequence(sequence);
    if (!parts) throw errors.invalidStartingSequence(sequence, shardId, stream.name, stream.account_id);
    if (parts.shardIndex !== shard.shard_index) throw errors.sequenceOfOtherShard(shardIdOf(parts.shardIndex), shardId);
  }
  let timestamp: number | undefined;
  if (type === 'AT_TIMESTAMP') {
    timestamp = timestampMs(position!.Timestamp);
    if (timestamp === undefined) throw errors.timestampRequired();
  }
  const start = startingBound(shard, type, sequence, timestamp);
  const arn = streamArn(consumerKey);
  const subscribedAt = clock.now();
  let takenOver = false;
  let wake: (() => void) | undefined;
  const subscription = deps.subscriptions.begin(str(input.ConsumerARN)!, shardId, subscribedAt, () => {
    takenOver = true;
    wake?.();
  });
  if (!subscription) throw errors.subscriptionExists(stream.account_id, stream.name, shardId, consumer.name);
  const live = subscription;
  const consumerName = consumer.name;

  const contentType = format === 'cbor' ? CBOR_CONTENT_TYPE : 'application/json';
  const payload = (value: unknown): Buffer => (format === 'cbor' ? cborBytes(toWire(value, 'cbor')) : Buffer.from(JSON.stringify(toWire(value, 'json'))));

  async function* events(): AsyncGenerator<Uint8Array> {
    yield eventStreamMessage({ ':event-type': 'initial-response', ':content-type': contentType, ':message-type': 'event' }, payload({}));
    let from: LowerBound = start;
    let arrived = false;
    const unsubscribe = notifications.subscribe(arn, shardId, () => {
      arrived = true;
      wake?.();
    });
    try {
      while (clock.now() - subscribedAt < SUBSCRIPTION_DURATION_MS) {
        if (takenOver) {
          // A later call took the subscription over: this stream ends with AWS's exception event.
          const error = errors.subscriptionExists(stream.account_id, stream.name, shardId, consumerName);
          yield eventStreamMessage(
            { ':exception-type': error.code, ':content-type': contentType, ':message-type': 'exception' },
            payload({ message: error.message }),
          );
          return;
        }
        arrived = false;
        const current = await requireShard(db, stream, shardId, errors.shardDoesNotExist);
        const page = await readShard(db, stream, current, from, { limit: MAX_GET_RECORDS_LIMIT, maxBytes: MAX_GET_RECORDS_BYTES, now: clock.now() });
        const last = page.records[page.records.length - 1];
        const event = {
          Records: page.records.map((r) => ({
            SequenceNumber: r.sequence_number, ApproximateArrivalTimestamp: new Date(r.arrival_ms), Data: r.data, PartitionKey: r.partition_key,
          })),
          // Where a new subscription would continue (AFTER_SEQUENCE_NUMBER); null once the shard is read to its end.
          ContinuationSequenceNumber: page.next ? (last?.sequence_number ?? from.sequence) : undefined,
          MillisBehindLatest: page.millisBehindLatest,
          ...(page.next ? {} : { ChildShards: page.children.map(childShardView) }),
        };
        // Each pass is the first read, a wake-up by a write, or the heartbeat: each sends an event.
        yield eventMessage('SubscribeToShardEvent', contentType, payload(event));
        if (!page.next) return;
        from = page.next;
        if (page.records.length >= MAX_GET_RECORDS_LIMIT || arrived) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.min(SUBSCRIPTION_HEARTBEAT_MS, SUBSCRIPTION_DURATION_MS - (clock.now() - subscribedAt)));
          // A subscription whose client is gone must not hold a stopping server open until its next heartbeat.
          timer.unref();
          function done() {
            clearTimeout(timer);
            wake = undefined;
            resolve();
          }
          wake = done;
          if (arrived || takenOver) done();
        });
      }
    } finally {
      unsubscribe();
      live.end();
    }
  }
  return { status: 200, headers: { 'content-type': 'application/vnd.amazon.eventstream' }, stream: events() };
}
