import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { DueTimer } from '../../store/due-timer.js';
import type { Store } from '../../store/database.js';
import type { TableCache } from './table-cache.js';
import type { Table } from './table-model.js';
import { tableTransition } from './table-states.js';
import { purgeBatch } from './tables/items.js';
import { deleteTableRow, dueTables, nextDueAt, setGlobalIndexes, setTableStatus } from './tables/tables.js';

const PURGE_BATCH = 1000;

/**
 * Ends CREATING, UPDATING and DELETING when a table's `status_until` passes, and with them its
 * global indexes' CREATING and DELETING: one timer for the earliest due row. The due time is in
 * the store, so a restart picks up where it left off (`start` runs everything overdue).
 */
export class StatusTransitions {
  private readonly timer: DueTimer;

  constructor(private readonly deps: { db: Store; clock: Clock; logger: Logger; tables: TableCache }) {
    this.timer = new DueTimer({ clock: deps.clock, logger: deps.logger, what: 'dynamodb status transitions', run: (now) => this.runDue(now) });
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
    for (const table of await dueTables(db, now)) {
      const next = tableTransition(table.status, 'settle');
      if (next === 'DELETED') await this.purge(table);
      else await this.settle(table, next);
    }
    return (await nextDueAt(db)) ?? undefined;
  }

  /** The table and its new indexes become ACTIVE; deleted indexes lose their entries and go. */
  private async settle(table: Table, status: string): Promise<void> {
    const { db } = this.deps;
    for (const index of table.globalIndexes.filter((i) => i.status === 'DELETING')) {
      while ((await purgeBatch(db, 'dynamodb_index_items', table.id, PURGE_BATCH, index.IndexName)) > 0) {
        // Another batch: the store stays responsive between them.
      }
    }
    const indexes = table.globalIndexes.filter((i) => i.status !== 'DELETING').map((i) => ({ ...i, status: 'ACTIVE' as const }));
    await this.deps.tables.writing(db, async (tx) => {
      await setGlobalIndexes(tx, table.id, indexes);
      await setTableStatus(tx, table.id, status, null);
    });
  }

  /** DELETING ends: items and index entries go in batches, then the table row. */
  private async purge(table: Table): Promise<void> {
    const { db } = this.deps;
    while ((await purgeBatch(db, 'dynamodb_index_items', table.id, PURGE_BATCH)) > 0) {
      // Another batch.
    }
    while ((await purgeBatch(db, 'dynamodb_items', table.id, PURGE_BATCH)) > 0) {
      // Another batch.
    }
    await this.deps.tables.writing(db, (tx) => deleteTableRow(tx, table.id));
  }
}
