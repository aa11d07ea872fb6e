import type { Logger } from '../logger.js';
import { CompiledQuery, type Insertable } from 'kysely';
import { newRowIds } from '../store/cluster/row-ids.js';
import type { Store } from '../store/database.js';
import type { LogsEventBatchesTable } from '../store/schema.js';
import { RowInserter, SqlByShape } from '../store/row-inserter.js';
import { BatchWriter } from './batch-writer.js';
import { deleteExpiredBatches, deleteGroupRows, deleteStreamRows } from './log-deletion.js';
import type { LogStoreCap } from './log-store-cap.js';

/** One log event on its way to the store. */
export interface PendingLogEvent {
  accountId: string;
  region: string;
  group: string;
  stream: string;
  timestamp: number;
  message: string;
}

/** Events one flush stored in one stream, in the order they were written. */
export interface WrittenLogEvents {
  accountId: string;
  region: string;
  group: string;
  stream: string;
  batchId: number;
  ingestionTime: number;
  /** `[timestampMs, message]`; an event's id is its batch id and index (log-event-ids.ts). */
  events: [number, string][];
}

/**
 * Durable function logs: groups (`/aws/lambda/<name>` or the function's LoggingConfig.LogGroup),
 * streams (one per execution environment) and events (one per line). Events are buffered and
 * written in batches, one transaction each, one row per stream and batch.
 */
export class FunctionLogs {
  private readonly writer: BatchWriter<PendingLogEvent>;
  /** Stream key → id, for streams already in the store. */
  private readonly streamIds = new Map<string, number>();
  private readonly knownGroups = new Set<string>();
  private readonly listeners: Array<(written: WrittenLogEvents[]) => void> = [];
  private readonly inTransaction: Array<(trx: Store, written: WrittenLogEvents[]) => Promise<void>> = [];

  constructor(
    private readonly db: Store,
    private readonly logger: Logger,
    options: { flushIntervalMs?: number; maxBatch?: number } = {},
    private readonly cap?: LogStoreCap,
  ) {
    this.writer = new BatchWriter({ write: (events) => this.write(events), logger, what: 'function log events', ...options });
  }

  append(event: PendingLogEvent): void {
    this.writer.add(event);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  /**
   * Stores events now (PutLogEvents), beside the buffered writer: resolves once they are in the
   * store and rejects when they could not be stored, so the caller is not told they were.
   */
  put(events: PendingLogEvent[]): Promise<void> {
    return this.write(events);
  }

  /**
   * Runs inside each write's transaction, once its events are stored: what must commit with them
   * (the subscription outbox). A rejection rolls the write back.
   */
  withinWrite(hook: (trx: Store, written: WrittenLogEvents[]) => Promise<void>): void {
    this.inTransaction.push(hook);
  }

  /** Called after each committed write (subscription and metric filters watch here). */
  onWritten(listener: (written: WrittenLogEvents[]) => void): void {
    this.listeners.push(listener);
  }

  /** CreateLogStream: false when the stream exists. Ids are assigned here, as for streams functions create. */
  async createStream(accountId: string, region: string, group: string, stream: string, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('logs_streams')
        .select('id')
        .where('account_id', '=', accountId)
        .where('region', '=', region)
        .where('group_name', '=', group)
        .where('name', '=', stream)
        .executeTakeFirst();
      if (existing) return false;
      const [id] = await newRowIds(trx, 'logs_streams', 1);
      await trx.insertInto('logs_streams').values({ id, account_id: accountId, region, group_name: group, name: stream, created_at: now }).execute();
      return true;
    });
  }

  /** Deletes a group's streams and events; the next event for it creates the group again, as Lambda does. */
  async deleteGroup(accountId: string, region: string, group: string): Promise<void> {
    const freed = await deleteGroupRows(this.db, { accountId, region, name: group });
    this.knownGroups.delete(key(accountId, region, group));
    const prefix = key(accountId, region, group, '');
    for (const k of this.streamIds.keys()) if (k.startsWith(prefix)) this.streamIds.delete(k);
    this.cap?.removed(freed);
  }

  async deleteStream(accountId: string, region: string, group: string, stream: string): Promise<void> {
    const freed = await deleteStreamRows(this.db, { accountId, region, name: group }, stream);
    this.streamIds.delete(key(accountId, region, group, stream));
    this.cap?.removed(freed);
  }

  /** Deletes events past their group's retention at `now`; returns the batches deleted. */
  async expire(now: number): Promise<number> {
    const { batches, bytes } = await deleteExpiredBatches(this.db, now);
    this.cap?.removed(bytes);
    return batches;
  }

  async close(): Promise<void> {
    await this.writer.close();
    await this.cap?.settled();
  }

  private async write(events: PendingLogEvent[]): Promise<void> {
    const now = Date.now();
    // One row per stream per flush, events in arrival order.
    const byStream = new Map<string, { first: PendingLogEvent; pairs: [number, string][]; last: number }>();
    for (const e of events) {
      const k = key(e.accountId, e.region, e.group, e.stream);
      const entry = byStream.get(k);
      if (entry) {
        entry.pairs.push([e.timestamp, e.message]);
        entry.last = Math.max(entry.last, e.timestamp);
      } else byStream.set(k, { first: e, pairs: [[e.timestamp, e.message]], last: e.timestamp });
    }
    const newGroups = new Set<string>();
    const newStreams = new Map<string, number>();
    const written: WrittenLogEvents[] = [];
    let storedBytes = 0;
    await this.db.transaction().execute(async (trx) => {
      const batchIds = await newRowIds(trx, 'logs_event_batches', byStream.size);
      const batches: Insertable<LogsEventBatchesTable>[] = [];
      const touched: StreamTouch[] = [];
      for (const [streamKey, { first: e, pairs, last }] of byStream) {
        const batchId = batchIds[batches.length]!;
        const groupKey = key(e.accountId, e.region, e.group);
        if (!this.knownGroups.has(groupKey) && !newGroups.has(groupKey)) {
          await trx
            .insertInto('logs_groups')
            .values({ account_id: e.accountId, region: e.region, name: e.group, created_at: now })
            .onConflict((oc) => oc.doNothing())
            .execute();
          newGroups.add(groupKey);
        }
        const firstTimestamp = pairs[0]![0];
        let streamId = this.streamIds.get(streamKey);
        if (streamId === undefined) {
          const row = await trx
            .selectFrom('logs_streams')
            .select('id')
            .where('account_id', '=', e.accountId)
            .where('region', '=', e.region)
            .where('group_name', '=', e.group)
            .where('name', '=', e.stream)
            .executeTakeFirst();
          if (row) streamId = row.id;
          else {
            [streamId] = await newRowIds(trx, 'logs_streams', 1);
            await trx
              .insertInto('logs_streams')
              .values({
                id: streamId, account_id: e.accountId, region: e.region, group_name: e.group, name: e.stream, created_at: firstTimestamp,
                first_event_timestamp: firstTimestamp, last_event_timestamp: last, last_ingestion_time: now,
              })
              .execute();
          }
          newStreams.set(streamKey, streamId);
        }
        written.push({ accountId: e.accountId, region: e.region, group: e.group, stream: e.stream, batchId, ingestionTime: now, events: pairs });
        batches.push({
          id: batchId, stream_id: streamId, first_timestamp: firstTimestamp, last_timestamp: last, ingestion_time: now,
          event_count: pairs.length, events: JSON.stringify(pairs),
        });
        touched.push({ id: streamId, firstTimestamp, last });
      }
      // A flush covers every busy environment's stream: building one statement per stream cost
      // more CPU than running them, so the rows go in chunks of multi-row statements.
      for (const b of batches) storedBytes += b.events.length;
      for (let i = 0; i < batches.length; i += STREAMS_PER_STATEMENT) {
        await insertBatches.insert(trx, batches.slice(i, i + STREAMS_PER_STATEMENT));
        await touchStreams(trx, touched.slice(i, i + STREAMS_PER_STATEMENT), now);
      }
      for (const hook of this.inTransaction) await hook(trx, written);
    });
    // Only once committed: a rolled-back batch must not leave ids behind that the store lacks.
    for (const g of newGroups) this.knownGroups.add(g);
    for (const [k, id] of newStreams) this.streamIds.set(k, id);
    this.cap?.added(storedBytes);
    for (const listener of this.listeners) {
      try {
        listener(written);
      } catch (err) {
        this.logger.error({ err }, 'a log event listener failed');
      }
    }
  }
}

