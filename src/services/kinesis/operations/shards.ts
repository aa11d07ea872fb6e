import type { Store } from '../../../store/database.js';
import { shardIdOf, shardIndexOf, streamArn } from '../arns.js';
import type { KinesisDeps, KinesisOperation } from '../deps.js';
import { errors } from '../errors.js';
import { parseHashKey } from '../hash-keys.js';
import { ACCOUNT_SHARD_LIMIT, DEFAULT_LIST_SHARDS_LIMIT, MAX_LIST_SHARDS_LIMIT, NEXT_TOKEN_TTL_MS } from '../limits.js';
import { isUniform, ShardLayout } from '../resharding.js';
import { decodeToken, encodeToken, requireShard, requireStream } from '../stream-lookup.js';
import { canStream, streamTransition } from '../stream-states.js';
import { countOpenShards, listShardRows, openShardRows, type ShardRow } from '../tables/shards.js';
import type { StreamRow } from '../tables/streams.js';
import { shardView, withinRetention } from '../views.js';
import { ConstraintCheck, int, str, streamKeyOf, timestampMs } from '../validation.js';

type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

const FILTER_TYPES = ['AFTER_SHARD_ID', 'AT_TRIM_HORIZON', 'FROM_TRIM_HORIZON', 'AT_LATEST', 'AT_TIMESTAMP', 'FROM_TIMESTAMP'] as const;
type FilterType = (typeof FILTER_TYPES)[number];
interface ShardFilter {
  type: FilterType;
  shardIndex?: number;
  timestampMs?: number;
}

const openAt = (s: ShardRow, t: number) => s.created_at <= t && (s.closed_at === null || s.closed_at > t);

/** ListShards' ShardFilter, as AWS documents each type. */
function applyFilter(stream: StreamRow, shards: ShardRow[], filter: ShardFilter | undefined, now: number): ShardRow[] {
  if (!filter) return shards;
  const trimHorizon = Math.max(now - stream.retention_hours * 3_600_000, stream.created_at);
  switch (filter.type) {
    case 'AFTER_SHARD_ID':
      return shards.filter((s) => s.shard_index > filter.shardIndex!);
    case 'AT_TRIM_HORIZON':
      return shards.filter((s) => openAt(s, trimHorizon));
    case 'FROM_TRIM_HORIZON':
      return shards;
    case 'AT_LATEST':
      return shards.filter((s) => s.closed_at === null);
    case 'AT_TIMESTAMP':
      return shards.filter((s) => openAt(s, Math.max(filter.timestampMs!, trimHorizon)));
    case 'FROM_TIMESTAMP':
      return shards.filter((s) => s.closed_at === null || s.closed_at > Math.max(filter.timestampMs!, trimHorizon));
  }
}

function parseFilter(value: unknown): ShardFilter | undefined {
  if (value === undefined || value === null) return undefined;
  const raw = value as Record<string, unknown>;
  new ConstraintCheck().required(raw.Type, 'shardFilter.type').oneOf(raw.Type, 'shardFilter.type', FILTER_TYPES).shardId(raw.ShardId, 'shardFilter.shardId').throwIfAny();
  const type = raw.Type as FilterType;
  if (type === 'AFTER_SHARD_ID') {
    const index = typeof raw.ShardId === 'string' ? shardIndexOf(raw.ShardId) : null;
    if (index === null) throw errors.invalidShardFilter('ShardId is required for the AFTER_SHARD_ID filter type.');
    return { type, shardIndex: index };
  }
  if (type === 'AT_TIMESTAMP' || type === 'FROM_TIMESTAMP') {
    const ts = timestampMs(raw.Timestamp);
    if (ts === undefined) throw errors.invalidShardFilter(`Timestamp is required for the ${type} filter type.`);
    return { type, timestampMs: ts };
  }
  return { type };
}

