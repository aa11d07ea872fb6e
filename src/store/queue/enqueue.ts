import { notifyQueuedWork } from './wakes.js';
import { chunks, MAX_BOUND_PARAMETERS, type QueueDb, type QueueRow, type QueueTable } from './queue.js';

/** Rows per INSERT at most, however few columns a table has. */
const ROWS_PER_STATEMENT = 500;

/**
 * Stores items, visible from `visibleAt`, through `db` — pass the caller's transaction, so the
 * items commit (or roll back) with the write that caused them. Resolves once they are written
 * in that transaction; they are durable when it commits.
 */
export async function enqueue<Row extends QueueRow, Insert>(db: QueueDb, table: QueueTable<Row, Insert>, items: readonly Insert[], visibleAt: number): Promise<void> {
  if (items.length === 0) return;
  // `lease_owner` is left to its default (null): one bound parameter fewer per row.
  const rows = items.map((item) => ({ ...item, next_attempt_at: visibleAt }));
  const perStatement = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_BOUND_PARAMETERS / Object.keys(rows[0]!).length)));
  for (const chunk of chunks(rows, perStatement)) await db.insertInto(table.name).values(chunk).execute();
  await notifyQueuedWork(db, table.name);
}
