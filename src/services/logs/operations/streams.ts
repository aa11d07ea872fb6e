import { streamArn } from '../arns.js';
import type { LogsDeps, LogsOperation } from '../deps.js';
import { errors } from '../errors.js';
import { DEFAULT_DESCRIBE_LIMIT } from '../limits.js';
import { page } from '../paging.js';
import { groupStreams, requireGroup, requireStream, type StreamRow } from '../tables.js';
import { checkGroupName, checkStreamName, ConstraintCheck, int } from '../validation.js';
import { groupKey, namedGroup } from '../named-group.js';

const ORDER_BY = ['LogStreamName', 'LastEventTime'] as const;

export function streamOperations(deps: LogsDeps): Record<string, LogsOperation> {
  const { db, clock, logs } = deps;
  return {
    async CreateLogStream(input, ctx) {
      const group = checkGroupName(input.logGroupName)!;
      const stream = checkStreamName(input.logStreamName)!;
      const key = groupKey(ctx, group);
      await requireGroup(db, key);
      if (!(await logs.createStream(key.accountId, key.region, key.name, stream, clock.now()))) throw errors.streamExists();
    },

    async DeleteLogStream(input, ctx) {
      const key = groupKey(ctx, checkGroupName(input.logGroupName)!);
      const stream = checkStreamName(input.logStreamName)!;
      await requireGroup(db, key);
      await requireStream(db, key, stream);
      await logs.deleteStream(key.accountId, key.region, key.name, stream);
    },

    async DescribeLogStreams(input, ctx) {
      const prefix = checkStreamName(input.logStreamNamePrefix, 'logStreamNamePrefix', false);
      new ConstraintCheck().range(input.limit, 'limit', 1, DEFAULT_DESCRIBE_LIMIT).oneOf(input.orderBy, 'orderBy', ORDER_BY).throwIfAny();
      const key = namedGroup(input, ctx);
      const byTime = input.orderBy === 'LastEventTime';
      if (byTime && prefix !== undefined) throw errors.orderByWithPrefix();
      await requireGroup(db, key);
      let rows = await groupStreams(db, key);
      if (prefix !== undefined) rows = rows.filter((r) => r.name.startsWith(prefix));
      // Streams without events sort first by time, as AWS's never-written streams do.
      const sortKey = (r: StreamRow) => (byTime ? `${String(r.last_event_timestamp ?? 0).padStart(16, '0')}\u0000${r.name}` : r.name);
      const descending = input.descending === true;
      rows.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
      if (descending) rows.reverse();
      const { items, nextToken } = page(rows, sortKey, input.nextToken, int(input.limit) ?? DEFAULT_DESCRIBE_LIMIT, descending);
      return {
        logStreams: items.map((r) => ({
          logStreamName: r.name,
          creationTime: Number(r.created_at),
          ...(r.first_event_timestamp !== null ? { firstEventTimestamp: Number(r.first_event_timestamp) } : {}),
          ...(r.last_event_timestamp !== null ? { lastEventTimestamp: Number(r.last_event_timestamp) } : {}),
          ...(r.last_ingestion_time !== null ? { lastIngestionTime: Number(r.last_ingestion_time) } : {}),
          arn: streamArn(key, r.name),
          // AWS stopped counting bytes per stream in 2019 and reports 0.
          storedBytes: 0,
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    },
  };
}
