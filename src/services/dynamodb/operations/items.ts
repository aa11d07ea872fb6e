import type { Item } from '../attribute-value.js';
import { itemSize, valuesEqual } from '../attribute-values.js';
import { consumedCapacity, readUnits, writeUnits } from '../capacity.js';
import type { DynamodbDeps, DynamodbOperation } from '../deps.js';
import { errors } from '../errors.js';
import { checkIndexKeys, checkItemKeys, checkKey, encodeKey } from '../item-keys.js';
import { conditionFailed, itemMember, returnedAttributes, returnValuesOf } from '../item-requests.js';
import { inItemTransaction, writeItem, type IndexWrites } from '../item-writer.js';
import { MAX_ITEM_BYTES } from '../limits.js';
import { compileExpressions } from '../request-expressions.js';
import { requireItemTable } from '../table-lookup.js';
import { keyNamesOf, type Table } from '../table-model.js';
import { readItem } from '../tables/items.js';

/** `ConsumedCapacity` of a write, when asked for. */
function writeCapacity(table: Table, mode: unknown, bytes: number, indexWrites: IndexWrites): Record<string, unknown> {
  const consumed = consumedCapacity(table, mode, { kind: 'write', table: writeUnits(bytes), indexes: indexWrites });
  return consumed ? { ConsumedCapacity: consumed } : {};
}

/** The key attributes must come out of an update as they went in (a REMOVE of one is refused too). */
function checkKeyUnchanged(table: Table, key: Item, after: Item): void {
  for (const name of keyNamesOf(table.keySchema)) {
    if (!after[name] || !valuesEqual(after[name]!, key[name]!)) throw errors.updateKeyAttribute(name);
  }
}

export function itemOperations(deps: DynamodbDeps): Record<string, DynamodbOperation> {
  const { db, expressions, streamWriter } = deps;
  return {
    async PutItem(input, ctx) {
      const returnValues = returnValuesOf(input, 'put-delete');
      const compiled = compileExpressions(expressions, input, { condition: true });
      const item = itemMember(input.Item, 'item');
      return inItemTransaction(db, streamWriter, async (tx, changes) => {
        const table = await requireItemTable(deps.tables, tx, input.TableName, ctx);
        checkItemKeys(table, item);
        const size = itemSize(item);
        if (size > MAX_ITEM_BYTES) throw errors.itemTooLarge();
        const old = await readItem(tx, table.id, encodeKey(table.keySchema, item));
        if (compiled.condition && !expressions.evaluate(compiled.condition, old?.item)) throw conditionFailed(input, old?.item);
        const indexWrites: IndexWrites = {};
        changes.add(table, await writeItem(tx, table, old?.item, item, indexWrites));
        return {
          ...(returnValues === 'ALL_OLD' && old ? { Attributes: old.item } : {}),
          ...writeCapacity(table, input.ReturnConsumedCapacity, Math.max(size, old?.size ?? 0), indexWrites),
        };
      });
    },

    async GetItem(input, ctx) {
      const compiled = compileExpressions(expressions, input, { projection: true });
      const key = itemMember(input.Key, 'key');
      const table = await requireItemTable(deps.tables, db, input.TableName, ctx);
      checkKey(table.keySchema, key);
      const found = await readItem(db, table.id, encodeKey(table.keySchema, key));
      const consumed = consumedCapacity(table, input.ReturnConsumedCapacity, { kind: 'read', table: readUnits(found?.size ?? 0, input.ConsistentRead === true) });
      return {
        ...(found ? { Item: compiled.projection ? expressions.project(found.item, compiled.projection) : found.item } : {}),
        ...(consumed ? { ConsumedCapacity: consumed } : {}),
      };
    },

    async UpdateItem(input, ctx) {
      const returnValues = returnValuesOf(input, 'update');
      const compiled = compileExpressions(expressions, input, { condition: true, update: true });
      const key = itemMember(input.Key, 'key');
      return inItemTransaction(db, streamWriter, async (tx, changes) => {
        const table = await requireItemTable(deps.tables, tx, input.TableName, ctx);
        checkKey(table.keySchema, key);
        const old = await readItem(tx, table.id, encodeKey(table.keySchema, key));
        if (compiled.condition && !expressions.evaluate(compiled.condition, old?.item)) throw conditionFailed(input, old?.item);
        if (compiled.update) checkKeyNotWritten(table, expressions.applyUpdate(compiled.update, old ? withoutKey(table, old.item) : undefined));
        const updated = compiled.update ? expressions.applyUpdate(compiled.update, old?.item) : (old?.item ?? {});
        // An item that does not exist yet starts as its key.
        const after = old ? updated : { ...key, ...updated };
        checkKeyUnchanged(table, key, after);
        checkIndexKeys(table, after);
        const size = itemSize(after);
        if (size > MAX_ITEM_BYTES) throw errors.updatedItemTooLarge();
        const indexWrites: IndexWrites = {};
        changes.add(table, await writeItem(tx, table, old?.item, after, indexWrites));
        const attributes = returnedAttributes(returnValues, old?.item, after);
        return {
          ...(attributes ? { Attributes: attributes } : {}),
          ...writeCapacity(table, input.ReturnConsumedCapacity, Math.max(size, old?.size ?? 0), indexWrites),
        };
      });
    },

    async DeleteItem(input, ctx) {
      const returnValues = returnValuesOf(input, 'put-delete');
      const compiled = compileExpressions(expressions, input, { condition: true });
      const key = itemMember(input.Key, 'key');
      return inItemTransaction(db, streamWriter, async (tx, changes) => {
        const table = await requireItemTable(deps.tables, tx, input.TableName, ctx);
        checkKey(table.keySchema, key);
        const old = await readItem(tx, table.id, encodeKey(table.keySchema, key));
        if (compiled.condition && !expressions.evaluate(compiled.condition, old?.item)) throw conditionFailed(input, old?.item);
        const indexWrites: IndexWrites = {};
        changes.add(table, await writeItem(tx, table, old?.item, undefined, indexWrites));
        return {
          ...(returnValues === 'ALL_OLD' && old ? { Attributes: old.item } : {}),
          ...writeCapacity(table, input.ReturnConsumedCapacity, old?.size ?? 0, indexWrites),
        };
      });
    },
  };
}

/** Run on the item without its key, an update that yields a key attribute wrote one. */
function checkKeyNotWritten(table: Table, probe: Item): void {
  for (const name of keyNamesOf(table.keySchema)) if (probe[name]) throw errors.updateKeyAttribute(name);
}

function withoutKey(table: Table, item: Item): Item {
  const out = { ...item };
  for (const name of keyNamesOf(table.keySchema)) delete out[name];
  return out;
}
