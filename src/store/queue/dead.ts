import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { QueueDb, QueueRow, QueueTable } from './queue.js';

/** An item moved aside by `dead`, as stored in `queue_dead_letters` (migration 0011). */
export interface DeadLetter<Row> {
  queue: string;
  item: Row;
  reason: string;
  deadAt: number;
}

/**
 * Moves an item `owner` holds out of its queue into `queue_dead_letters`, with the reason, for
 * later inspection: it is never leased again. Owner-checked (false when the lease was lost).
 * Consumers whose AWS contract has a dead-letter target of its own (a DLQ, an OnFailure
 * destination) hand the item there and ack it; `dead` is for items nothing else would keep.
 */
export async function dead<Row extends QueueRow>(
  db: Kysely<any>,
  table: QueueTable<Row, unknown>,
  owner: string,
  id: Row['id'],
  reason: string,
  now: number,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom(table.name).selectAll().where('id', '=', id).where('lease_owner', '=', owner).executeTakeFirst();
    if (!row) return false;
    await trx
      .insertInto('queue_dead_letters')
      .values({ id: randomUUID(), queue: table.name, item_id: String(id), item: JSON.stringify(row, binaryAsBase64), reason, dead_at: now })
      .execute();
    await trx.deleteFrom(table.name).where('id', '=', id).execute();
    return true;
  });
}

/** The items moved aside from one queue, oldest first (binary columns come back as Buffers). */
export async function deadLetters<Row extends QueueRow>(db: QueueDb, table: QueueTable<Row, unknown>): Promise<Array<DeadLetter<Row>>> {
  const rows = (await db.selectFrom('queue_dead_letters').selectAll().where('queue', '=', table.name).orderBy('dead_at').orderBy('id').execute()) as Array<{
    queue: string; item: string; reason: string; dead_at: number | string;
  }>;
  return rows.map((r) => ({ queue: r.queue, item: JSON.parse(r.item, base64AsBinary) as Row, reason: r.reason, deadAt: Number(r.dead_at) }));
}

function binaryAsBase64(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  return raw instanceof Uint8Array ? { $base64: Buffer.from(raw).toString('base64') } : value;
}

function base64AsBinary(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && typeof (value as { $base64?: unknown }).$base64 === 'string' && Object.keys(value).length === 1) {
    return Buffer.from((value as { $base64: string }).$base64, 'base64');
  }
  return value;
}
