import { sql } from 'kysely';
import type { Store } from '../../../../store/database.js';
import type { DynamodbStreamRecordsTable } from '../../../../store/schema.js';
import { DELETE_BATCH_ROWS } from '../limits.js';
import { physicalRowId } from '../../../../store/dialect-sql.js';

type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'deleteFrom'>;

export interface StoredRecord {
  sequence_number: string;
  item_key: string;
  record: string;
  created_ms: number;
}

/** Where a read starts: at a sequence number (inclusive) or after one (exclusive). */
export interface LowerBound {
  sequence: string;
  inclusive: boolean;
}

export async function insertRecords(db: Db, rows: DynamodbStreamRecordsTable[]): Promise<void> {
  // 7 parameters a row: well under SQLite's limit of bound parameters per statement.
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('dynamodb_stream_records').values(rows.slice(i, i + 500)).execute();
}

/** Records of a shard from `from`, in order, at most `limit` and about `maxBytes` (the record that crosses the budget is the last one). */
export async function readRecords(db: Db, streamArn: string, shardId: string, from: LowerBound, limit: number, maxBytes: number): Promise<StoredRecord[]> {
  const rows = await db
    .selectFrom('dynamodb_stream_records')
    .select(['sequence_number', 'item_key', 'record', 'created_ms'])
    .where('stream_arn', '=', streamArn)
    .where('shard_id', '=', shardId)
    .where('sequence_number', from.inclusive ? '>=' : '>', from.sequence)
    .orderBy('sequence_number')
    .limit(limit)
    .execute();
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    total += rows[i]!.record.length;
    if (total >= maxBytes) return rows.slice(0, i + 1);
  }
  return rows;
}

/** The oldest record a shard still holds (its sequence number), or undefined when none. */
export async function oldestSequence(db: Db, streamArn: string, shardId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('dynamodb_stream_records')
    .select('sequence_number')
    .where('stream_arn', '=', streamArn)
    .where('shard_id', '=', shardId)
    .orderBy('sequence_number')
    .limit(1)
    .executeTakeFirst();
  return row?.sequence_number;
}

/** Deletes up to one batch of records created before `beforeMs`; returns how many went, so callers loop until 0. */
export async function deleteRecordsBatch(db: Db & Pick<Store, 'getExecutor'>, beforeMs: number): Promise<number> {
  const inner = db.selectFrom('dynamodb_stream_records').select(physicalRowId(db).as('rid')).where('created_ms', '<', beforeMs).limit(DELETE_BATCH_ROWS);
  const result = await db.deleteFrom('dynamodb_stream_records').where(sql<boolean>`${physicalRowId(db)} in (${inner})`).executeTakeFirst();
  return Number(result.numDeletedRows);
}
