import type { Store } from '../store/database.js';
import { logEventId, logEventIdTime } from './log-event-ids.js';

export interface LogGroupRef {
  accountId: string;
  region: string;
  name: string;
}

export interface StoredLogEvent {
  /** Id of the stored batch the event came in; ids grow in the order batches are written. */
  batchId: number;
  timestamp: number;
  message: string;
  streamName: string;
}

/**
 * The log groups of a function: its LoggingConfig.LogGroup where it has one, else
 * `/aws/lambda/<name>`; a name starting with `/` is taken as a log group itself.
 */
export async function logGroupsOf(db: Store, functionName: string, where: { accountId?: string; region?: string }): Promise<LogGroupRef[]> {
  const names = new Set<string>();
  if (functionName.startsWith('/')) names.add(functionName);
  else {
    names.add(`/aws/lambda/${functionName}`);
    let q = db.selectFrom('lambda_function_versions').select('config').where('function_name', '=', functionName).where('version', '=', '$LATEST');
    if (where.accountId) q = q.where('account_id', '=', where.accountId);
    if (where.region) q = q.where('region', '=', where.region);
    for (const row of await q.execute()) {
      const group = (JSON.parse(row.config) as { LoggingConfig?: { LogGroup?: string } }).LoggingConfig?.LogGroup;
      if (group) names.add(group);
    }
  }
  let q = db.selectFrom('logs_groups').select(['account_id', 'region', 'name']).where('name', 'in', [...names]);
  if (where.accountId) q = q.where('account_id', '=', where.accountId);
  if (where.region) q = q.where('region', '=', where.region);
  const rows = await q.execute();
  return rows.map((r) => ({ accountId: r.account_id, region: r.region, name: r.name }));
}

/**
 * Events of the given groups, in time order. `afterBatchId` returns only events written after
 * that batch, for following a log.
 */
export async function readLogEvents(
  db: Store,
  groups: LogGroupRef[],
  options: { sinceMs?: number; afterBatchId?: number } = {},
): Promise<StoredLogEvent[]> {
  if (groups.length === 0) return [];
  let q = db
    .selectFrom('logs_event_batches as b')
    .innerJoin('logs_streams as s', 's.id', 'b.stream_id')
    .select(['b.id', 'b.events', 's.name as streamName'])
    .where((eb) => eb.or(groups.map((g) => eb.and([eb('s.account_id', '=', g.accountId), eb('s.region', '=', g.region), eb('s.group_name', '=', g.name)]))));
  if (options.sinceMs !== undefined) q = q.where('b.last_timestamp', '>=', options.sinceMs);
  if (options.afterBatchId !== undefined) q = q.where('b.id', '>', options.afterBatchId);
  const events: StoredLogEvent[] = [];
  for (const row of await q.orderBy('b.id').execute()) {
    for (const [timestamp, message] of JSON.parse(row.events) as [number, string][]) {
      if (options.sinceMs === undefined || timestamp >= options.sinceMs) events.push({ batchId: row.id, timestamp, message, streamName: row.streamName });
    }
  }
  // Stable: events of one stream keep their written order when timestamps tie.
  return events.sort((a, b) => a.timestamp - b.timestamp);
}

/** One stored event as the Logs API answers it. */
export interface LogEventRecord {
  id: string;
  timestamp: number;
  message: string;
  ingestionTime: number;
  streamName: string;
}

/**
 * The events of the given streams (ids from `logs_streams`) with `startTime <= timestamp <= endTime`
 * (both optional), in id order: by time, then as written.
 */
