import { sql } from 'kysely';
import type { Logger } from '../logger.js';
import type { Store } from '../store/database.js';

/** What a trim removes at least: from over the cap down to this share of it, so trims are rare. */
const TRIM_TO = 0.9;
const ROWS_PER_PASS = 500;

/**
 * Bounds the function log store: past `maxBytes` of stored events the oldest batches go first,
 * whatever their group, with a warning in the server log. A flood of output costs disk up to the
 * cap and no more; the running total is read once at start and then kept by the writer.
 */
export class LogStoreCap {
  private bytes: number | undefined;
  private trimming: Promise<void> | undefined;

  constructor(
    private readonly db: Store,
    private readonly logger: Logger,
    readonly maxBytes: number,
  ) {}

  /** Called after each committed write with the bytes it stored. */
  added(bytes: number): void {
    if (this.bytes !== undefined) this.bytes += bytes;
    if (this.bytes === undefined || this.bytes > this.maxBytes) this.trimming ??= this.trim().finally(() => (this.trimming = undefined));
  }

  /** Called after events were deleted otherwise (retention, DeleteLogGroup) with the bytes they held. */
  removed(bytes: number): void {
    if (this.bytes !== undefined) this.bytes = Math.max(0, this.bytes - bytes);
  }

  /** Waits for a trim in progress (tests, shutdown). */
  async settled(): Promise<void> {
    await this.trimming;
  }

  private async trim(): Promise<void> {
    try {
      this.bytes ??= await this.storedBytes();
      if (this.bytes <= this.maxBytes) return;
      const goal = this.maxBytes * TRIM_TO;
      let removedBytes = 0;
      let removedRows = 0;
      while (this.bytes > goal) {
        const rows = await this.db
          .selectFrom('logs_event_batches')
          .select(['id', sql<number>`length(events)`.as('size')])
          .orderBy('id')
          .limit(ROWS_PER_PASS)
          .execute();
        if (rows.length === 0) break;
        let last = rows[rows.length - 1]!.id;
        let freed = 0;
        for (const row of rows) {
          freed += Number(row.size);
          if (this.bytes - freed <= goal) {
            last = row.id;
            break;
          }
        }
        const deleted = await this.db.deleteFrom('logs_event_batches').where('id', '<=', last).executeTakeFirst();
        removedRows += Number(deleted.numDeletedRows);
        removedBytes += freed;
        this.bytes -= freed;
      }
      this.logger.warn(
        { removedBytes, removedBatches: removedRows, maxBytes: this.maxBytes },
        'function logs reached LAMBKIN_LOG_STORE_MAX_MB: the oldest events were deleted',
      );
    } catch (err) {
      this.logger.error({ err }, 'could not trim the function log store');
    }
  }

  private async storedBytes(): Promise<number> {
    const row = await this.db.selectFrom('logs_event_batches').select(sql<number>`coalesce(sum(length(events)), 0)`.as('total')).executeTakeFirstOrThrow();
    return Number(row.total);
  }
}
