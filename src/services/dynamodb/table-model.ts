import type { Selectable } from 'kysely';
import type { DynamodbTablesTable } from '../../store/schema.js';
import type { KeySchema } from './attribute-value.js';
import type { StreamViewType } from './stream-contract.js';
import type { TableStatus } from './table-states.js';

/** The API's own shapes of a table's definition, as stored. */
export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}
export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: 'S' | 'N' | 'B';
}
export interface Projection {
  ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  NonKeyAttributes?: string[];
}
export interface Throughput {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
  LastIncreaseMs?: number;
  LastDecreaseMs?: number;
}

export type IndexStatus = 'CREATING' | 'ACTIVE' | 'DELETING';

export interface StoredIndex {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: Projection;
  /** Global indexes of a provisioned table only. */
  ProvisionedThroughput?: Throughput;
  /** Local indexes are always ACTIVE. */
  status: IndexStatus;
}

export type TableRow = Selectable<DynamodbTablesTable>;

/** A secondary index as the item paths use it. */
export interface SecondaryIndex {
  name: string;
  global: boolean;
  keySchema: KeySchema;
  projection: Projection;
  status: IndexStatus;
}

/** A table row, its JSON read once. */
export interface Table {
  row: TableRow;
  id: number;
  name: string;
  accountId: string;
  region: string;
  status: TableStatus;
  keySchema: KeySchema;
  wireKeySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
  globalIndexes: StoredIndex[];
  localIndexes: StoredIndex[];
  /** Every index that holds entries (a DELETING global index no longer does). */
  indexes: SecondaryIndex[];
  throughput: Throughput;
  streamViewType: StreamViewType | null;
  ttlAttribute: string | null;
  ttlEnabled: boolean;
  tags: Record<string, string>;
}

export function tableOf(row: TableRow): Table {
  const attributeDefinitions = JSON.parse(row.attribute_definitions) as AttributeDefinition[];
  const wireKeySchema = JSON.parse(row.key_schema) as KeySchemaElement[];
  const globalIndexes = JSON.parse(row.global_indexes) as StoredIndex[];
  const localIndexes = JSON.parse(row.local_indexes) as StoredIndex[];
  const toKeySchema = (elements: KeySchemaElement[]) => keySchemaOf(elements, attributeDefinitions);
  return {
    row,
    id: row.id,
    name: row.name,
    accountId: row.account_id,
    region: row.region,
    status: row.status as TableStatus,
    keySchema: toKeySchema(wireKeySchema),
    wireKeySchema,
    attributeDefinitions,
    globalIndexes,
    localIndexes,
    indexes: [
      ...globalIndexes.filter((i) => i.status !== 'DELETING').map((i) => ({ name: i.IndexName, global: true, keySchema: toKeySchema(i.KeySchema), projection: i.Projection, status: i.status })),
      ...localIndexes.map((i) => ({ name: i.IndexName, global: false, keySchema: toKeySchema(i.KeySchema), projection: i.Projection, status: i.status })),
    ],
    throughput: JSON.parse(row.throughput) as Throughput,
    streamViewType: row.stream_view_type as StreamViewType | null,
    ttlAttribute: row.ttl_attribute,
    ttlEnabled: row.ttl_status === 'ENABLED',
    tags: JSON.parse(row.tags) as Record<string, string>,
  };
}

/** The typed key schema of a (checked) KeySchema: each key attribute's type from AttributeDefinitions. */
export function keySchemaOf(elements: KeySchemaElement[], definitions: AttributeDefinition[]): KeySchema {
  const typeOf = (name: string) => definitions.find((d) => d.AttributeName === name)!.AttributeType;
  const hash = elements.find((e) => e.KeyType === 'HASH')!;
  const range = elements.find((e) => e.KeyType === 'RANGE');
  return {
    hash: { name: hash.AttributeName, type: typeOf(hash.AttributeName) },
    ...(range ? { range: { name: range.AttributeName, type: typeOf(range.AttributeName) } } : {}),
  };
}

/** The attribute names of a key schema, hash first. */
export function keyNamesOf(schema: KeySchema): string[] {
  return schema.range ? [schema.hash.name, schema.range.name] : [schema.hash.name];
}

export function findIndex(table: Table, name: string): SecondaryIndex | undefined {
  return table.indexes.find((i) => i.name === name);
}
