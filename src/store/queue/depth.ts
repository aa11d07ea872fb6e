import type { QueueDb, QueueRow, QueueTable } from './queue.js';

/** Items stored, leased or not. */
export async function depth<Row extends QueueRow>(db: QueueDb, table: QueueTable<Row, unknown>): Promise<number> {
  const row = (await db.selectFrom(table.name).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()) as { n: number | string | bigint } | undefined;
  return Number(row?.n ?? 0);
}
