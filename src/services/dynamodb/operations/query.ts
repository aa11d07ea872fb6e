import { sortableKey, sortablePrefixRange } from '../attribute-values.js';
import type { DynamodbDeps, DynamodbOperation } from '../deps.js';
import { errors } from '../errors.js';
import type { KeyCondition } from '../expressions/contract.js';
import { collectPage } from '../item-pages.js';
import { checkReadMembers, pageAnswer, readTargetOf, selectOf, shapeOf, startRowOf } from '../read-requests.js';
import { compileExpressions } from '../request-expressions.js';
import { requireItemTable } from '../table-lookup.js';
import { queryRows, type RangeBounds } from '../tables/item-ranges.js';

/** A sort key condition as bounds on the encoded sort key. */
function boundsOf(condition: KeyCondition): RangeBounds {
  const range = condition.range;
  if (!range) return {};
  switch (range.op) {
    case '=':
      return { lower: { value: sortableKey(range.value), inclusive: true }, upper: { value: sortableKey(range.value), inclusive: true } };
    case '<':
      return { upper: { value: sortableKey(range.value), inclusive: false } };
    case '<=':
      return { upper: { value: sortableKey(range.value), inclusive: true } };
    case '>':
      return { lower: { value: sortableKey(range.value), inclusive: false } };
    case '>=':
      return { lower: { value: sortableKey(range.value), inclusive: true } };
    case 'BETWEEN':
      return { lower: { value: sortableKey(range.low), inclusive: true }, upper: { value: sortableKey(range.high), inclusive: true } };
    case 'begins_with': {
      const { from, below } = sortablePrefixRange(range.prefix);
      return { lower: { value: from, inclusive: true }, upper: { value: below, inclusive: false } };
    }
  }
}

export function queryOperations(deps: DynamodbDeps): Record<string, DynamodbOperation> {
  const { db, expressions } = deps;
  return {
    async Query(input, ctx) {
      checkReadMembers(input);
      const table = await requireItemTable(deps.tables, db, input.TableName, ctx);
      const target = readTargetOf(table, input.IndexName, input.ConsistentRead);
      if (input.KeyConditionExpression === undefined && input.KeyConditions === undefined) throw errors.keyConditionRequired();
      const compiled = compileExpressions(expressions, input, { keyCondition: true, filter: 'QueryFilter', projection: true }, target.keySchema);
      const select = selectOf(input, target, compiled);
      const keyCondition = compiled.keyCondition!;
      const hash = sortableKey(keyCondition.hashValue);
      const start = startRowOf(input.ExclusiveStartKey, target);
      if (start && start.hash_key !== hash) throw errors.startKeyOutsideQuery();
      const page = await collectPage({
        fetch: (after, limit) => queryRows(db, { tableId: table.id, index: target.index?.name, hash, bounds: boundsOf(keyCondition), forward: input.ScanIndexForward !== false }, after, limit),
        start,
        limit: typeof input.Limit === 'number' ? input.Limit : undefined,
        filter: compiled.filter,
        engine: expressions,
        shape: shapeOf(db, target, select, compiled, expressions),
      });
      return pageAnswer(page, target, select, input);
    },
  };
}
