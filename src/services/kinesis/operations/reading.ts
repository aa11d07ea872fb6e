import { shardIdOf } from '../arns.js';
import type { KinesisDeps, KinesisOperation } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_GET_RECORDS_BYTES, MAX_GET_RECORDS_LIMIT, MAX_SHARD_ITERATOR_CHARS, SHARD_ITERATOR_TTL_MS } from '../limits.js';
import { parseSequence } from '../sequence-numbers.js';
import { readShard, startingBound, type IteratorType } from '../shard-reader.js';
import { requireShard, requireStream } from '../stream-lookup.js';
import { acceptsRecords } from '../stream-states.js';
import { findShard } from '../tables/shards.js';
import { findStreamById } from '../tables/streams.js';
import { childShardView } from '../views.js';
import { ConstraintCheck, int, str, streamKeyOf, timestampMs } from '../validation.js';

const ITERATOR_TYPES: readonly IteratorType[] = ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'];

export function readingOperations(deps: KinesisDeps): Record<string, KinesisOperation> {
  const { db, clock, iterators, throughput } = deps;
  return {
    async GetShardIterator(input, ctx) {
      new ConstraintCheck()
        .required(input.ShardId, 'shardId')
        .required(input.ShardIteratorType, 'shardIteratorType')
        .shardId(input.ShardId, 'shardId')
        .oneOf(input.ShardIteratorType, 'shardIteratorType', ITERATOR_TYPES)
        .sequenceNumber(input.StartingSequenceNumber, 'startingSequenceNumber')
        .throwIfAny();
      const key = streamKeyOf(input, ctx);
      const stream = await requireStream(db, key);
      if (!acceptsRecords(stream.status)) throw errors.streamNotFound(key.name, key.accountId);
      const shard = await requireShard(db, stream, str(input.ShardId)!, errors.shardDoesNotExist);
      const shardId = shardIdOf(shard.shard_index);
      const type = input.ShardIteratorType as IteratorType;
      const sequence = str(input.StartingSequenceNumber);
      const wantsSequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
      if (wantsSequence && sequence === undefined) throw errors.sequenceRequired(type);
      if (!wantsSequence && sequence !== undefined) throw errors.sequenceNotAllowed(type);
      if (sequence !== undefined) {
        const parts = parseSequence(sequence);
        if (!parts) throw errors.invalidStartingSequence(sequence, shardId, stream.name, stream.account_id);
        if (parts.shardIndex !== shard.shard_index) throw errors.sequenceOfOtherShard(shardIdOf(parts.shardIndex), shardId);
      }
      const now = clock.now();
      let timestamp: number | undefined;
      if (type === 'AT_TIMESTAMP') {
        timestamp = timestampMs(input.Timestamp);
        if (timestamp === undefined) throw errors.timestampRequired();
        if (timestamp > now) throw errors.timestampInFuture(timestamp, now);
      }
      const position = startingBound(shard, type, sequence, timestamp);
      return { ShardIterator: iterators.encode({ streamId: stream.id, streamName: stream.name, shardIndex: shard.shard_index, position, issuedAt: now }) };
    },

    async GetRecords(input, ctx) {
      new ConstraintCheck()
        .required(input.ShardIterator, 'shardIterator')
        .length(input.ShardIterator, 'shardIterator', 1, MAX_SHARD_ITERATOR_CHARS)
        .range(input.Limit, 'limit', 1, MAX_GET_RECORDS_LIMIT)
        .throwIfAny();
      const state = iterators.decode(str(input.ShardIterator) ?? '');
      if (!state) throw errors.invalidShardIterator();
      const now = clock.now();
      if (now - state.issuedAt > SHARD_ITERATOR_TTL_MS) throw errors.iteratorExpired(state.issuedAt, now);
      const stream = await findStreamById(db, state.streamId);
      if (!stream || stream.account_id !== ctx.accountId || stream.region !== ctx.region || !acceptsRecords(stream.status)) {
        throw errors.streamNotFound(state.streamName, ctx.accountId);
      }
      const shard = await findShard(db, stream.id, state.shardIndex);
      if (!shard) throw errors.shardDoesNotExist(shardIdOf(state.shardIndex), stream.name, stream.account_id);
      const shardKey = `${stream.id}/${shard.shard_index}`;
      if (!throughput.admitRead(shardKey)) throw errors.shardThroughput(shardIdOf(shard.shard_index), stream.name, stream.account_id);
      const page = await readShard(db, stream, shard, state.position, { limit: int(input.Limit) ?? MAX_GET_RECORDS_LIMIT, maxBytes: MAX_GET_RECORDS_BYTES, now });
      throughput.countRead(shardKey, page.records.reduce((sum, r) => sum + r.data.length, 0));
      return {
        Records: page.records.map((r) => ({
          SequenceNumber: r.sequence_number,
          ApproximateArrivalTimestamp: new Date(r.arrival_ms),
          Data: r.data,
          PartitionKey: r.partition_key,
        })),
        ...(page.next ? { NextShardIterator: iterators.encode({ ...state, position: page.next, issuedAt: now }) } : { ChildShards: page.children.map(childShardView) }),
        MillisBehindLatest: page.millisBehindLatest,
      };
    },
  };
}
