import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../../store/schema.js';

/**
 * Reading items (or one index's entries) in key order for Query and Scan: batches after a
 * position, the position being the row's ordering columns. Index entries with equal index keys
 * are ordered by their base item's key, so every row has a unique position.
 */
export interface StoredRow {
  hash_point: number;
  hash_key: string;
  range_key: string;
  base_hash_key: string;
  base_range_key: string;
  item: string;
  size: number;
}

/** A sort key bound in encoded form. */
export interface RangeBounds {
  lower?: { value: string; inclusive: boolean };
  upper?: { value: string; inclusive: boolean };
}

export interface QuerySource {
  tableId: number;
  index?: string;
  hash: string;
  bounds: RangeBounds;
  forward: boolean;
}

export interface ScanSource {
  tableId: number;
  index?: string;
  /** A parallel scan's slice of hash points, `[from, below)`. */
  segment?: { from: number; below: number };
}

const columnsOf = (index: string | undefined) =>
  index === undefined
    ? sql`hash_point, hash_key, range_key, hash_key AS base_hash_key, range_key AS base_range_key, item, size`
    : sql`hash_point, hash_key, range_key, base_hash_key, base_range_key, item, size`;

const sourceOf = (tableId: number, index: string | undefined) =>
  index === undefined ? sql`dynamodb_items WHERE table_id = ${tableId}` : sql`dynamodb_index_items WHERE table_id = ${tableId} AND index_name = ${index}`;

function tupleAfter(columns: string[], values: (string | number)[], forward: boolean): RawBuilder<unknown> {
  const op = forward ? sql`>` : sql`<`;
  return sql`AND (${sql.join(columns.map((c) => sql.ref(c)))}) ${op} (${sql.join(values)})`;
}

export async function queryRows(db: Kysely<Database>, source: QuerySource, after: StoredRow | undefined, limit: number): Promise<StoredRow[]> {
  const indexed = source.index !== undefined;
  const order = indexed ? ['range_key', 'base_hash_key', 'base_range_key'] : ['range_key'];
  const { lower, upper } = source.bounds;
  const direction = source.forward ? sql`ASC` : sql`DESC`;
  const cursor = after ? tupleAfter(order, indexed ? [after.range_key, after.base_hash_key, after.base_range_key] : [after.range_key], source.forward) : sql``;
  const result = await sql<StoredRow>`SELECT ${columnsOf(source.index)} FROM ${sourceOf(source.tableId, source.index)}
    AND hash_key = ${source.hash}
    ${lower ? (lower.inclusive ? sql`AND range_key >= ${lower.value}` : sql`AND range_key > ${lower.value}`) : sql``}
    ${upper ? (upper.inclusive ? sql`AND range_key <= ${upper.value}` : sql`AND range_key < ${upper.value}`) : sql``}
    ${cursor}
    ORDER BY ${sql.join(order.map((c) => sql`${sql.ref(c)} ${direction}`))} LIMIT ${limit}`.execute(db);
  return result.rows;
}

export async function scanRows(db: Kysely<Database>, source: ScanSource, after: StoredRow | undefined, limit: number): Promise<StoredRow[]> {
  const indexed = source.index !== undefined;
  const order = indexed ? ['hash_point', 'hash_key', 'range_key', 'base_hash_key', 'base_range_key'] : ['hash_point', 'hash_key', 'range_key'];
  const values = after ? (indexed ? [after.hash_point, after.hash_key, after.range_key, after.base_hash_key, after.base_range_key] : [after.hash_point, after.hash_key, after.range_key]) : [];
  const segment = source.segment ? sql`AND hash_point >= ${source.segment.from} AND hash_point < ${source.segment.below}` : sql``;
  const result = await sql<StoredRow>`SELECT ${columnsOf(source.index)} FROM ${sourceOf(source.tableId, source.index)}
    ${segment}
    ${after ? tupleAfter(order, values, true) : sql``}
    ORDER BY ${sql.join(order.map((c) => sql.ref(c)))} LIMIT ${limit}`.execute(db);
  return result.rows;
}
