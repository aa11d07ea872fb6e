import { shardIndexOf, streamArn } from '../arns.js';
import type { KinesisDeps, KinesisOperation } from '../deps.js';
import { errors } from '../errors.js';
import { uniformRanges } from '../hash-keys.js';
import {
  ACCOUNT_SHARD_LIMIT,
  DEFAULT_DESCRIBE_STREAM_LIMIT,
  DEFAULT_LIST_STREAMS_LIMIT,
  DEFAULT_RETENTION_HOURS,
  MAX_DESCRIBE_STREAM_LIMIT,
  MAX_LIST_STREAMS_LIMIT,
  ON_DEMAND_INITIAL_SHARDS,
  ON_DEMAND_STREAM_LIMIT,
} from '../limits.js';
import { ShardLayout } from '../resharding.js';
import { decodeToken, encodeToken, requireStream } from '../stream-lookup.js';
import { canStream, streamTransition } from '../stream-states.js';
import { listConsumers } from '../tables/consumers.js';
import { countOpenShards, listShardRows } from '../tables/shards.js';
import { countStreams, findStream, listStreams, setStreamStatus } from '../tables/streams.js';
import { arnOf, shardView, streamModeView, withinRetention } from '../views.js';
import { ConstraintCheck, int, str, streamKeyOf } from '../validation.js';
import { checkTags } from './tags.js';

const MODES = ['PROVISIONED', 'ON_DEMAND'] as const;

