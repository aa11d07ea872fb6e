import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import type { Store } from '../../../store/database.js';
import type { TableStreamCatalog } from '../stream-contract.js';
import { RECORD_RETENTION_MS, TRIM_INTERVAL_MS } from './limits.js';
import { closeOpenShard } from './shard-lifecycle.js';
import type { StreamNotifications } from './stream-notifications.js';
import { deleteRecordsBatch } from './tables/records.js';
import { deleteShardsClosedBefore } from './tables/shards.js';

/**
 * One pass of upkeep at `now`: closes the open shard of every stream that is disabled or gone (so
 * readers reach its end), deletes records older than 24 hours and shards closed that long ago.
 */
export async function trimStreams(deps: { db: Store; catalog: TableStreamCatalog; notifications: StreamNotifications }, now: number): Promise<{ records: number; shards: number; closed: number }> {
  const { db, catalog, notifications } = deps;
  const live = new Set((await catalog.list()).filter((s) => s.disabledMs === undefined).map((s) => s.streamArn));
  const open = await db.selectFrom('dynamodb_stream_shards').select('stream_arn').where('closed_ms', 'is', null).execute();
  let closed = 0;
  for (const { stream_arn } of open) {
    if (live.has(stream_arn)) continue;
    if (await closeOpenShard(db, stream_arn, now)) {
      closed++;
      notifications.notify(stream_arn);
    }
  }
  let records = 0;
  for (let n = -1; n !== 0; records += n) n = await deleteRecordsBatch(db, now - RECORD_RETENTION_MS);
  const shards = await deleteShardsClosedBefore(db, now - RECORD_RETENTION_MS);
  return { records, shards, closed };
}

/** Runs `trimStreams` every minute of the injected clock. */
export class StreamTrimmer {
  private timer: { cancel(): void } | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly deps: { db: Store; clock: Clock; logger: Logger; catalog: TableStreamCatalog; notifications: StreamNotifications }) {}

  start(): void {
    if (this.closed) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.running = this.runOnce()
        .catch((err: unknown) => this.deps.logger.error({ err }, 'dynamodb streams trim failed'))
        .finally(() => {
          this.running = null;
          this.start();
        });
    }, TRIM_INTERVAL_MS);
  }

  async runOnce(): Promise<void> {
    const result = await trimStreams(this.deps, this.deps.clock.now());
    if (result.records + result.shards + result.closed > 0) this.deps.logger.debug(result, 'dynamodb stream records trimmed');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    await this.running;
  }
}
