import type { Logger } from '../logger.js';
import type { Insertable } from 'kysely';
import type { Store } from '../store/database.js';
import type { LogsEventBatchesTable } from '../store/schema.js';
import { BatchWriter } from './batch-writer.js';
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

  constructor(
    private readonly db: Store,
    logger: Logger,
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
    let storedBytes = 0;
    await this.db.transaction().execute(async (trx) => {
      let nextStreamId: number | undefined;
      let nextBatchId = (await maxId(trx, 'logs_event_batches')) + 1;
      const batches: Insertable<LogsEventBatchesTable>[] = [];
      const touched: StreamTouch[] = [];
      for (const [streamKey, { first: e, pairs, last }] of byStream) {
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
            nextStreamId ??= (await maxId(trx, 'logs_streams')) + 1;
            streamId = nextStreamId++;
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
        batches.push({
          id: nextBatchId++, stream_id: streamId, first_timestamp: firstTimestamp, last_timestamp: last, ingestion_time: now,
          event_count: pairs.length, events: JSON.stringify(pairs),
        });
        touched.push({ id: streamId, firstTimestamp, last });
      }
      // A flush covers every busy environment's stream: building one statement per stream cost
      // more CPU than running them, so the rows go in chunks of multi-row statements.
      for (const b of batches) storedBytes += b.events.length;
      for (let i = 0; i < batches.length; i += STREAMS_PER_STATEMENT) {
        await trx.insertInto('logs_event_batches').values(batches.slice(i, i + STREAMS_PER_STATEMENT)).execute();
        await touchStreams(trx, touched.slice(i, i + STREAMS_PER_STATEMENT), now);
      }
    });
    // Only once committed: a rolled-back batch must not leave ids behind that the store lacks.
    for (const g of newGroups) this.knownGroups.add(g);
    for (const [k, id] of newStreams) this.streamIds.set(k, id);
    this.cap?.added(storedBytes);
  }
}

/** What one flush wrote to a stream. */
interface StreamTouch {
  id: number;
  firstTimestamp: number;
  last: number;
}

/** Well under SQLite's bound on variables per statement (7 per batch row, 5 per stream update). */
const STREAMS_PER_STATEMENT = 200;

/** Each stream's first/last event and ingestion times, in one UPDATE with a CASE per column. */
async function touchStreams(trx: Store, touched: StreamTouch[], now: number): Promise<void> {
  const [head, ...rest] = touched;
  if (!head) return;
  await trx
    .updateTable('logs_streams')
    .set((eb) => {
      const byId = (pick: (t: StreamTouch) => number) => {
        let c = eb.case('id').when(head.id).then(pick(head));
        for (const t of rest) c = c.when(t.id).then(pick(t));
        return c.end();
      };
      return {
        first_event_timestamp: eb.fn.coalesce('first_event_timestamp', byId((t) => t.firstTimestamp)),
        last_event_timestamp: byId((t) => t.last),
        last_ingestion_time: now,
      };
    })
    .where('id', 'in', touched.map((t) => t.id))
    .execute();
}

async function maxId(trx: Store, table: 'logs_streams' | 'logs_event_batches'): Promise<number> {
  const row = await trx.selectFrom(table).select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
  return Number(row?.max ?? 0);
}

function key(...parts: string[]): string {
  return parts.join('\u0000');
}
