import { createHash } from 'node:crypto';
import type { Item } from '../attribute-value.js';
import { itemSize, keyString } from '../attribute-values.js';
import { MAX_TRANSACT_ITEMS, TRANSACT_TOKEN_TTL_MS } from '../api-limits.js';
import { consumedCapacity, readUnits, writeUnits } from '../capacity.js';
import type { DynamodbDeps, DynamodbOperation } from '../deps.js';
import { errors, type CancellationReason } from '../errors.js';
import type { CompiledRequest } from '../expressions/contract.js';
import { checkIndexKeys, checkItemKeys, checkKey, encodeKey, keyAttributes } from '../item-keys.js';
import { itemMember } from '../item-requests.js';
import { inItemTransaction, writeItem } from '../item-writer.js';
import { MAX_ITEM_BYTES } from '../limits.js';
import { compileExpressions } from '../request-expressions.js';
import { requireItemTable } from '../table-lookup.js';
import { keyNamesOf, type Table } from '../table-model.js';
import { readItem } from '../tables/items.js';
import { findToken, forgetTokensBefore, saveToken } from '../tables/transaction-tokens.js';
import { ConstraintCheck, list, record, str } from '../validation.js';

type ActionKind = 'ConditionCheck' | 'Put' | 'Delete' | 'Update';
const KINDS: ActionKind[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];

interface Action {
  kind: ActionKind;
  tableName: string;
  /** Put's item, or the key of the others. */
  item: Item;
  compiled: CompiledRequest;
  returnOldOnFailure: boolean;
}

function transactItemsOf(input: Record<string, unknown>): Record<string, unknown>[] {
  new ConstraintCheck().required(input.TransactItems, 'transactItems').throwIfAny();
  const items = list(input.TransactItems) ?? [];
  if (items.length > MAX_TRANSACT_ITEMS) {
    throw errors.constraint([`Value '${JSON.stringify(items)}' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TRANSACT_ITEMS}`]);
  }
  if (items.length === 0) throw errors.constraint(["Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"]);
  return items.map((i) => record(i) ?? {});
}

/** Whether any action failed: AWS reports one reason per action, `None` for those that did not. */
const failed = (reasons: CancellationReason[]) => reasons.some((r) => r.Code !== 'None');