export async function readStreamEvents(
  db: Store,
  streams: ReadonlyArray<{ id: number; name: string }>,
  range: { startTime?: number; endTime?: number } = {},
): Promise<LogEventRecord[]> {
  if (streams.length === 0) return [];
  const names = new Map(streams.map((s) => [s.id, s.name]));
  const out: LogEventRecord[] = [];
  const ids = [...names.keys()];
  for (let i = 0; i < ids.length; i += STREAMS_PER_QUERY) {
    let q = db.selectFrom('logs_event_batches').select(['id', 'stream_id', 'ingestion_time', 'events']).where('stream_id', 'in', ids.slice(i, i + STREAMS_PER_QUERY));
    if (range.startTime !== undefined) q = q.where('last_timestamp', '>=', range.startTime);
    if (range.endTime !== undefined) q = q.where('first_timestamp', '<=', range.endTime);
    for (const row of await q.execute()) {
      const streamName = names.get(row.stream_id)!;
      const pairs = JSON.parse(row.events) as [number, string][];
      for (let index = 0; index < pairs.length; index++) {
        const [timestamp, message] = pairs[index]!;
        if (range.startTime !== undefined && timestamp < range.startTime) continue;
        if (range.endTime !== undefined && timestamp > range.endTime) continue;
        out.push({ id: logEventId(timestamp, row.id, index), timestamp, message, ingestionTime: Number(row.ingestion_time), streamName });
      }
    }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const STREAMS_PER_QUERY = 500;

/** Events parsed together while scanning (whole batches, at least one): a page's worth and a bit. */
const SCAN_EVENTS = 2_000;

/**
 * The events of the given streams in id order (time, then as written), read lazily: batches are
 * taken in order of their first event, and an event is yielded once no batch still unread can
 * hold an earlier one. A reader that stops after a page (FilterLogEvents, GetLogEvents forward)
 * parses little more than that page, whatever the size of the group.
 */
export async function* scanStreamEvents(
  db: Store,
  streams: ReadonlyArray<{ id: number; name: string }>,
  range: { startTime?: number; endTime?: number; afterId?: string } = {},
): AsyncGenerator<LogEventRecord> {
  if (streams.length === 0) return;
  const names = new Map(streams.map((s) => [s.id, s.name]));
  const ids = [...names.keys()];
  const startTime = Math.max(range.startTime ?? 0, range.afterId ? logEventIdTime(range.afterId) : 0);
  const batches: Array<{ id: number; first: number; count: number }> = [];
  for (let i = 0; i < ids.length; i += STREAMS_PER_QUERY) {
    let q = db.selectFrom('logs_event_batches').select(['id', 'first_timestamp', 'event_count']).where('stream_id', 'in', ids.slice(i, i + STREAMS_PER_QUERY)).where('last_timestamp', '>=', startTime);
    if (range.endTime !== undefined) q = q.where('first_timestamp', '<=', range.endTime);
    for (const row of await q.execute()) batches.push({ id: row.id, first: Number(row.first_timestamp), count: row.event_count });
  }
  batches.sort((a, b) => a.first - b.first || a.id - b.id);
  let pending: LogEventRecord[] = [];
  for (let i = 0, end = 0; i < batches.length; i = end) {
    let events = 0;
    for (end = i; end < batches.length && (end === i || events + batches[end]!.count <= SCAN_EVENTS) && end - i < STREAMS_PER_QUERY; end++) events += batches[end]!.count;
    const chunk = batches.slice(i, end);
    const rows = await db.selectFrom('logs_event_batches').select(['id', 'stream_id', 'ingestion_time', 'events']).where('id', 'in', chunk.map((b) => b.id)).execute();
    for (const row of rows) {
      const pairs = JSON.parse(row.events) as [number, string][];
      for (let index = 0; index < pairs.length; index++) {
        const [timestamp, message] = pairs[index]!;
        if (timestamp < startTime || (range.endTime !== undefined && timestamp > range.endTime)) continue;
        const id = logEventId(timestamp, row.id, index);
        if (range.afterId !== undefined && id <= range.afterId) continue;
        pending.push({ id, timestamp, message, ingestionTime: Number(row.ingestion_time), streamName: names.get(row.stream_id)! });
      }
    }
    pending.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // Batches not read yet start at or after this time: events before it are in final order.
    const next = batches[end];
    const boundary = next === undefined ? Infinity : next.first;
    let ready = 0;
    while (ready < pending.length && pending[ready]!.timestamp < boundary) ready++;
    for (let k = 0; k < ready; k++) yield pending[k]!;
    pending = pending.slice(ready);
  }
}
