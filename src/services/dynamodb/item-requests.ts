import type { Item } from './attribute-value.js';
import { validateItem, valuesEqual } from './attribute-values.js';
import { errors } from './errors.js';
import { ConstraintCheck } from './validation.js';

/**
 * The members item operations share: the item or key in the request, and which answers it asks
 * for (ReturnValues, ReturnValuesOnConditionCheckFailure, ReturnConsumedCapacity).
 */

/** `Item` or `Key`, required, validated and normalised as AWS does. */
export function itemMember(value: unknown, member: 'item' | 'key'): Item {
  new ConstraintCheck().required(value, member).throwIfAny();
  return validateItem(value);
}

const RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const;
export type ReturnValues = (typeof RETURN_VALUES)[number];

/** PutItem and DeleteItem take NONE or ALL_OLD; UpdateItem takes all five. */
export function returnValuesOf(input: Record<string, unknown>, allowed: 'put-delete' | 'update'): ReturnValues {
  new ConstraintCheck()
    .oneOf(input.ReturnValues, 'returnValues', RETURN_VALUES)
    .oneOf(input.ReturnValuesOnConditionCheckFailure, 'returnValuesOnConditionCheckFailure', ['ALL_OLD', 'NONE'])
    .oneOf(input.ReturnConsumedCapacity, 'returnConsumedCapacity', ['INDEXES', 'TOTAL', 'NONE'])
    .oneOf(input.ReturnItemCollectionMetrics, 'returnItemCollectionMetrics', ['SIZE', 'NONE'])
    .throwIfAny();
  const value = (input.ReturnValues as ReturnValues | undefined) ?? 'NONE';
  if (allowed === 'put-delete' && value !== 'NONE' && value !== 'ALL_OLD') throw errors.returnValuesPutDelete();
  return value;
}

/** The old item on a failed condition, when ReturnValuesOnConditionCheckFailure is ALL_OLD. */
export function conditionFailed(input: Record<string, unknown>, old: Item | undefined): Error {
  return errors.conditionalCheckFailed(input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' ? old : undefined);
}

/** UpdateItem's `Attributes`: the whole item, or only the top-level attributes the update changed. */
export function returnedAttributes(mode: ReturnValues, before: Item | undefined, after: Item): Item | undefined {
  switch (mode) {
    case 'NONE':
      return undefined;
    case 'ALL_OLD':
      return before;
    case 'ALL_NEW':
      return after;
    case 'UPDATED_OLD':
      return pick(before ?? {}, (name) => !after[name] || !valuesEqual(after[name]!, before![name]!));
    case 'UPDATED_NEW':
      return pick(after, (name) => !before?.[name] || !valuesEqual(before[name]!, after[name]!));
  }
}

function pick(item: Item, keep: (name: string) => boolean): Item | undefined {
  const out: Item = {};
  for (const [name, value] of Object.entries(item)) if (keep(name)) out[name] = value;
  return Object.keys(out).length > 0 ? out : undefined;
}
