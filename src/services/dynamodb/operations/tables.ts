import { randomUUID } from 'node:crypto';
import type { Updateable } from 'kysely';
import type { DynamodbTablesTable } from '../../../store/schema.js';
import { DEFAULT_LIST_TABLES_LIMIT, MAX_GSIS_PER_TABLE, MAX_LIST_TABLES_LIMIT } from '../api-limits.js';
import type { DynamodbDeps, DynamodbOperation } from '../deps.js';
import { errors } from '../errors.js';
import { backfillIndex } from '../index-backfill.js';
import { applyStreamSpecification, readStreamSpecification } from '../stream-specification.js';
import { BILLING_MODES, checkCreateTable, checkNewGlobalIndex, checkThroughputMembers, tableThroughput } from '../table-definition.js';
import { describeTable } from '../table-description.js';
import { requireTable, tableKeyOf } from '../table-lookup.js';
import { keySchemaOf, type AttributeDefinition, type StoredIndex, type Table } from '../table-model.js';
import { tableTransition, type TableStatus } from '../table-states.js';
import { findTable, findTableById, insertTable, listTableNames, setTableStatus, updateTableRow } from '../tables/tables.js';
import { ConstraintCheck, int, list, record, str } from '../validation.js';
import { checkTagList } from './tags.js';

/** ResourceInUseException for a table that is not ACTIVE, in AWS's words for each status. */
export function notActive(table: Table): Error {
  const byStatus: Partial<Record<TableStatus, (name: string) => Error>> = {
    CREATING: errors.tableBeingCreated,
    UPDATING: errors.tableBeingUpdated,
    DELETING: errors.tableBeingDeleted,
  };
  return (byStatus[table.status] ?? errors.tableBeingUpdated)(table.name);
}

