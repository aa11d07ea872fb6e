import type { AttributeValue, KeySchema } from '../attribute-value.js';
import { AttributeValueInvalid, PARAMETER_VALUES_INVALID } from '../value-errors.js';
import { validateAttributeValue } from '../value-validation.js';
import { compareScalars } from '../value-comparison.js';
import type { ResolvedCondition, ResolvedOperand, ResolvedUpdateAction } from './ast.js';
import { conditionOf, projectionOf, updateOf, type CompiledCondition, type CompiledProjection, type CompiledUpdate } from './compiled.js';
import type { KeyCondition } from './contract.js';
import { ExpressionInvalid } from './errors.js';
import { keyConditionForSchema, type AttributeKeyCondition } from './key-conditions.js';

/**
 * The pre-expression parameters (Expected, QueryFilter/ScanFilter, KeyConditions,
 * AttributeUpdates, AttributesToGet), turned into the engine's compiled forms after AWS's checks.
 */

export interface LegacyCondition {
  ComparisonOperator?: string;
  AttributeValueList?: AttributeValue[];
}
export interface ExpectedCondition extends LegacyCondition {
  Exists?: boolean;
  Value?: AttributeValue;
}
export interface AttributeUpdate {
  Action?: 'PUT' | 'DELETE' | 'ADD';
  Value?: AttributeValue;
}

const fail = (message: string): never => {
  throw new ExpressionInvalid(message);
};
const invalid = (message: string): never => fail(`${PARAMETER_VALUES_INVALID}${message}`);

/**
 * "Can not use both expression and non-expression parameters": `request` is the operation's
 * input; the two lists name the parameters of each kind that operation has. A Query's
 * KeyConditions may stand beside a FilterExpression when no KeyConditionExpression is given.
 */
export function rejectMixedParameters(request: Record<string, unknown>, expressionParameters: string[], legacyParameters: string[]): void {
  const expressions = expressionParameters.filter((p) => request[p] !== undefined && request[p] !== null);
  if (expressions.length === 0) return;
  const legacy = legacyParameters.filter((p) => request[p] !== undefined && request[p] !== null && !(p === 'KeyConditions' && request.KeyConditionExpression == null));
  if (legacy.length > 0) {
    fail(`Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${expressions.join(', ')}}`);
  }
}

/** Operand counts and value types each ComparisonOperator accepts. */
const ARGUMENTS: Record<string, { count: (n: number) => boolean; types?: string[] }> = {
  EQ: { count: (n) => n === 1, types: ['S', 'N', 'B', 'SS', 'NS', 'BS'] },
  NE: { count: (n) => n === 1, types: ['S', 'N', 'B', 'SS', 'NS', 'BS'] },
  LE: { count: (n) => n === 1, types: ['S', 'N', 'B'] },
  LT: { count: (n) => n === 1, types: ['S', 'N', 'B'] },
  GE: { count: (n) => n === 1, types: ['S', 'N', 'B'] },
  GT: { count: (n) => n === 1, types: ['S', 'N', 'B'] },
  CONTAINS: { count: (n) => n === 1, types: ['S', 'N', 'B'] },
  NOT_CONTAINS: { count: (n) => n === 1, types: ['S', 'N', 'B'] },
  BEGINS_WITH: { count: (n) => n === 1, types: ['S', 'B'] },
  IN: { count: (n) => n >= 1, types: ['S', 'N', 'B'] },
  BETWEEN: { count: (n) => n === 2, types: ['S', 'N', 'B'] },
  NULL: { count: (n) => n === 0 },
  NOT_NULL: { count: (n) => n === 0 },
};

function checkedValue(value: AttributeValue): AttributeValue {
  try {
    return validateAttributeValue(value);
  } catch (error) {
    if (error instanceof AttributeValueInvalid) return fail(error.message);
    throw error;
  }
}

