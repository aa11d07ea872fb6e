import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import type { Item } from './attribute-value.js';
import { encodeKey } from './item-keys.js';
import { inItemTransaction, ttlAtOf, writeItem } from './item-writer.js';
import type { StreamChangeWriter } from './stream-contract.js';
import { readItem } from './tables/items.js';
import { findTableById } from './tables/tables.js';

const SWEEP_BATCH = 100;
/** AWS leaves alone items whose expiry lies more than five years in the past. */
const MAX_EXPIRED_AGE_SECONDS = 5 * 365 * 24 * 3600;

/**
 * Deletes items whose TTL attribute has passed, on every sweep (AWS does it "within a few days";
 * here within one sweep interval). Each deletion is a REMOVE on the table's stream marked as a
 * service deletion (`byTimeToLive`).
 */
export class TtlSweeper {
  private timer: { cancel(): void } | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly deps: { db: Store; clock: Clock; logger: Logger; streamWriter: StreamChangeWriter; intervalMs: number }) {}

  start(): void {
    this.arm();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    await this.running;
  }

  private arm(): void {
    if (this.closed) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.running = this.sweep()
        .then(() => undefined)
        .catch((err: unknown) => this.deps.logger.error({ err }, 'dynamodb ttl sweep failed'))
        .finally(() => {
          this.running = null;
          this.arm();
        });
    }, this.deps.intervalMs);
  }

  /** Deletes every item expired by now; returns how many went. */
  async sweep(): Promise<number> {
    const { db, clock, streamWriter } = this.deps;
    let deleted = 0;
    for (;;) {
      if (this.closed) return deleted;
      const nowSeconds = Math.floor(clock.now() / 1000);
      const rows = await db
        .selectFrom('dynamodb_items')
        .innerJoin('dynamodb_tables', 'dynamodb_tables.id', 'dynamodb_items.table_id')
        .select(['dynamodb_items.table_id', 'dynamodb_items.item'])
        .where('dynamodb_tables.status', 'in', ['ACTIVE', 'UPDATING'])
        .where('dynamodb_tables.ttl_status', '=', 'ENABLED')
        .where('dynamodb_items.ttl_at', '<=', nowSeconds)
        .where('dynamodb_items.ttl_at', '>', nowSeconds - MAX_EXPIRED_AGE_SECONDS)
        .limit(SWEEP_BATCH)
        .execute();
      if (rows.length === 0) return deleted;
      const before = deleted;
      await inItemTransaction(db, streamWriter, async (tx, changes) => {
        for (const row of rows) {
          const table = await findTableById(tx, row.table_id);
          if (!table || (table.status !== 'ACTIVE' && table.status !== 'UPDATING')) continue;
          const current = await readItem(tx, table.id, encodeKey(table.keySchema, JSON.parse(row.item) as Item));
          const ttlAt = current ? ttlAtOf(table, current.item) : null;
          if (!current || ttlAt === null || ttlAt > nowSeconds) continue;
          const change = await writeItem(tx, table, current.item, undefined);
          if (change) changes.add(table, { ...change, byTimeToLive: true });
          deleted++;
        }
      });
      // A batch that deleted nothing would be selected again: stop until the next sweep.
      if (rows.length < SWEEP_BATCH || deleted === before) return deleted;
    }
  }
}
