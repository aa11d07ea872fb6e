import type { Item } from '../attribute-value.js';
import { itemSize, keyString } from '../attribute-values.js';
import { MAX_BATCH_GET_BYTES, MAX_BATCH_GET_KEYS, MAX_BATCH_WRITE_REQUESTS } from '../api-limits.js';
import { consumedCapacity, readUnits, writeUnits } from '../capacity.js';
import type { DynamodbDeps, DynamodbOperation } from '../deps.js';
import { errors } from '../errors.js';
import { checkItemKeys, checkKey, encodeKey, keyAttributes } from '../item-keys.js';
import { itemMember } from '../item-requests.js';
import { inItemTransaction, writeItem } from '../item-writer.js';
import { MAX_ITEM_BYTES } from '../limits.js';
import { compileExpressions } from '../request-expressions.js';
import { requireItemTable } from '../table-lookup.js';
import type { Table } from '../table-model.js';
import { readItem } from '../tables/items.js';
import { ConstraintCheck, list, record } from '../validation.js';

function requestItemsOf(input: Record<string, unknown>): Record<string, unknown> {
  new ConstraintCheck().required(input.RequestItems, 'requestItems').throwIfAny();
  const items = record(input.RequestItems) ?? {};
  if (Object.keys(items).length === 0) {
    throw errors.constraint(["Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"]);
  }
  return items;
}

export function batchOperations(deps: DynamodbDeps): Record<string, DynamodbOperation> {
  const { db, expressions, streamWriter } = deps;
  return {
    async BatchGetItem(input, ctx) {
      const requests = requestItemsOf(input);
      const total = Object.values(requests).reduce<number>((n, r) => n + (list(record(r)?.Keys)?.length ?? 0), 0);
      if (total > MAX_BATCH_GET_KEYS) throw errors.tooManyBatchGetKeys();
      const responses: Record<string, Item[]> = {};
      const unprocessed: Record<string, Record<string, unknown>> = {};
      const consumed: Record<string, unknown>[] = [];
      let bytes = 0;
      for (const [tableName, raw] of Object.entries(requests)) {
        const request = record(raw) ?? {};
        new ConstraintCheck().required(request.Keys, `requestItems.${tableName}.member.keys`).throwIfAny();
        const compiled = compileExpressions(expressions, request, { projection: true });
        const table = await requireItemTable(deps.tables, db, tableName, ctx);
        const keys = (list(request.Keys) ?? []).map((k) => itemMember(k, 'key'));
        const seen = new Set<string>();
        for (const key of keys) {
          checkKey(table.keySchema, key);
          const id = keyString(key);
          if (seen.has(id)) throw errors.duplicateBatchKeys();
          seen.add(id);
        }
        const items: Item[] = [];
        // Each item read is rounded up to its own 4 KB, as in GetItem.
        let tableUnits = 0;
        for (const key of keys) {
          // Past 16 MB the rest is handed back, with the table's own request members.
          if (bytes >= MAX_BATCH_GET_BYTES) {
            const rest = unprocessed[tableName] ?? { ...request, Keys: [] };
            (rest.Keys as Item[]).push(key);
            unprocessed[tableName] = rest;
            continue;
          }
          const found = await readItem(db, table.id, encodeKey(table.keySchema, key));
          tableUnits += readUnits(found?.size ?? 0, request.ConsistentRead === true);
          if (!found) continue;
          bytes += found.size;
          items.push(compiled.projection ? expressions.project(found.item, compiled.projection) : found.item);
        }
        responses[tableName] = items;
        const c = consumedCapacity(table, input.ReturnConsumedCapacity, { kind: 'read', table: tableUnits });
        if (c) consumed.push(c);
      }
      return { Responses: responses, UnprocessedKeys: unprocessed, ...(consumed.length > 0 ? { ConsumedCapacity: consumed } : {}) };
    },

    async BatchWriteItem(input, ctx) {
      const requests = requestItemsOf(input);
      const total = Object.values(requests).reduce<number>((n, r) => n + (list(r)?.length ?? 0), 0);
      if (total > MAX_BATCH_WRITE_REQUESTS) {
        throw errors.constraint([
          `Value '${JSON.stringify(requests)}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to ${MAX_BATCH_WRITE_REQUESTS}, Member must have length greater than or equal to 1]`,
        ]);
      }
      // Every request is checked before anything is written: a bad one fails the whole batch.
      const writes: { tableName: string; put?: Item; delete?: Item }[] = [];
      for (const [tableName, raw] of Object.entries(requests)) {
        for (const entry of list(raw) ?? []) {
          const request = record(entry) ?? {};
          const put = record(request.PutRequest);
          const del = record(request.DeleteRequest);
          if ((put ? 1 : 0) + (del ? 1 : 0) !== 1) throw errors.writeRequestShape();
          writes.push(put ? { tableName, put: itemMember(put.Item, 'item') } : { tableName, delete: itemMember(del!.Key, 'key') });
        }
      }
      const consumed = new Map<string, { table: Table; units: number }>();
      await inItemTransaction(db, streamWriter, async (tx, changes) => {
        const tables = new Map<string, Table>();
        for (const name of Object.keys(requests)) tables.set(name, await requireItemTable(deps.tables, tx, name, ctx));
        const seen = new Set<string>();
        for (const write of writes) {
          const table = tables.get(write.tableName)!;
          if (write.put) {
            checkItemKeys(table, write.put);
            if (itemSize(write.put) > MAX_ITEM_BYTES) throw errors.itemTooLarge();
          } else checkKey(table.keySchema, write.delete!);
          const id = `${write.tableName}\n${keyString(keyAttributes(table.keySchema, (write.put ?? write.delete)!))}`;
          if (seen.has(id)) throw errors.duplicateBatchKeys();
          seen.add(id);
        }
        for (const write of writes) {
          const table = tables.get(write.tableName)!;
          const old = await readItem(tx, table.id, encodeKey(table.keySchema, (write.put ?? write.delete)!));
          changes.add(table, await writeItem(tx, table, old?.item, write.put));
          const entry = consumed.get(table.name) ?? { table, units: 0 };
          entry.units += writeUnits(Math.max(write.put ? itemSize(write.put) : 0, old?.size ?? 0));
          consumed.set(table.name, entry);
        }
      });
      const capacity = [...consumed.values()].flatMap(({ table, units }) => consumedCapacity(table, input.ReturnConsumedCapacity, { kind: 'write', table: units }) ?? []);
      return { UnprocessedItems: {}, ...(capacity.length > 0 ? { ConsumedCapacity: capacity } : {}) };
    },
  };
}
