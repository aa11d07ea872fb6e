import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { DueTimer } from '../../store/due-timer.js';
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
  private readonly timer: DueTimer;

  constructor(private readonly deps: { db: Store; clock: Clock; logger: Logger; notifications: RecordNotifications }) {
    this.timer = new DueTimer({ clock: deps.clock, logger: deps.logger, what: 'kinesis status transitions', run: (now) => this.runDue(now) });
  }

  start(): void {
    this.timer.start();
  }

  /** A transitional status was written, due at `at`. */
  schedule(at: number): void {
    this.timer.schedule(at);
  }

  close(): Promise<void> {
    return this.timer.close();
  }

  private async runDue(now: number): Promise<number | undefined> {
    const { db } = this.deps;
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
    return due.length > 0 ? Math.min(...due) : undefined;
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