export function streamOperations(deps: KinesisDeps): Record<string, KinesisOperation> {
  const { db, clock } = deps;
  return {
    async CreateStream(input, ctx) {
      const mode = (input.StreamModeDetails as { StreamMode?: unknown } | undefined)?.StreamMode;
      new ConstraintCheck()
        .required(input.StreamName, 'streamName')
        .streamName(input.StreamName)
        .range(input.ShardCount, 'shardCount', 1)
        .oneOf(mode, 'streamModeDetails.streamMode', MODES)
        .throwIfAny();
      const key = streamKeyOf(input, ctx);
      const shardCount = int(input.ShardCount);
      // Without a shard count or a mode AWS creates an on-demand stream.
      const streamMode = typeof mode === 'string' ? mode : shardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED';
      if (streamMode === 'PROVISIONED' && shardCount === undefined) throw errors.shardCountRequired();
      if (streamMode === 'ON_DEMAND' && shardCount !== undefined) throw errors.shardCountWithOnDemand();
      const count = shardCount ?? ON_DEMAND_INITIAL_SHARDS;
      const tags = checkTags(input.Tags, 0, key);
      const now = clock.now();
      const until = now + deps.transitionDelayMs;
      await db.transaction().execute(async (trx) => {
        if (await findStream(trx, key)) throw errors.streamExists(key.name, key.accountId);
        const open = await countOpenShards(trx, ctx);
        if (open + count > ACCOUNT_SHARD_LIMIT) throw errors.shardLimit(ctx.accountId, ctx.region, open, ACCOUNT_SHARD_LIMIT, count);
        if (streamMode === 'ON_DEMAND' && (await countStreams(trx, ctx, 'ON_DEMAND')) >= ON_DEMAND_STREAM_LIMIT) throw errors.onDemandStreamLimit(ON_DEMAND_STREAM_LIMIT);
        const inserted = await trx
          .insertInto('kinesis_streams')
          .values({
            account_id: key.accountId,
            region: key.region,
            name: key.name,
            mode: streamMode,
            status: 'CREATING',
            status_until: until,
            retention_hours: DEFAULT_RETENTION_HOURS,
            tags: JSON.stringify(tags),
            next_shard_index: count,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const layout = new ShardLayout(trx, inserted.id, 0, now);
        for (const range of uniformRanges(count)) await layout.create(range);
      });
      deps.onTransitionScheduled(until);
    },

    async DeleteStream(input, ctx) {
      const key = streamKeyOf(input, ctx);
      const until = clock.now() + deps.transitionDelayMs;
      await db.transaction().execute(async (trx) => {
        const stream = await requireStream(trx, key);
        if (!canStream(stream.status, 'delete')) throw errors.streamNotActive(key.name, key.accountId, stream.status);
        const consumers = await listConsumers(trx, stream.id);
        if (consumers.length > 0 && input.EnforceConsumerDeletion !== true) throw errors.streamHasConsumers(key.name, key.accountId);
        await setStreamStatus(trx, stream.id, streamTransition(stream.status, 'delete'), until);
        await trx.updateTable('kinesis_consumers').set({ status: 'DELETING', status_until: null }).where('stream_id', '=', stream.id).execute();
      });
      deps.onTransitionScheduled(until);
    },

    async DescribeStream(input, ctx) {
      new ConstraintCheck().range(input.Limit, 'limit', 1, MAX_DESCRIBE_STREAM_LIMIT).shardId(input.ExclusiveStartShardId, 'exclusiveStartShardId').throwIfAny();
      const stream = await requireStream(db, streamKeyOf(input, ctx));
      const limit = int(input.Limit) ?? DEFAULT_DESCRIBE_STREAM_LIMIT;
      const after = typeof input.ExclusiveStartShardId === 'string' ? shardIndexOf(input.ExclusiveStartShardId) : null;
      const shards = withinRetention(stream, await listShardRows(db, stream.id), clock.now()).filter((s) => after === null || s.shard_index > after);
      return {
        StreamDescription: {
          StreamName: stream.name,
          StreamARN: arnOf(stream),
          StreamStatus: stream.status,
          StreamModeDetails: streamModeView(stream),
          Shards: shards.slice(0, limit).map(shardView),
          HasMoreShards: shards.length > limit,
          RetentionPeriodHours: stream.retention_hours,
          StreamCreationTimestamp: new Date(stream.created_at),
          EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
          EncryptionType: 'NONE',
        },
      };
    },

    async DescribeStreamSummary(input, ctx) {
      const stream = await requireStream(db, streamKeyOf(input, ctx));
      const shards = await listShardRows(db, stream.id);
      const consumers = await listConsumers(db, stream.id);
      return {
        StreamDescriptionSummary: {
          StreamName: stream.name,
          StreamARN: arnOf(stream),
          StreamStatus: stream.status,
          StreamModeDetails: streamModeView(stream),
          RetentionPeriodHours: stream.retention_hours,
          StreamCreationTimestamp: new Date(stream.created_at),
          EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
          EncryptionType: 'NONE',
          OpenShardCount: shards.filter((s) => s.closed_at === null).length,
          ConsumerCount: consumers.length,
        },
      };
    },

    async ListStreams(input, ctx) {
      new ConstraintCheck().range(input.Limit, 'limit', 1, MAX_LIST_STREAMS_LIMIT).streamName(input.ExclusiveStartStreamName, 'exclusiveStartStreamName').throwIfAny();
      let after = str(input.ExclusiveStartStreamName);
      if (typeof input.NextToken === 'string') {
        const doc = decodeToken(input.NextToken);
        if (!doc || typeof doc.after !== 'string') throw errors.invalidNextToken();
        after = doc.after;
      }
      // AWS answers at most 100 names a page, whatever the Limit.
      const limit = Math.min(int(input.Limit) ?? DEFAULT_LIST_STREAMS_LIMIT, DEFAULT_LIST_STREAMS_LIMIT);
      const rows = await listStreams(db, ctx, after, limit + 1);
      const page = rows.slice(0, limit);
      const more = rows.length > limit;
      return {
        StreamNames: page.map((r) => r.name),
        HasMoreStreams: more,
        ...(more ? { NextToken: encodeToken({ after: page[page.length - 1]!.name }) } : {}),
        StreamSummaries: page.map((r) => ({
          StreamName: r.name,
          StreamARN: streamArn({ accountId: r.account_id, region: r.region, name: r.name }),
          StreamStatus: r.status,
          StreamModeDetails: streamModeView(r),
          StreamCreationTimestamp: new Date(r.created_at),
        })),
      };
    },

    async DescribeLimits(_input, ctx) {
      return {
        ShardLimit: ACCOUNT_SHARD_LIMIT,
        OpenShardCount: await countOpenShards(db, ctx),
        OnDemandStreamCount: await countStreams(db, ctx, 'ON_DEMAND'),
        OnDemandStreamCountLimit: ON_DEMAND_STREAM_LIMIT,
      };
    },
  };
}
