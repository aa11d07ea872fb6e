import type { AttributeValue, Item } from '../attribute-value.js';
import { addNumbers, compareNumbers, subtractNumbers } from '../numbers.js';
import { AttributeValueInvalid } from '../value-errors.js';
import type { ResolvedOperand, ResolvedUpdateAction } from './ast.js';
import { removeAt, valueAt, writeAt } from './document-paths.js';
import { ExpressionInvalid } from './errors.js';

const MISSING_ATTRIBUTE = 'The provided expression refers to an attribute that does not exist in the item';
const WRONG_TYPE = 'An operand in the update expression has an incorrect data type';

/**
 * Applies compiled update actions to a copy of `existing` (undefined: a new item). Every SET
 * value is computed from the item as it was before the update; REMOVE of list elements uses the
 * original positions (removed from the highest index down); ADD and DELETE then work on sets and
 * numbers.
 */
export function applyUpdateActions(actions: ResolvedUpdateAction[], existing: Item | undefined, legacy = false): Item {
  const original = existing ?? {};
  const item: Item = structuredClone(original);
  const sets = actions.filter((a) => a.kind === 'SET').map((a) => ({ path: a.path, value: setValue((a as { value: ResolvedOperand }).value, original) }));
  for (const { path, value } of sets) writeAt(item, path, value);

  const removals = actions.filter((a) => a.kind === 'REMOVE');
  removals.sort((a, b) => lastIndex(b.path) - lastIndex(a.path));
  for (const removal of removals) removeAt(item, removal.path);

  for (const action of actions) {
    if (action.kind === 'ADD') writeAt(item, action.path, legacyTypes(legacy, () => added(valueAt(item, action.path), action.value, legacy)));
    if (action.kind === 'DELETE') {
      const current = valueAt(item, action.path);
      if (!current) continue;
      const remaining = legacyTypes(legacy, () => withoutMembers(current, action.value));
      if (remaining) writeAt(item, action.path, remaining);
      else removeAt(item, action.path);
    }
  }
  return item;
}

function lastIndex(path: ResolvedUpdateAction['path']): number {
  const last = path[path.length - 1]!;
  return last.kind === 'index' ? last.index : -1;
}

function setValue(operand: ResolvedOperand, original: Item): AttributeValue {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'path': {
      const value = valueAt(original, operand.path);
      if (!value) throw new ExpressionInvalid(MISSING_ATTRIBUTE);
      return value;
    }
    case 'call': {
      if (operand.name === 'if_not_exists') {
        const current = operand.args[0]!.kind === 'path' ? valueAt(original, operand.args[0]!.path) : undefined;
        return current ?? setValue(operand.args[1]!, original);
      }
      const [a, b] = operand.args.map((arg) => setValue(arg, original));
      if (!a || !b || !('L' in a) || !('L' in b)) throw new ExpressionInvalid(WRONG_TYPE);
      return { L: [...a.L, ...b.L] };
    }
    case 'arithmetic': {
      const a = setValue(operand.left, original);
      const b = setValue(operand.right, original);
      if (!('N' in a) || !('N' in b)) throw new ExpressionInvalid(WRONG_TYPE);
      return { N: numeric(() => (operand.op === '+' ? addNumbers(a.N, b.N) : subtractNumbers(a.N, b.N))) };
    }
  }
}

/** Arithmetic past 38 digits or the range fails with the number's own message. */
function numeric(compute: () => string): string {
  try {
    return compute();
  } catch (error) {
    if (error instanceof AttributeValueInvalid) throw new ExpressionInvalid(error.message);
    throw error;
  }
}

/** AttributeUpdates (the legacy parameter) words a type clash differently. */
function legacyTypes<T>(legacy: boolean, apply: () => T): T {
  try {
    return apply();
  } catch (error) {
    if (legacy && error instanceof ExpressionInvalid && error.message === WRONG_TYPE) throw new ExpressionInvalid('Type mismatch for attribute to update');
    throw error;
  }
}

/** ADD: a missing attribute takes the operand; numbers add; sets of the same type unite; AttributeUpdates' ADD also appends to lists. */
function added(current: AttributeValue | undefined, operand: AttributeValue, legacy: boolean): AttributeValue {
  if (!current) return operand;
  if (legacy && 'L' in current && 'L' in operand) return { L: [...current.L, ...operand.L] };
  if ('N' in current && 'N' in operand) return { N: numeric(() => addNumbers(current.N, operand.N)) };
  if ('SS' in current && 'SS' in operand) return { SS: [...current.SS, ...operand.SS.filter((s) => !current.SS.includes(s))] };
  if ('NS' in current && 'NS' in operand) return { NS: [...current.NS, ...operand.NS.filter((n) => !current.NS.some((m) => compareNumbers(m, n) === 0))] };
  if ('BS' in current && 'BS' in operand) return { BS: [...current.BS, ...operand.BS.filter((b) => !current.BS.includes(b))] };
  throw new ExpressionInvalid(WRONG_TYPE);
}

/** DELETE: the set without the operand's members; undefined when nothing is left (the attribute goes). */
function withoutMembers(current: AttributeValue, operand: AttributeValue): AttributeValue | undefined {
  let remaining: AttributeValue;
  if ('SS' in current && 'SS' in operand) remaining = { SS: current.SS.filter((s) => !operand.SS.includes(s)) };
  else if ('NS' in current && 'NS' in operand) remaining = { NS: current.NS.filter((n) => !operand.NS.some((m) => compareNumbers(m, n) === 0)) };
  else if ('BS' in current && 'BS' in operand) remaining = { BS: current.BS.filter((b) => !operand.BS.includes(b)) };
  else throw new ExpressionInvalid(WRONG_TYPE);
  return Object.values(remaining)[0]!.length === 0 ? undefined : remaining;
}
