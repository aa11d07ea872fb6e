import { sql } from 'kysely';
import { isPostgres, type Store } from '../database.js';

/** Tables whose rows several nodes insert and whose ids readers need in insertion order. */
export const SEQUENCED_TABLES = ['usage_records', 'logs_streams', 'logs_event_batches', 'sns_outbox', 'sns_deliveries'] as const;
export type SequencedTable = (typeof SEQUENCED_TABLES)[number];

/**
 * `count` new ids for `table`, taken inside the writer's transaction `trx`. On SQLite (one
 * writer, transactions one at a time) they follow max(id). On PostgreSQL they come from the
 * column's `bigserial` sequence (moved past older rows by migration 0047): nodes never draw the
 * same id, ids rise in the order they are drawn (log tails and FIFO deliveries read in id order,
 * so blocks per node would not do), and a transaction run again draws new ones (gaps only).
 */
export async function newRowIds(trx: Store, table: SequencedTable, count: number): Promise<number[]> {
  if (count <= 0) return [];
  if (isPostgres(trx)) {
    const { rows } = await sql<{ id: string }>`select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, ${count}::int)`.execute(trx);
    return rows.map((r) => Number(r.id));
  }
  const row = await trx.selectFrom(table).select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
  const first = Number(row?.max ?? 0) + 1;
  return Array.from({ length: count }, (_, i) => first + i);
}
