import type { DynamodbStreamsDeps, StreamsOperation } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_GET_RECORDS_BYTES, MAX_GET_RECORDS_LIMIT, SHARD_ITERATOR_TTL_MS } from '../limits.js';
import { isSequenceNumber } from '../sequence-numbers.js';
import { boundOf, readShardPage } from '../shard-reader.js';
import { syncShards } from '../stream-shards.js';
import { oldestSequence } from '../tables/records.js';
import { findShard } from '../tables/shards.js';
import { StreamsConstraints } from '../validation.js';

const ITERATOR_TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] as const;
type IteratorType = (typeof ITERATOR_TYPES)[number];

/** GetShardIterator: a signed position in one shard, valid for 15 minutes. */
export function getShardIterator(deps: DynamodbStreamsDeps): StreamsOperation {
  return async (input) => {
    const check = new StreamsConstraints(input);
    const arn = check.string('StreamArn', { required: true, min: 37, max: 1024 });
    const shardId = check.string('ShardId', { required: true, min: 28, max: 65 });
    const type = check.string('ShardIteratorType', { required: true, oneOf: ITERATOR_TYPES }) as IteratorType | undefined;
    const sequence = check.string('SequenceNumber', { min: 21, max: 40 });
    check.throwIfFailed();
    const stream = await deps.catalog.find(arn!);
    if (!stream) throw errors.streamNotFound(arn!);
    await syncShards(deps, stream);
    const shard = await findShard(deps.db, stream.streamArn, shardId!);
    if (!shard) throw errors.shardNotFound();
    const bySequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
    if (bySequence && sequence === undefined) throw errors.sequenceNumberRequired(type!);
    if (!bySequence && sequence !== undefined) throw errors.sequenceNumberNotAllowed(type!);
    if (bySequence) {
      const newest = shard.last_sequence_number ?? shard.ending_sequence_number;
      if (!isSequenceNumber(sequence!) || sequence! < shard.starting_sequence_number || newest === null || sequence! > newest) {
        throw errors.invalidSequenceNumber(sequence!, shard.shard_id);
      }
      const oldest = await oldestSequence(deps.db, stream.streamArn, shard.shard_id);
      if (oldest === undefined || sequence! < oldest) throw errors.trimmed();
    }
    const position = bySequence ? { type, sequenceNumber: sequence! } : { type: type as 'TRIM_HORIZON' | 'LATEST' };
    const bound = await boundOf(deps.db, shard, position as Parameters<typeof boundOf>[2]);
    return { ShardIterator: deps.iterators.encode({ streamArn: stream.streamArn, shardId: shard.shard_id, position: bound, issuedAt: deps.clock.now() }) };
  };
}

/**
 * GetRecords: up to Limit records (≤ 1,000, ≤ 1 MB) from the iterator's position, and the iterator
 * after them; none at a closed shard's end. A position whose records were trimmed is
 * TrimmedDataAccessException, as on AWS.
 */
export function getRecords(deps: DynamodbStreamsDeps): StreamsOperation {
  return async (input) => {
    const check = new StreamsConstraints(input);
    const token = check.string('ShardIterator', { required: true, min: 1, max: 2048 });
    const limit = check.integer('Limit', { min: 1, max: MAX_GET_RECORDS_LIMIT }) ?? MAX_GET_RECORDS_LIMIT;
    check.throwIfFailed();
    const state = deps.iterators.decode(token!);
    if (!state) throw errors.invalidIterator();
    const now = deps.clock.now();
    if (now - state.issuedAt > SHARD_ITERATOR_TTL_MS) throw errors.iteratorExpired();
    const stream = await deps.catalog.find(state.streamArn);
    if (!stream) throw errors.streamNotFound(state.streamArn);
    await syncShards(deps, stream);
    const shard = await findShard(deps.db, stream.streamArn, state.shardId);
    if (!shard) throw errors.shardNotFound();
    const page = await readShardPage(deps.db, shard, state.position, limit, MAX_GET_RECORDS_BYTES);
    if (page.trimmed) throw errors.trimmed();
    const records = page.records.map((r) => JSON.parse(r.record) as unknown);
    return {
      Records: records,
      ...(page.next ? { NextShardIterator: deps.iterators.encode({ streamArn: stream.streamArn, shardId: shard.shard_id, position: page.next, issuedAt: now }) } : {}),
    };
  };
}
