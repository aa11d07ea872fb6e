import { sql } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { KinesisRecordsTable } from '../../../store/schema.js';
import { DELETE_BATCH_ROWS } from '../limits.js';
import { physicalRowId } from '../../../store/dialect-sql.js';

type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'deleteFrom'>;

export interface StoredRecord {
  sequence_number: string;
  partition_key: string;
  data: Buffer;
  arrival_ms: number;
}

/** Where a read starts: at a sequence number (inclusive) or after one (exclusive). */
export interface LowerBound {
  sequence: string;
  inclusive: boolean;
}

export async function insertRecords(db: Db, rows: KinesisRecordsTable[]): Promise<void> {
  // 6 parameters a row: well under SQLite's limit of bound parameters per statement.
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('kinesis_records').values(rows.slice(i, i + 500)).execute();
}

/**
 * Records of a shard from `from`, in order, at most `limit` and about `maxBytes` (the record that
 * crosses the budget is the last one): sizes are read first from the index order, so a large page
 * never loads blobs it will not send.
 */
export async function readRecords(db: Db, streamId: number, shardIndex: number, from: LowerBound, limit: number, maxBytes: number): Promise<StoredRecord[]> {
  const sizes = await db
    .selectFrom('kinesis_records')
    .select(['sequence_number', sql<number>`length(data) + length(partition_key)`.as('size')])
    .where('stream_id', '=', streamId)
    .where('shard_index', '=', shardIndex)
    .where('sequence_number', from.inclusive ? '>=' : '>', from.sequence)
    .orderBy('sequence_number')
    .limit(limit)
    .execute();
  if (sizes.length === 0) return [];
  let last = sizes.length - 1;
  let total = 0;
  for (let i = 0; i < sizes.length; i++) {
    total += Number(sizes[i]!.size);
    if (total >= maxBytes) {
      last = i;
      break;
    }
  }
  return db
    .selectFrom('kinesis_records')
    .select(['sequence_number', 'partition_key', 'data', 'arrival_ms'])
    .where('stream_id', '=', streamId)
    .where('shard_index', '=', shardIndex)
    .where('sequence_number', from.inclusive ? '>=' : '>', from.sequence)
    .where('sequence_number', '<=', sizes[last]!.sequence_number)
    .orderBy('sequence_number')
    .execute();
}

/** The first record after `sequence` (its arrival time), without loading its data. */
export async function firstAfter(db: Db, streamId: number, shardIndex: number, from: LowerBound): Promise<{ sequence_number: string; arrival_ms: number } | undefined> {
  return db
    .selectFrom('kinesis_records')
    .select(['sequence_number', 'arrival_ms'])
    .where('stream_id', '=', streamId)
    .where('shard_index', '=', shardIndex)
    .where('sequence_number', from.inclusive ? '>=' : '>', from.sequence)
    .orderBy('sequence_number')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Deletes up to one batch of a shard's records below `belowSequence` (all of them when absent);
 * returns how many went, so callers loop until 0 without holding the store for long.
 */
export async function deleteRecordsBatch(db: Db & Pick<Store, 'getExecutor'>, streamId: number, shardIndex: number | null, belowSequence?: string): Promise<number> {
  let inner = db.selectFrom('kinesis_records').select(physicalRowId(db).as('rid')).where('stream_id', '=', streamId);
  if (shardIndex !== null) inner = inner.where('shard_index', '=', shardIndex);
  if (belowSequence !== undefined) inner = inner.where('sequence_number', '<', belowSequence);
  const result = await db
    .deleteFrom('kinesis_records')
    .where(sql<boolean>`${physicalRowId(db)} in (${inner.limit(DELETE_BATCH_ROWS)})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
