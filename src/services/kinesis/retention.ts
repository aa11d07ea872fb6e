import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import { RETENTION_SWEEP_INTERVAL_MS } from './limits.js';
import { floorAt } from './sequence-numbers.js';
import { deleteRecordsBatch } from './tables/records.js';
import { listShardRows } from './tables/shards.js';
import { allStreams } from './tables/streams.js';

/**
 * Deletes what is past each stream's retention period at `now`: records that arrived before
 * `now - retention` (a key range per shard: arrival time leads the sequence number) and closed
 * shards whose every record is that old. Reads already hide them; this reclaims the space.
 */
export async function expireRecords(db: Store, now: number): Promise<{ records: number; shards: number }> {
  let records = 0;
  let shards = 0;
  for (const stream of await allStreams(db)) {
    if (stream.status === 'DELETING') continue;
    const cutoff = now - stream.retention_hours * 3_600_000;
    for (const shard of await listShardRows(db, stream.id)) {
      for (let n = -1; n !== 0; records += n) n = await deleteRecordsBatch(db, stream.id, shard.shard_index, floorAt(cutoff, shard.shard_index));
      if (shard.closed_at !== null && shard.closed_at < cutoff) {
        await db.deleteFrom('kinesis_shards').where('stream_id', '=', stream.id).where('shard_index', '=', shard.shard_index).execute();
        shards++;
      }
    }
  }
  return { records, shards: shards };
}

/** Runs `expireRecords` every minute of the injected clock. */
export class RetentionSweeper {
  private timer: { cancel(): void } | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly deps: { db: Store; clock: Clock; logger: Logger }) {}

  start(): void {
    if (this.closed) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.running = expireRecords(this.deps.db, this.deps.clock.now())
        .then(({ records, shards }) => {
          if (records + shards > 0) this.deps.logger.debug({ records, shards }, 'kinesis records past retention deleted');
        })
        .catch((err: unknown) => this.deps.logger.error({ err }, 'kinesis retention sweep failed'))
        .finally(() => {
          this.running = null;
          this.start();
        });
    }, RETENTION_SWEEP_INTERVAL_MS);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    await this.running;
  }
}