export function shardOperations(deps: KinesisDeps): Record<string, KinesisOperation> {
  const { db, clock } = deps;

  /** Marks the stream UPDATING for the transition delay, inside the resharding transaction. */
  const startUpdating = async (trx: Db, stream: StreamRow, layout: ShardLayout, until: number) => {
    await trx
      .updateTable('kinesis_streams')
      .set({ status: streamTransition(stream.status, 'reshard'), status_until: until, next_shard_index: layout.nextShardIndex })
      .where('id', '=', stream.id)
      .execute();
  };
  const reshardable = (stream: StreamRow, operation: string) => {
    if (stream.mode === 'ON_DEMAND') throw errors.onDemandNotSupported(operation);
    if (!canStream(stream.status, 'reshard')) throw errors.streamNotActive(stream.name, stream.account_id, stream.status);
  };
  const checkShardLimit = async (trx: Db, stream: StreamRow, additional: number) => {
    const open = await countOpenShards(trx, { accountId: stream.account_id, region: stream.region });
    if (additional > 0 && open + additional > ACCOUNT_SHARD_LIMIT) throw errors.shardLimit(stream.account_id, stream.region, open, ACCOUNT_SHARD_LIMIT, additional);
  };
  const notify = (stream: StreamRow, touched: string[]) => {
    const arn = streamArn({ accountId: stream.account_id, region: stream.region, name: stream.name });
    for (const shardId of touched) deps.notifications.notify(arn, shardId);
  };

  return {
    async ListShards(input, ctx) {
      const hasStream = input.StreamName !== undefined || input.StreamARN !== undefined;
      if (input.NextToken !== undefined && input.StreamName !== undefined) throw errors.nextTokenWithStreamName();
      if (input.NextToken === undefined && !hasStream) throw errors.nextTokenOrStreamName();
      new ConstraintCheck().range(input.MaxResults, 'maxResults', 1, MAX_LIST_SHARDS_LIMIT).shardId(input.ExclusiveStartShardId, 'exclusiveStartShardId').throwIfAny();
      const now = clock.now();
      let streamInput: Record<string, unknown> = input;
      let after = typeof input.ExclusiveStartShardId === 'string' ? shardIndexOf(input.ExclusiveStartShardId) : null;
      let filter: ShardFilter | undefined;
      if (typeof input.NextToken === 'string') {
        const doc = decodeToken(input.NextToken);
        if (!doc || typeof doc.arn !== 'string' || typeof doc.after !== 'number' || typeof doc.at !== 'number') throw errors.invalidNextToken();
        if (now - doc.at > NEXT_TOKEN_TTL_MS) throw errors.expiredNextToken();
        streamInput = { StreamARN: doc.arn };
        after = doc.after;
        filter = (doc.filter as ShardFilter | undefined) ?? undefined;
      } else {
        filter = parseFilter(input.ShardFilter);
      }
      const stream = await requireStream(db, streamKeyOf(streamInput, ctx));
      const shards = applyFilter(stream, withinRetention(stream, await listShardRows(db, stream.id), now), filter, now).filter(
        (s) => after === null || s.shard_index > after,
      );
      const limit = int(input.MaxResults) ?? DEFAULT_LIST_SHARDS_LIMIT;
      const page = shards.slice(0, limit);
      const more = shards.length > limit;
      const arn = streamArn({ accountId: stream.account_id, region: stream.region, name: stream.name });
      return {
        Shards: page.map(shardView),
        ...(more ? { NextToken: encodeToken({ arn, after: page[page.length - 1]!.shard_index, at: now, ...(filter ? { filter } : {}) }) } : {}),
      };
    },

    async SplitShard(input, ctx) {
      new ConstraintCheck()
        .required(input.ShardToSplit, 'shardToSplit')
        .required(input.NewStartingHashKey, 'newStartingHashKey')
        .shardId(input.ShardToSplit, 'shardToSplit')
        .hashKey(input.NewStartingHashKey, 'newStartingHashKey')
        .throwIfAny();
      const key = streamKeyOf(input, ctx);
      const until = clock.now() + deps.transitionDelayMs;
      const { stream, touched } = await db.transaction().execute(async (trx) => {
        const stream = await requireStream(trx, key);
        reshardable(stream, 'SplitShard');
        const shard = await requireShard(trx, stream, str(input.ShardToSplit)!, errors.shardNotFound);
        const shardId = shardIdOf(shard.shard_index);
        if (shard.closed_at !== null) throw errors.shardClosed(shardId, stream.name, stream.account_id);
        const newKey = parseHashKey(str(input.NewStartingHashKey)!);
        const start = BigInt(shard.starting_hash_key);
        const end = BigInt(shard.ending_hash_key);
        if (newKey === null || newKey <= start + 1n || newKey >= end) {
          throw errors.invalidNewStartingHashKey(str(input.NewStartingHashKey)!, shardId, stream.name, stream.account_id, shard.starting_hash_key, shard.ending_hash_key);
        }
        await checkShardLimit(trx, stream, 1);
        const layout = new ShardLayout(trx, stream.id, stream.next_shard_index, clock.now());
        await layout.split(shard, newKey);
        await startUpdating(trx, stream, layout, until);
        return { stream, touched: layout.touched };
      });
      deps.onTransitionScheduled(until);
      notify(stream, touched);
    },

    async MergeShards(input, ctx) {
      new ConstraintCheck()
        .required(input.ShardToMerge, 'shardToMerge')
        .required(input.AdjacentShardToMerge, 'adjacentShardToMerge')
        .shardId(input.ShardToMerge, 'shardToMerge')
        .shardId(input.AdjacentShardToMerge, 'adjacentShardToMerge')
        .throwIfAny();
      const key = streamKeyOf(input, ctx);
      const until = clock.now() + deps.transitionDelayMs;
      const { stream, touched } = await db.transaction().execute(async (trx) => {
        const stream = await requireStream(trx, key);
        reshardable(stream, 'MergeShards');
        const a = await requireShard(trx, stream, str(input.ShardToMerge)!, errors.shardNotFound);
        const b = await requireShard(trx, stream, str(input.AdjacentShardToMerge)!, errors.shardNotFound);
        for (const s of [a, b]) if (s.closed_at !== null) throw errors.shardClosed(shardIdOf(s.shard_index), stream.name, stream.account_id);
        const [lower, upper] = BigInt(a.starting_hash_key) < BigInt(b.starting_hash_key) ? [a, b] : [b, a];
        if (BigInt(lower.ending_hash_key) + 1n !== BigInt(upper.starting_hash_key)) {
          throw errors.notAdjacent(shardIdOf(a.shard_index), shardIdOf(b.shard_index), stream.name, stream.account_id);
        }
        const layout = new ShardLayout(trx, stream.id, stream.next_shard_index, clock.now());
        await layout.merge(lower, upper);
        await startUpdating(trx, stream, layout, until);
        return { stream, touched: layout.touched };
      });
      deps.onTransitionScheduled(until);
      notify(stream, touched);
    },

    async UpdateShardCount(input, ctx) {
      new ConstraintCheck()
        .required(input.TargetShardCount, 'targetShardCount')
        .required(input.ScalingType, 'scalingType')
        .range(input.TargetShardCount, 'targetShardCount', 1)
        .oneOf(input.ScalingType, 'scalingType', ['UNIFORM_SCALING'])
        .throwIfAny();
      const key = streamKeyOf(input, ctx);
      const target = int(input.TargetShardCount)!;
      const until = clock.now() + deps.transitionDelayMs;
      const { stream, touched, current } = await db.transaction().execute(async (trx) => {
        const stream = await requireStream(trx, key);
        reshardable(stream, 'UpdateShardCount');
        const open = await openShardRows(trx, stream.id);
        const current = open.length;
        if (target > current * 2 || target < Math.ceil(current / 2)) throw errors.scalingOutOfBounds(current, target);
        if (isUniform(open, target)) return { stream, touched: [] as string[], current };
        await checkShardLimit(trx, stream, target - current);
        const layout = new ShardLayout(trx, stream.id, stream.next_shard_index, clock.now());
        await layout.scaleUniformly(open, target);
        await startUpdating(trx, stream, layout, until);
        return { stream, touched: layout.touched, current };
      });
      if (touched.length > 0) deps.onTransitionScheduled(until);
      notify(stream, touched);
      return { StreamName: stream.name, CurrentShardCount: current, TargetShardCount: target, StreamARN: streamArn({ accountId: stream.account_id, region: stream.region, name: stream.name }) };
    },
  };
}
