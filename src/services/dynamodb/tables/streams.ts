import type { Selectable } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { DynamodbStreamsTable } from '../../../store/schema.js';
import type { KeySchema } from '../attribute-value.js';
import type { StreamViewType, TableStream } from '../stream-contract.js';

type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

export function streamOf(row: Selectable<DynamodbStreamsTable>): TableStream {
  return {
    streamArn: row.stream_arn,
    label: row.label,
    tableName: row.table_name,
    keySchema: JSON.parse(row.key_schema) as KeySchema,
    viewType: row.view_type as StreamViewType,
    status: row.status as TableStream['status'],
    createdMs: row.created_ms,
    ...(row.disabled_ms !== null ? { disabledMs: row.disabled_ms } : {}),
  };
}

export async function insertStream(
  db: Db,
  values: { streamArn: string; tableId: number; accountId: string; region: string; tableName: string; label: string; keySchema: KeySchema; viewType: StreamViewType; createdMs: number },
): Promise<void> {
  await db
    .insertInto('dynamodb_streams')
    .values({
      stream_arn: values.streamArn,
      table_id: values.tableId,
      account_id: values.accountId,
      region: values.region,
      table_name: values.tableName,
      label: values.label,
      key_schema: JSON.stringify(values.keySchema),
      view_type: values.viewType,
      status: 'ENABLED',
      created_ms: values.createdMs,
    })
    .execute();
}

/** The table's enabled stream (if any) is disabled from `now` on. */
export async function disableStreams(db: Db, tableId: number, now: number): Promise<void> {
  await db.updateTable('dynamodb_streams').set({ status: 'DISABLED', disabled_ms: now }).where('table_id', '=', tableId).where('status', '=', 'ENABLED').execute();
}

export async function findStreamRow(db: Db, streamArn: string): Promise<TableStream | undefined> {
  const row = await db.selectFrom('dynamodb_streams').selectAll().where('stream_arn', '=', streamArn).executeTakeFirst();
  return row ? streamOf(row) : undefined;
}

/** Streams enabled, or disabled after `disabledSince`, oldest first. */
export async function listStreamRows(db: Db, disabledSince: number, tableName?: string): Promise<TableStream[]> {
  let query = db
    .selectFrom('dynamodb_streams')
    .selectAll()
    .where((eb) => eb.or([eb('disabled_ms', 'is', null), eb('disabled_ms', '>', disabledSince)]));
  if (tableName !== undefined) query = query.where('table_name', '=', tableName);
  return (await query.orderBy('created_ms').execute()).map(streamOf);
}

/** Forgets streams disabled before `disabledBefore`. */
export async function deleteExpiredStreams(db: Db, disabledBefore: number): Promise<void> {
  await db.deleteFrom('dynamodb_streams').where('disabled_ms', '<=', disabledBefore).execute();
}

export async function findEnabledStream(db: Db, tableId: number): Promise<TableStream | undefined> {
  const row = await db.selectFrom('dynamodb_streams').selectAll().where('table_id', '=', tableId).where('status', '=', 'ENABLED').executeTakeFirst();
  return row ? streamOf(row) : undefined;
}