export function transactionOperations(deps: DynamodbDeps): Record<string, DynamodbOperation> {
  const { db, clock, expressions, streamWriter } = deps;

  const parseAction = (raw: Record<string, unknown>): Action => {
    const present = KINDS.filter((k) => record(raw[k]));
    if (present.length !== 1) throw errors.transactActionShape();
    const kind = present[0]!;
    const body = record(raw[kind])!;
    new ConstraintCheck().required(body.TableName, 'tableName').throwIfAny();
    if (kind === 'ConditionCheck') new ConstraintCheck().required(body.ConditionExpression, 'conditionExpression').throwIfAny();
    return {
      kind,
      tableName: str(body.TableName)!,
      item: kind === 'Put' ? itemMember(body.Item, 'item') : itemMember(body.Key, 'key'),
      compiled: compileExpressions(expressions, body, { condition: true, update: kind === 'Update' }),
      returnOldOnFailure: body.ReturnValuesOnConditionCheckFailure === 'ALL_OLD',
    };
  };

  return {
    async TransactWriteItems(input, ctx) {
      const token = str(input.ClientRequestToken);
      if (token !== undefined && (token.length < 1 || token.length > 36)) {
        throw errors.constraint([`Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36`]);
      }
      const actions = transactItemsOf(input).map(parseAction);
      const requestHash = createHash('sha256').update(JSON.stringify([input.TransactItems, input.ReturnConsumedCapacity ?? null, input.ReturnItemCollectionMetrics ?? null])).digest('hex');
      const now = clock.now();
      return inItemTransaction(db, streamWriter, async (tx, changes) => {
        if (token !== undefined) {
          await forgetTokensBefore(tx, now - TRANSACT_TOKEN_TTL_MS);
          const previous = await findToken(tx, ctx, token, now - TRANSACT_TOKEN_TTL_MS);
          if (previous && previous.request_hash !== requestHash) throw errors.idempotentParameterMismatch();
          // The same request again within 10 minutes: answered as the first time, nothing written.
          if (previous) return JSON.parse(previous.response) as Record<string, unknown>;
        }
        const tables = new Map<string, Table>();
        for (const action of actions) if (!tables.has(action.tableName)) tables.set(action.tableName, await requireItemTable(deps.tables, tx, action.tableName, ctx));
        const seen = new Set<string>();
        for (const action of actions) {
          const table = tables.get(action.tableName)!;
          if (action.kind === 'Put') checkItemKeys(table, action.item);
          else checkKey(table.keySchema, action.item);
          const id = `${table.id}\n${keyString(keyAttributes(table.keySchema, action.item))}`;
          if (seen.has(id)) throw errors.transactDuplicateItem();
          seen.add(id);
        }

        const reasons: CancellationReason[] = [];
        const planned: { table: Table; before: Item | undefined; after: Item | undefined; bytes: number }[] = [];
        for (const action of actions) {
          const table = tables.get(action.tableName)!;
          const old = await readItem(tx, table.id, encodeKey(table.keySchema, action.item));
          if (action.compiled.condition && !expressions.evaluate(action.compiled.condition, old?.item)) {
            reasons.push({ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(action.returnOldOnFailure && old ? { Item: old.item } : {}) });
            continue;
          }
          try {
            const after = afterOf(action, table, old?.item);
            if (after && itemSize(after) > MAX_ITEM_BYTES) throw errors.itemTooLarge();
            if (action.kind !== 'ConditionCheck') planned.push({ table, before: old?.item, after, bytes: Math.max(after ? itemSize(after) : 0, old?.size ?? 0) });
            reasons.push({ Code: 'None' });
          } catch (err) {
            if (!(err instanceof Error) || !('code' in err || err.name === 'ExpressionInvalid')) throw err;
            reasons.push({ Code: 'ValidationError', Message: err.message });
          }
        }
        if (failed(reasons)) throw errors.transactionCanceled(reasons);

        const units = new Map<string, { table: Table; units: number }>();
        for (const write of planned) {
          changes.add(write.table, await writeItem(tx, write.table, write.before, write.after));
          const entry = units.get(write.table.name) ?? { table: write.table, units: 0 };
          // A transactional write costs two write units per KB.
          entry.units += 2 * writeUnits(write.bytes);
          units.set(write.table.name, entry);
        }
        const capacity = [...units.values()].flatMap(({ table, units: n }) => consumedCapacity(table, input.ReturnConsumedCapacity, { kind: 'write', table: n }) ?? []);
        const response = capacity.length > 0 ? { ConsumedCapacity: capacity } : {};
        if (token !== undefined) await saveToken(tx, ctx, token, requestHash, JSON.stringify(response), now);
        return response;
      });
    },

    async TransactGetItems(input, ctx) {
      const gets = transactItemsOf(input).map((raw) => {
        const get = record(raw.Get);
        if (!get) throw errors.validation('TransactItems can only contain Get');
        new ConstraintCheck().required(get.TableName, 'tableName').throwIfAny();
        return { tableName: str(get.TableName)!, key: itemMember(get.Key, 'key'), compiled: compileExpressions(expressions, get, { projection: true }) };
      });
      // One transaction: every item is read as of the same moment.
      return db.transaction().execute(async (tx) => {
        const seen = new Set<string>();
        const responses: Record<string, unknown>[] = [];
        const units = new Map<string, { table: Table; units: number }>();
        for (const get of gets) {
          const table = await requireItemTable(deps.tables, tx, get.tableName, ctx);
          checkKey(table.keySchema, get.key);
          const id = `${table.id}\n${keyString(get.key)}`;
          if (seen.has(id)) throw errors.transactDuplicateItem();
          seen.add(id);
          const found = await readItem(tx, table.id, encodeKey(table.keySchema, get.key));
          responses.push(found ? { Item: get.compiled.projection ? expressions.project(found.item, get.compiled.projection) : found.item } : {});
          const entry = units.get(table.name) ?? { table, units: 0 };
          // A transactional read costs two read units per 4 KB.
          entry.units += 2 * readUnits(found?.size ?? 0, true);
          units.set(table.name, entry);
        }
        const capacity = [...units.values()].flatMap(({ table, units: n }) => consumedCapacity(table, input.ReturnConsumedCapacity, { kind: 'read', table: n }) ?? []);
        return { Responses: responses, ...(capacity.length > 0 ? { ConsumedCapacity: capacity } : {}) };
      });
    },
  };

  function afterOf(action: Action, table: Table, old: Item | undefined): Item | undefined {
    switch (action.kind) {
      case 'ConditionCheck':
        return old;
      case 'Put':
        return action.item;
      case 'Delete':
        return undefined;
      case 'Update': {
        const updated = action.compiled.update ? expressions.applyUpdate(action.compiled.update, old) : (old ?? {});
        const after = old ? updated : { ...action.item, ...updated };
        for (const name of keyNamesOf(table.keySchema)) if (!after[name] || keyString({ k: after[name]! }) !== keyString({ k: action.item[name]! })) throw errors.updateKeyAttribute(name);
        checkIndexKeys(table, after);
        return after;
      }
    }
  }
}
