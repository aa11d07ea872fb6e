import type { Insertable, Updateable } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { DynamodbTablesTable } from '../../../store/schema.js';
import type { TableWriteTransaction } from '../table-write-transaction.js';
import { tableOf, type StoredIndex, type Table, type TableRow } from '../table-model.js';

type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;
export interface TableKey {
  accountId: string;
  region: string;
  name: string;
}

export async function findTable(db: Db, key: TableKey): Promise<Table | undefined> {
  const row = await db
    .selectFrom('dynamodb_tables')
    .selectAll()
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('name', '=', key.name)
    .executeTakeFirst();
  return row ? tableOf(row as TableRow) : undefined;
}

export async function findTableById(db: Db, id: number): Promise<Table | undefined> {
  const row = await db.selectFrom('dynamodb_tables').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? tableOf(row as TableRow) : undefined;
}

export async function insertTable(db: TableWriteTransaction, values: Insertable<DynamodbTablesTable>): Promise<number> {
  const row = await db.insertInto('dynamodb_tables').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Names of an account's tables in a region, in order, after `exclusiveStart`. */
export async function listTableNames(db: Db, scope: { accountId: string; region: string }, exclusiveStart: string | undefined, limit: number): Promise<string[]> {
  let query = db.selectFrom('dynamodb_tables').select('name').where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  if (exclusiveStart !== undefined) query = query.where('name', '>', exclusiveStart);
  const rows = await query.orderBy('name').limit(limit).execute();
  return rows.map((r) => r.name);
}

export async function setTableStatus(db: TableWriteTransaction, id: number, status: string, statusUntil: number | null): Promise<void> {
  await db.updateTable('dynamodb_tables').set({ status, status_until: statusUntil }).where('id', '=', id).execute();
}

export async function setGlobalIndexes(db: TableWriteTransaction, id: number, indexes: StoredIndex[]): Promise<void> {
  await db.updateTable('dynamodb_tables').set({ global_indexes: JSON.stringify(indexes) }).where('id', '=', id).execute();
}

export async function setTags(db: TableWriteTransaction, id: number, tags: Record<string, string>): Promise<void> {
  await db.updateTable('dynamodb_tables').set({ tags: JSON.stringify(tags) }).where('id', '=', id).execute();
}

export async function updateTableRow(db: TableWriteTransaction, id: number, set: Updateable<DynamodbTablesTable>): Promise<void> {
  await db.updateTable('dynamodb_tables').set(set).where('id', '=', id).execute();
}

export async function deleteTableRow(db: TableWriteTransaction, id: number): Promise<void> {
  await db.deleteFrom('dynamodb_tables').where('id', '=', id).execute();
}

/** Tables whose transitional status is due by `now`. */
export async function dueTables(db: Db, now: number): Promise<Table[]> {
  const rows = await db.selectFrom('dynamodb_tables').selectAll().where('status_until', '<=', now).execute();
  return rows.map((r) => tableOf(r as TableRow));
}

export async function nextDueAt(db: Db): Promise<number | undefined> {
  const row = await db.selectFrom('dynamodb_tables').select((eb) => eb.fn.min<number>('status_until').as('at')).executeTakeFirst();
  return row?.at ?? undefined;
}

/** Item count and bytes of a table or one of its indexes (DescribeTable). */
export async function itemStats(db: Db, tableId: number, indexName?: string): Promise<{ count: number; bytes: number }> {
  const row =
    indexName === undefined
      ? await db
          .selectFrom('dynamodb_items')
          .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.sum<number>('size').as('bytes')])
          .where('table_id', '=', tableId)
          .executeTakeFirst()
      : await db
          .selectFrom('dynamodb_index_items')
          .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.sum<number>('size').as('bytes')])
          .where('table_id', '=', tableId)
          .where('index_name', '=', indexName)
          .executeTakeFirst();
  return { count: Number(row?.count ?? 0), bytes: Number(row?.bytes ?? 0) };
}