function checkedList(operator: string, list: AttributeValue[]): AttributeValue[] {
  const values = list.map(checkedValue);
  const rule = ARGUMENTS[operator];
  if (!rule) return fail(`1 validation error detected: Value '${operator}' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]`);
  if (!rule.count(values.length)) invalid(`Invalid number of argument(s) for the ${operator} ComparisonOperator`);
  if (values.length > 0 && values.some((v) => Object.keys(v)[0] !== Object.keys(values[0]!)[0])) invalid('AttributeValues inside AttributeValueList must be of same type');
  for (const value of values) {
    const type = Object.keys(value)[0]!;
    if (rule.types && !rule.types.includes(type)) invalid(`ComparisonOperator ${operator} is not valid for ${type} AttributeValue type`);
  }
  if (operator === 'BETWEEN' && compareScalars(values[0]!, values[1]!) === 1) fail('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  return values;
}

function comparison(attribute: string, operator: string, values: AttributeValue[]): ResolvedCondition {
  const path: ResolvedOperand = { kind: 'path', path: [{ kind: 'attribute', name: attribute }] };
  const value = (i: number): ResolvedOperand => ({ kind: 'value', value: values[i]! });
  const compare = (op: '=' | '<>' | '<' | '<=' | '>' | '>='): ResolvedCondition => ({ kind: 'compare', op, left: path, right: value(0) });
  switch (operator) {
    case 'EQ': return compare('=');
    case 'NE': return compare('<>');
    case 'LT': return compare('<');
    case 'LE': return compare('<=');
    case 'GT': return compare('>');
    case 'GE': return compare('>=');
    case 'NULL': return { kind: 'call', name: 'attribute_not_exists', args: [path] };
    case 'NOT_NULL': return { kind: 'call', name: 'attribute_exists', args: [path] };
    case 'CONTAINS': return { kind: 'call', name: 'contains', args: [path, value(0)] };
    // A missing attribute does not "not contain": NOT_CONTAINS needs the attribute to exist.
    case 'NOT_CONTAINS': return { kind: 'and', left: { kind: 'call', name: 'attribute_exists', args: [path] }, right: { kind: 'not', operand: { kind: 'call', name: 'contains', args: [path, value(0)] } } };
    case 'BEGINS_WITH': return { kind: 'call', name: 'begins_with', args: [path, value(0)] };
    case 'IN': return { kind: 'in', operand: path, list: values.map((_, i) => value(i)) };
    default: return { kind: 'between', operand: path, low: value(0), high: value(1) };
  }
}

function combine(conditions: ResolvedCondition[], conditionalOperator: string | undefined): CompiledCondition {
  if (conditions.length === 0) return conditionOf({ kind: 'always' });
  const kind = conditionalOperator === 'OR' ? 'or' : 'and';
  return conditionOf(conditions.reduce((left, right) => ({ kind, left, right })));
}

/** Expected (+ ConditionalOperator) of PutItem, UpdateItem and DeleteItem. */
export function conditionFromExpected(expected: Record<string, ExpectedCondition>, conditionalOperator?: string): CompiledCondition {
  const conditions = Object.entries(expected).map(([attribute, condition]) => {
    if (condition.AttributeValueList !== undefined && condition.Value !== undefined) invalid(`Value and AttributeValueList cannot be used together for Attribute: ${attribute}`);
    if (condition.ComparisonOperator !== undefined) {
      if (condition.Exists !== undefined) invalid(`Exists and ComparisonOperator cannot be used together for Attribute: ${attribute}`);
      const operator = condition.ComparisonOperator;
      if (operator !== 'NULL' && operator !== 'NOT_NULL' && condition.AttributeValueList === undefined && condition.Value === undefined) {
        invalid(`Value or AttributeValueList must be used with ComparisonOperator: ${operator} for Attribute: ${attribute}`);
      }
      const list = condition.AttributeValueList ?? (condition.Value ? [condition.Value] : []);
      return comparison(attribute, operator, checkedList(operator, list));
    }
    if (condition.AttributeValueList !== undefined) invalid(`AttributeValueList can only be used with a ComparisonOperator for Attribute: ${attribute}`);
    const exists = condition.Exists ?? true;
    if (exists && condition.Value === undefined) invalid(`Value must be provided when Exists is ${condition.Exists ?? 'null'} for Attribute: ${attribute}`);
    if (!exists && condition.Value !== undefined) invalid(`Value cannot be used when Exists is false for Attribute: ${attribute}`);
    if (!exists) return comparison(attribute, 'NULL', []);
    return comparison(attribute, 'EQ', [checkedValue(condition.Value!)]);
  });
  return combine(conditions, conditionalOperator);
}

/** QueryFilter or ScanFilter (+ ConditionalOperator). */
export function conditionFromFilter(filter: Record<string, LegacyCondition>, conditionalOperator?: string): CompiledCondition {
  const conditions = Object.entries(filter).map(([attribute, condition]) => {
    const operator = condition.ComparisonOperator ?? '';
    return comparison(attribute, operator, checkedList(operator, condition.AttributeValueList ?? []));
  });
  return combine(conditions, conditionalOperator);
}

/** A Query's KeyConditions, checked against the queried key schema like a KeyConditionExpression. */
export function keyConditionFromLegacy(keyConditions: Record<string, LegacyCondition>, keySchema: KeySchema): KeyCondition {
  const conditions: Record<string, AttributeKeyCondition> = {};
  for (const [attribute, condition] of Object.entries(keyConditions)) {
    const operator = condition.ComparisonOperator ?? '';
    conditions[attribute] = { operator, values: checkedList(operator, condition.AttributeValueList ?? []) };
  }
  return keyConditionForSchema(conditions, keySchema);
}

/** UpdateItem's AttributeUpdates: PUT sets, DELETE removes (or takes members from a set), ADD adds to numbers, sets and lists. */
export function updateFromAttributeUpdates(updates: Record<string, AttributeUpdate>): CompiledUpdate {
  const actions = Object.entries(updates).map(([attribute, update]): ResolvedUpdateAction => {
    const path = [{ kind: 'attribute' as const, name: attribute }];
    const value = update.Value === undefined ? undefined : checkedValue(update.Value);
    const action = update.Action ?? 'PUT';
    if (!value) {
      if (action !== 'DELETE') invalid('Only DELETE action is allowed when no attribute value is specified');
      return { kind: 'REMOVE', path };
    }
    const type = Object.keys(value)[0]!;
    if (action === 'DELETE') {
      if (!['SS', 'NS', 'BS'].includes(type)) invalid(`DELETE action with value is not supported for the type ${type}`);
      return { kind: 'DELETE', path, value };
    }
    if (action === 'ADD') {
      if (!['L', 'SS', 'NS', 'BS', 'N'].includes(type)) invalid(`ADD action is not supported for the type ${type}`);
      return { kind: 'ADD', path, value };
    }
    return { kind: 'SET', path, value: { kind: 'value', value } };
  });
  return updateOf(actions, true);
}

/** AttributesToGet: top-level attribute names. */
export function projectionFromAttributesToGet(names: string[]): CompiledProjection {
  return projectionOf(names.map((name) => [{ kind: 'attribute', name }]));
}
