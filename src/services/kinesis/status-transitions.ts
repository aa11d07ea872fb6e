import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import { shardIdOf } from './arns.js';
import type { RecordNotifications } from './record-notifications.js';
import { consumerTransition, streamTransition } from './stream-states.js';
import { allTransitionalConsumers } from './tables/consumers.js';
import { deleteRecordsBatch } from './tables/records.js';
import { listShardRows } from './tables/shards.js';
import { setStreamStatus, type StreamRow } from './tables/streams.js';
import { arnOf } from './views.js';

/**
 * Ends CREATING, UPDATING and DELETING (streams) and CREATING, DELETING (consumers) when their
 * `status_until` passes: one timer for the earliest due row. The due time is in the store, so a
 * restart picks up where it left off (`start` runs everything overdue).
 */
export class StatusTransitions {
  private timer: { cancel(): void } | null = null;
  private dueAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly deps: { db: Store; clock: Clock; logger: Logger; notifications: RecordNotifications }) {}

  start(): void {
    this.arm(this.deps.clock.now());
  }

  /** A transitional status was written, due at `at`. */
  schedule(at: number): void {
    if (at < this.dueAt) this.arm(at);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    await this.running;
  }

  private arm(at: number): void {
    if (this.closed) return;
    this.timer?.cancel();
    this.dueAt = at;
    this.timer = this.deps.clock.setTimeout(() => {
      this.dueAt = Number.POSITIVE_INFINITY;
      this.running = this.runDue()
        .catch((err: unknown) => this.deps.logger.error({ err }, 'kinesis status transitions failed'))
        .finally(() => (this.running = null));
    }, Math.max(0, at - this.deps.clock.now()));
  }

  private async runDue(): Promise<void> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const streams = (await db.selectFrom('kinesis_streams').selectAll().where('status_until', '<=', now).execute()) as StreamRow[];
    for (const stream of streams) {
      const next = streamTransition(stream.status, 'settle');
      if (next === 'DELETED') await this.purge(stream);
      else await setStreamStatus(db, stream.id, next, null);
    }
    for (const consumer of await allTransitionalConsumers(db)) {
      if (consumer.status_until! > now) continue;
      const next = consumerTransition(consumer.status, 'settle');
      if (next === 'DELETED') await db.deleteFrom('kinesis_consumers').where('stream_id', '=', consumer.stream_id).where('name', '=', consumer.name).execute();
      else await db.updateTable('kinesis_consumers').set({ status: next, status_until: null }).where('stream_id', '=', consumer.stream_id).where('name', '=', consumer.name).execute();
    }
    const nextDue = await Promise.all([
      db.selectFrom('kinesis_streams').select((eb) => eb.fn.min<number>('status_until').as('at')).executeTakeFirst(),
      db.selectFrom('kinesis_consumers').select((eb) => eb.fn.min<number>('status_until').as('at')).executeTakeFirst(),
    ]);
    const due = nextDue.map((r) => r?.at).filter((at): at is number => at !== null && at !== undefined);
    if (due.length > 0) this.schedule(Math.min(...due));
  }

  /** DELETING ends: the records go in batches (the store stays responsive), then everything else. */
  private async purge(stream: StreamRow): Promise<void> {
    const { db, notifications } = this.deps;
    const shards = await listShardRows(db, stream.id);
    while ((await deleteRecordsBatch(db, stream.id, null)) > 0) {
      // Another batch.
    }
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('kinesis_consumers').where('stream_id', '=', stream.id).execute();
      await trx.deleteFrom('kinesis_shards').where('stream_id', '=', stream.id).execute();
      await trx.deleteFrom('kinesis_streams').where('id', '=', stream.id).execute();
    });
    for (const shard of shards) notifications.notify(arnOf(stream), shardIdOf(shard.shard_index));
  }
}