/** What one flush wrote to a stream. */
export interface StreamTouch {
  id: number;
  firstTimestamp: number;
  last: number;
}

const insertBatches = new RowInserter('logs_event_batches', ['id', 'stream_id', 'first_timestamp', 'last_timestamp', 'ingestion_time', 'event_count', 'events']);

/** Well under SQLite's bound on variables per statement (7 per batch row, 5 per stream update). */
const STREAMS_PER_STATEMENT = 200;

/**
 * Each stream's first/last event and ingestion times, in one UPDATE with a CASE per column. Every
 * value is a parameter, so the SQL depends only on how many streams a flush touched: it is compiled
 * once per count (and dialect) and stays one statement in the store's cache.
 */
async function touchStreams(trx: Store, touched: StreamTouch[], now: number): Promise<void> {
  if (touched.length === 0) return;
  const text = touchSql.get(trx, touched.length, () => touchStreamsQuery(trx, touched, now).compile().sql);
  await trx.executeQuery(CompiledQuery.raw(text, touchStreamsParameters(touched, now)));
}

const touchSql = new SqlByShape();

export function touchStreamsQuery(trx: Store, touched: StreamTouch[], now: number) {
  const [head, ...rest] = touched as [StreamTouch, ...StreamTouch[]];
  return trx
    .updateTable('logs_streams')
    .set((eb) => {
      // Cast: PostgreSQL cannot type a bare parameter as a CASE's result (COALESCE then fails).
      const value = (n: number) => eb.cast<number>(eb.val(n), 'bigint');
      const byId = (pick: (t: StreamTouch) => number) => {
        let c = eb.case('id').when(head.id).then(value(pick(head)));
        for (const t of rest) c = c.when(t.id).then(value(pick(t)));
        return c.end();
      };
      return {
        first_event_timestamp: eb.fn.coalesce('first_event_timestamp', byId((t) => t.firstTimestamp)),
        last_event_timestamp: byId((t) => t.last),
        last_ingestion_time: now,
      };
    })
    .where('id', 'in', touched.map((t) => t.id));
}

/** The parameters of `touchStreamsQuery`, in the order its SQL takes them. */
export function touchStreamsParameters(touched: StreamTouch[], now: number): unknown[] {
  const params: unknown[] = [];
  for (const t of touched) params.push(t.id, t.firstTimestamp);
  for (const t of touched) params.push(t.id, t.last);
  params.push(now);
  for (const t of touched) params.push(t.id);
  return params;
}

function key(...parts: string[]): string {
  return parts.join('\u0000');
}
