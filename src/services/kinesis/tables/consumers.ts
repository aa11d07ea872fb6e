import type { Selectable } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { KinesisConsumersTable } from '../../../store/schema.js';
import type { ConsumerStatus } from '../stream-states.js';

export type ConsumerRow = Selectable<KinesisConsumersTable> & { status: ConsumerStatus };
type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

export async function findConsumer(db: Db, streamId: number, name: string): Promise<ConsumerRow | undefined> {
  return (await db.selectFrom('kinesis_consumers').selectAll().where('stream_id', '=', streamId).where('name', '=', name).executeTakeFirst()) as
    | ConsumerRow
    | undefined;
}

export async function listConsumers(db: Db, streamId: number): Promise<ConsumerRow[]> {
  return (await db.selectFrom('kinesis_consumers').selectAll().where('stream_id', '=', streamId).orderBy('name').execute()) as ConsumerRow[];
}

export async function allTransitionalConsumers(db: Db): Promise<ConsumerRow[]> {
  return (await db.selectFrom('kinesis_consumers').selectAll().where('status_until', 'is not', null).execute()) as ConsumerRow[];
}