export function tableOperations(deps: DynamodbDeps): Record<string, DynamodbOperation> {
  const { db, clock } = deps;
  return {
    async CreateTable(input, ctx) {
      const definition = checkCreateTable(input);
      const stream = readStreamSpecification(input.StreamSpecification);
      const tags = checkTagList(input.Tags);
      const key = tableKeyOf(input.TableName, ctx);
      const now = clock.now();
      const until = now + deps.transitionDelayMs;
      const id = await deps.tables.writing(db, async (tx) => {
        if (await findTable(tx, key)) throw errors.tableExists(key.name);
        const tableId = await insertTable(tx, {
          account_id: key.accountId,
          region: key.region,
          name: key.name,
          table_uuid: randomUUID(),
          status: 'CREATING',
          status_until: until,
          key_schema: JSON.stringify(definition.keySchema),
          attribute_definitions: JSON.stringify(definition.attributeDefinitions),
          billing_mode: definition.billingMode,
          billing_mode_updated_ms: input.BillingMode === undefined ? null : now,
          throughput: JSON.stringify(definition.throughput),
          global_indexes: JSON.stringify(definition.globalIndexes.map((i) => ({ ...i, status: 'CREATING' }))),
          local_indexes: JSON.stringify(definition.localIndexes),
          tags: JSON.stringify(Object.fromEntries(tags.map((t) => [t.Key, t.Value]))),
          created_ms: now,
        });
        if (stream?.enabled) {
          await applyStreamSpecification(tx, { id: tableId, name: key.name, accountId: key.accountId, region: key.region, keySchema: keySchemaOf(definition.keySchema, definition.attributeDefinitions), streamViewType: null }, stream, now);
        }
        return tableId;
      });
      deps.onTransitionScheduled(until);
      return { TableDescription: await describeTable(db, (await findTableById(db, id))!) };
    },

    async DescribeTable(input, ctx) {
      return { Table: await describeTable(db, await requireTable(db, input.TableName, ctx)) };
    },

    async DeleteTable(input, ctx) {
      const until = clock.now() + deps.transitionDelayMs;
      const table = await deps.tables.writing(db, async (tx) => {
        const found = await requireTable(tx, input.TableName, ctx);
        if (found.status !== 'ACTIVE') throw notActive(found);
        await setTableStatus(tx, found.id, tableTransition(found.status, 'delete'), until);
        // The stream ends with the table, and stays readable for 24 hours.
        if (found.streamViewType) await applyStreamSpecification(tx, found, { enabled: false }, clock.now());
        return (await findTableById(tx, found.id))!;
      });
      deps.onTransitionScheduled(until);
      return { TableDescription: await describeTable(db, table) };
    },

    async ListTables(input, ctx) {
      new ConstraintCheck().range(input.Limit, 'limit', 1, MAX_LIST_TABLES_LIMIT).tableName(input.ExclusiveStartTableName, 'exclusiveStartTableName').throwIfAny();
      const limit = int(input.Limit) ?? DEFAULT_LIST_TABLES_LIMIT;
      const names = await listTableNames(db, ctx, str(input.ExclusiveStartTableName), limit + 1);
      const page = names.slice(0, limit);
      return { TableNames: page, ...(names.length > limit ? { LastEvaluatedTableName: page[page.length - 1] } : {}) };
    },

    async UpdateTable(input, ctx) {
      const check = new ConstraintCheck().oneOf(input.BillingMode, 'billingMode', BILLING_MODES);
      checkThroughputMembers(check, input.ProvisionedThroughput, 'provisionedThroughput');
      check.listLength(input.GlobalSecondaryIndexUpdates, 'globalSecondaryIndexUpdates', 1, MAX_GSIS_PER_TABLE).throwIfAny();
      const stream = readStreamSpecification(input.StreamSpecification);
      const indexUpdates = (list(input.GlobalSecondaryIndexUpdates) ?? []).map((u) => record(u) ?? {});
      const now = clock.now();
      const until = now + deps.transitionDelayMs;
      const updated = await deps.tables.writing(db, async (tx) => {
        const table = await requireTable(tx, input.TableName, ctx);
        const billingInput = str(input.BillingMode) as 'PROVISIONED' | 'PAY_PER_REQUEST' | undefined;
        const nothing = billingInput === undefined && input.ProvisionedThroughput === undefined && indexUpdates.length === 0 && stream === undefined && input.DeletionProtectionEnabled === undefined;
        if (nothing) throw errors.nothingToUpdate();
        if (table.status !== 'ACTIVE') throw notActive(table);
        const set: Updateable<DynamodbTablesTable> = {};

        const billingMode = billingInput ?? (table.row.billing_mode as 'PROVISIONED' | 'PAY_PER_REQUEST');
        if (billingInput !== undefined || input.ProvisionedThroughput !== undefined) {
          if (billingMode === 'PAY_PER_REQUEST') {
            if (input.ProvisionedThroughput !== undefined) throw errors.throughputWithPayPerRequest();
          } else {
            const throughput = input.ProvisionedThroughput !== undefined || table.row.billing_mode !== 'PROVISIONED' ? tableThroughput('PROVISIONED', input.ProvisionedThroughput) : table.throughput;
            const current = table.throughput;
            if (billingInput === undefined && throughput.ReadCapacityUnits === current.ReadCapacityUnits && throughput.WriteCapacityUnits === current.WriteCapacityUnits) {
              throw errors.throughputUnchanged(current.ReadCapacityUnits, throughput.ReadCapacityUnits, current.WriteCapacityUnits, throughput.WriteCapacityUnits);
            }
            const increased = throughput.ReadCapacityUnits > current.ReadCapacityUnits || throughput.WriteCapacityUnits > current.WriteCapacityUnits;
            set.throughput = JSON.stringify({ ...current, ...throughput, ...(increased ? { LastIncreaseMs: now } : { LastDecreaseMs: now }) });
          }
          if (billingMode !== table.row.billing_mode) {
            set.billing_mode = billingMode;
            set.billing_mode_updated_ms = now;
            if (billingMode === 'PAY_PER_REQUEST') set.throughput = JSON.stringify({ ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
          }
        }

        let globalIndexes: StoredIndex[] = table.globalIndexes;
        if (indexUpdates.length > 0) {
          const definitions = mergeDefinitions(table.attributeDefinitions, input.AttributeDefinitions);
          const changes = indexUpdates.filter((u) => u.Create || u.Delete);
          if (changes.length > 1) throw errors.oneIndexAtATime();
          for (const update of indexUpdates) globalIndexes = await applyIndexUpdate(update, globalIndexes, definitions, billingMode, table);
          set.global_indexes = JSON.stringify(globalIndexes);
          set.attribute_definitions = JSON.stringify(definitions);
        }
        if (Object.keys(set).length > 0) await updateTableRow(tx, table.id, set);
        if (stream) await applyStreamSpecification(tx, table, stream, now);
        // Adding an index backfills it: written now, reported CREATING until the table settles.
        const created = globalIndexes.find((i) => i.status === 'CREATING');
        if (created) {
          const fresh = (await findTableById(tx, table.id))!;
          await backfillIndex(tx, fresh, fresh.indexes.find((i) => i.name === created.IndexName)!);
        }
        await setTableStatus(tx, table.id, tableTransition(table.status, 'update'), until);
        return (await findTableById(tx, table.id))!;
      });
      deps.onTransitionScheduled(until);
      return { TableDescription: await describeTable(db, updated) };
    },
  };
}

function mergeDefinitions(current: AttributeDefinition[], added: unknown): AttributeDefinition[] {
  const out = [...current];
  for (const raw of list(added) ?? []) {
    const def = record(raw) ?? {};
    const name = str(def.AttributeName);
    const type = str(def.AttributeType) as AttributeDefinition['AttributeType'] | undefined;
    if (!name || !type) continue;
    const existing = out.find((d) => d.AttributeName === name);
    if (existing && existing.AttributeType !== type) throw errors.duplicateAttributeDefinition(name);
    if (!existing) out.push({ AttributeName: name, AttributeType: type });
  }
  return out;
}

async function applyIndexUpdate(
  update: Record<string, unknown>,
  indexes: StoredIndex[],
  definitions: AttributeDefinition[],
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST',
  table: Table,
): Promise<StoredIndex[]> {
  const create = record(update.Create);
  const remove = record(update.Delete);
  const change = record(update.Update);
  if ([create, remove, change].filter(Boolean).length !== 1) throw errors.validation('One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Update, or GlobalSecondaryIndexUpdate.Delete must be specified');
  if (create) {
    if (indexes.length >= MAX_GSIS_PER_TABLE) throw errors.tooManyGsis(MAX_GSIS_PER_TABLE);
    const names = [...indexes.map((i) => i.IndexName), ...table.localIndexes.map((i) => i.IndexName)];
    return [...indexes, checkNewGlobalIndex(create, definitions.map((d) => d.AttributeName), names, billingMode)];
  }
  const name = str((remove ?? change)!.IndexName);
  const index = indexes.find((i) => i.IndexName === name);
  if (!name || !index) throw errors.indexNotFoundForUpdate(name ?? '', table.name);
  if (remove) return indexes.map((i) => (i === index ? { ...i, status: 'DELETING' as const } : i));
  const throughput = tableThroughput(billingMode, change!.ProvisionedThroughput);
  return indexes.map((i) => (i === index ? { ...i, ProvisionedThroughput: throughput } : i));
}
