import { PreparedByShape } from '../prepared-query.js';
import { notifyQueuedWork } from './wakes.js';
import { chunks, MAX_BOUND_PARAMETERS, type QueueDb, type QueueRow, type QueueTable } from './queue.js';

/**
 * The INSERT of each table, column list and row count, compiled once: under load a group commit
 * often holds one or two events, and Kysely's builders and compiler cost more than the insert.
 */
const inserts = new PreparedByShape();

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
  // Kysely leaves out a column whose value is undefined (it takes its default). Rows of one consumer
  // set the same columns; any other mix goes through Kysely's own handling.
  const setColumns = (row: object) => Object.keys(row).filter((column) => (row as Record<string, unknown>)[column] !== undefined).join(',');
  const columnList = setColumns(rows[0]!);
  const columns = columnList.split(',');
  const shape = `${table.name}:${columnList}`;
  const sameColumns = rows.every((row) => setColumns(row) === columnList);
  for (const chunk of chunks(rows, perStatement)) {
    if (!sameColumns) {
      await db.insertInto(table.name).values(chunk).execute();
      continue;
    }
    // The arguments by position, row after row (slot `i·columns + j`): building a named argument per
    // value was a few per cent of the server's CPU under lean Event load.
    const values: unknown[] = [];
    for (const row of chunk) for (const column of columns) values.push((row as Record<string, unknown>)[column]);
    await inserts.execute(db, `${shape}:${chunk.length}`, (q, arg) =>
      q.insertInto(table.name).values(chunk.map((_, i) => Object.fromEntries(columns.map((column, j) => [column, arg(String(i * columns.length + j))])))),
    values);
  }
  await notifyQueuedWork(db, table.name);
}
