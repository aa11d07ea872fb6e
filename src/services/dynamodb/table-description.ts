import type { Store } from '../../store/database.js';
import { indexArn, tableArn } from './arns.js';
import type { StoredIndex, Table, Throughput } from './table-model.js';
import { itemStats } from './tables/tables.js';

type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

const seconds = (ms: number) => ms / 1000;

function throughputView(t: Throughput): Record<string, unknown> {
  return {
    NumberOfDecreasesToday: 0,
    ReadCapacityUnits: t.ReadCapacityUnits,
    WriteCapacityUnits: t.WriteCapacityUnits,
    ...(t.LastIncreaseMs ? { LastIncreaseDateTime: seconds(t.LastIncreaseMs) } : {}),
    ...(t.LastDecreaseMs ? { LastDecreaseDateTime: seconds(t.LastDecreaseMs) } : {}),
  };
}

/** DescribeTable's `TableDescription` (CreateTable, UpdateTable and DeleteTable answer it too). */
export async function describeTable(db: Db, table: Table): Promise<Record<string, unknown>> {
  const { row } = table;
  const stats = await itemStats(db, table.id);
  const indexView = async (index: StoredIndex, global: boolean) => {
    const indexStats = await itemStats(db, table.id, index.IndexName);
    return {
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
      ...(global
        ? {
            IndexStatus: index.status,
            ...(index.status === 'CREATING' ? { Backfilling: false } : {}),
            ProvisionedThroughput: throughputView(index.ProvisionedThroughput ?? { ReadCapacityUnits: 0, WriteCapacityUnits: 0 }),
          }
        : {}),
      IndexSizeBytes: indexStats.bytes,
      ItemCount: indexStats.count,
      IndexArn: indexArn(table, index.IndexName),
    };
  };
  const payPerRequest = row.billing_mode === 'PAY_PER_REQUEST';
  return {
    AttributeDefinitions: table.attributeDefinitions,
    TableName: table.name,
    KeySchema: table.wireKeySchema,
    TableStatus: table.status,
    CreationDateTime: seconds(row.created_ms),
    ProvisionedThroughput: throughputView(table.throughput),
    TableSizeBytes: stats.bytes,
    ItemCount: stats.count,
    TableArn: tableArn(table),
    TableId: row.table_uuid,
    ...(payPerRequest || row.billing_mode_updated_ms !== null
      ? {
          BillingModeSummary: {
            BillingMode: row.billing_mode,
            ...(payPerRequest ? { LastUpdateToPayPerRequestDateTime: seconds(row.billing_mode_updated_ms ?? row.created_ms) } : {}),
          },
        }
      : {}),
    ...(table.localIndexes.length > 0 ? { LocalSecondaryIndexes: await Promise.all(table.localIndexes.map((i) => indexView(i, false))) } : {}),
    ...(table.globalIndexes.length > 0 ? { GlobalSecondaryIndexes: await Promise.all(table.globalIndexes.map((i) => indexView(i, true))) } : {}),
    ...(table.streamViewType ? { StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType } } : {}),
    ...(row.stream_arn ? { LatestStreamLabel: row.stream_label, LatestStreamArn: row.stream_arn } : {}),
    DeletionProtectionEnabled: false,
  };
}
