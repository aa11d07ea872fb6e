import type { Selectable } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { KinesisStreamsTable } from '../../../store/schema.js';
import type { StreamKey } from '../arns.js';
import type { StreamStatus } from '../stream-states.js';

export type StreamRow = Selectable<KinesisStreamsTable> & { status: StreamStatus };
type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

export async function findStream(db: Db, key: StreamKey): Promise<StreamRow | undefined> {
  const row = await db
    .selectFrom('kinesis_streams')
    .selectAll()
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('name', '=', key.name)
    .executeTakeFirst();
  return row as StreamRow | undefined;
}

export async function findStreamById(db: Db, id: number): Promise<StreamRow | undefined> {
  return (await db.selectFrom('kinesis_streams').selectAll().where('id', '=', id).executeTakeFirst()) as StreamRow | undefined;
}

/** Streams of an account and region by name, from after `exclusiveStart`. */
export async function listStreams(db: Db, scope: { accountId: string; region: string }, exclusiveStart: string | undefined, limit: number): Promise<StreamRow[]> {
  let query = db.selectFrom('kinesis_streams').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  if (exclusiveStart !== undefined) query = query.where('name', '>', exclusiveStart);
  return (await query.orderBy('name').limit(limit).execute()) as StreamRow[];
}

export async function allStreams(db: Db): Promise<StreamRow[]> {
  return (await db.selectFrom('kinesis_streams').selectAll().execute()) as StreamRow[];
}

export async function setStreamStatus(db: Db, id: number, status: StreamStatus, statusUntil: number | null): Promise<void> {
  await db.updateTable('kinesis_streams').set({ status, status_until: statusUntil }).where('id', '=', id).execute();
}

export async function countStreams(db: Db, scope: { accountId: string; region: string }, mode: string): Promise<number> {
  const row = await db
    .selectFrom('kinesis_streams')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('mode', '=', mode)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function tagsOf(row: { tags: string }): Record<string, string> {
  return JSON.parse(row.tags) as Record<string, string>;
}
