import type { Item, KeySchema } from './attribute-value.js';
import { sortableKey, typeOf, validateItem } from './attribute-values.js';
import { AttributeValueInvalid } from './attribute-values.js';
import { consumedCapacity, readUnits, type CapacityUse } from './capacity.js';
import { errors } from './errors.js';
import type { Page } from './item-pages.js';
import type { CompiledRequest, ExpressionEngine } from './expressions/contract.js';
import { hashPointOf } from './item-keys.js';
import { keyNamesOf, type SecondaryIndex, type Table } from './table-model.js';
import type { StoredRow } from './tables/item-ranges.js';
import { readItem } from './tables/items.js';
import type { Store } from '../../store/database.js';
import { ConstraintCheck } from './validation.js';

/**
 * What Query and Scan share: the table or index read, Select, ExclusiveStartKey and
 * LastEvaluatedKey.
 */
export interface ReadTarget {
  table: Table;
  index?: SecondaryIndex;
  /** The key schema rows are ordered by (the index's, or the table's). */
  keySchema: KeySchema;
}

export function readTargetOf(table: Table, indexName: unknown, consistentRead: unknown): ReadTarget {
  if (typeof indexName !== 'string') return { table, keySchema: table.keySchema };
  const index = table.indexes.find((i) => i.name === indexName);
  if (!index) throw errors.indexNotFound(indexName);
  if (index.global && consistentRead === true) throw errors.consistentReadOnGsi();
  return { table, index, keySchema: index.keySchema };
}

const SELECTS = ['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT'] as const;
export type Select = (typeof SELECTS)[number];

export function checkReadMembers(input: Record<string, unknown>): void {
  new ConstraintCheck()
    .range(input.Limit, 'limit', 1)
    .oneOf(input.Select, 'select', SELECTS)
    .oneOf(input.ReturnConsumedCapacity, 'returnConsumedCapacity', ['INDEXES', 'TOTAL', 'NONE'])
    .throwIfAny();
}

/** Select as asked or defaulted, checked against the target and the projection. */
export function selectOf(input: Record<string, unknown>, target: ReadTarget, compiled: CompiledRequest): Select {
  const hasProjection = compiled.projection !== undefined;
  const select = (input.Select as Select | undefined) ?? (hasProjection ? 'SPECIFIC_ATTRIBUTES' : target.index ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES');
  if (select === 'COUNT' && hasProjection) throw errors.selectWithProjection('COUNT');
  if (select === 'SPECIFIC_ATTRIBUTES' && !hasProjection) throw errors.specificAttributesWithoutProjection();
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !target.index) throw errors.allProjectedWithoutIndex();
  if (select === 'ALL_ATTRIBUTES' && target.index?.global && target.index.projection.ProjectionType !== 'ALL') throw errors.allAttributesOnGsi(target.index.name);
  return select;
}

/**
 * How each matching row is answered: projected, or for ALL_ATTRIBUTES through a local index that
 * does not project everything, the base item (AWS fetches it from the table).
 */
export function shapeOf(db: Store, target: ReadTarget, select: Select, compiled: CompiledRequest, engine: ExpressionEngine) {
  if (select === 'COUNT') return undefined;
  const fetchBase = select === 'ALL_ATTRIBUTES' && target.index && target.index.projection.ProjectionType !== 'ALL';
  return async (row: StoredRow, item: Item): Promise<Item> => {
    const full = fetchBase ? ((await readItem(db, target.table.id, { hash: row.base_hash_key, range: row.base_range_key }))?.item ?? item) : item;
    return compiled.projection ? engine.project(full, compiled.projection) : full;
  };
}

/** The attribute names a start key must have: the table's key, and the index's for an index. */
function startKeyNames(target: ReadTarget): { name: string; type: string }[] {
  const parts = [target.table.keySchema.hash, target.table.keySchema.range, target.index?.keySchema.hash, target.index?.keySchema.range];
  const out: { name: string; type: string }[] = [];
  for (const part of parts) if (part && !out.some((p) => p.name === part.name)) out.push(part);
  return out;
}

/** ExclusiveStartKey as a position among the stored rows. */
export function startRowOf(value: unknown, target: ReadTarget): StoredRow | undefined {
  if (value === undefined || value === null) return undefined;
  let key: Item;
  try {
    key = validateItem(value);
  } catch (err) {
    if (err instanceof AttributeValueInvalid) throw errors.invalidStartKey(err.message);
    throw err;
  }
  const names = startKeyNames(target);
  if (Object.keys(key).length !== names.length || names.some((p) => !key[p.name] || typeOf(key[p.name]!) !== p.type)) {
    throw errors.invalidStartKey('The provided key element does not match the schema');
  }
  const enc = (schema: KeySchema, which: 'hash' | 'range') => (schema[which] ? sortableKey(key[schema[which]!.name]!) : '');
  const hash = enc(target.keySchema, 'hash');
  return {
    hash_point: hashPointOf(hash),
    hash_key: hash,
    range_key: enc(target.keySchema, 'range'),
    base_hash_key: enc(target.table.keySchema, 'hash'),
    base_range_key: enc(target.table.keySchema, 'range'),
    item: '{}',
    size: 0,
  };
}

/** LastEvaluatedKey of the row a page stopped at: the table's key (and the index's). */
export function lastEvaluatedKeyOf(row: StoredRow, target: ReadTarget): Item {
  const item = JSON.parse(row.item) as Item;
  const out: Item = {};
  for (const name of [...keyNamesOf(target.table.keySchema), ...(target.index ? keyNamesOf(target.index.keySchema) : [])]) if (item[name]) out[name] = item[name]!;
  return out;
}

/** Query's and Scan's answer for a page: items (unless COUNT), counts, where to go on, capacity read. */
export function pageAnswer(page: Page, target: ReadTarget, select: string, input: Record<string, unknown>): Record<string, unknown> {
  const units = readUnits(page.scannedBytes, input.ConsistentRead === true);
  const use: CapacityUse = target.index ? { kind: 'read', table: 0, indexes: { [target.index.name]: units } } : { kind: 'read', table: units };
  const consumed = consumedCapacity(target.table, input.ReturnConsumedCapacity, use);
  return {
    ...(select === 'COUNT' ? {} : { Items: page.items }),
    Count: page.count,
    ScannedCount: page.scannedCount,
    ...(page.last ? { LastEvaluatedKey: lastEvaluatedKeyOf(page.last, target) } : {}),
    ...(consumed ? { ConsumedCapacity: consumed } : {}),
  };
}
