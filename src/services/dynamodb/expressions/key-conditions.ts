import type { AttributeValue, KeySchema } from '../attribute-value.js';
import { compareScalars } from '../value-comparison.js';
import type { KeyCondition } from './contract.js';
import type { ResolvedCondition, ResolvedOperand } from './ast.js';
import { ExpressionInvalid } from './errors.js';

/** One attribute's key condition in the legacy form both KeyConditionExpression and KeyConditions reduce to. */
export interface AttributeKeyCondition {
  operator: string;
  values: AttributeValue[];
}

const FLIPPED: Record<string, string> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const OPERATORS: Record<string, string> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };

const fail = (message: string): never => {
  throw new ExpressionInvalid(message);
};

/** Reduces a compiled KeyConditionExpression to per-attribute conditions, refusing what a Query cannot use (AWS's texts). */
export function keyConditionsOfExpression(node: ResolvedCondition): Record<string, AttributeKeyCondition> {
  const conditions: Record<string, AttributeKeyCondition> = {};
  collect(node, conditions);
  return conditions;
}

function collect(node: ResolvedCondition, into: Record<string, AttributeKeyCondition>): void {
  switch (node.kind) {
    case 'and':
      collect(node.left, into);
      collect(node.right, into);
      return;
    case 'or':
    case 'not':
    case 'in':
      return fail(`Invalid operator used in KeyConditionExpression: ${node.kind.toUpperCase()}`);
    case 'always':
      return;
    case 'call':
      if (node.name !== 'begins_with') return fail(`Invalid operator used in KeyConditionExpression: ${node.name}`);
      if (node.args[0]!.kind !== 'path') return fail('Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand');
      return add(into, node.args, 'BEGINS_WITH');
    case 'between':
      if (node.operand.kind !== 'path') return fail('Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand');
      return add(into, [node.operand, node.low, node.high], 'BETWEEN');
    case 'compare': {
      if (node.op === '<>') return fail('Invalid operator used in KeyConditionExpression: <>');
      const flipped = node.left.kind !== 'path' && node.right.kind === 'path';
      const op = flipped ? FLIPPED[node.op]! : node.op;
      return add(into, flipped ? [node.right, node.left] : [node.left, node.right], OPERATORS[op]!);
    }
  }
}

function add(into: Record<string, AttributeKeyCondition>, operands: ResolvedOperand[], operator: string): void {
  if (operands.some((o) => o.kind === 'call')) fail('KeyConditionExpressions cannot contain nested operations');
  const paths = operands.filter((o) => o.kind === 'path');
  if (paths.length > 1) fail('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
  if (paths.length === 0) fail('Invalid condition in KeyConditionExpression: No key attribute specified');
  const path = paths[0]!.path;
  if (path.length > 1 || path[0]!.kind !== 'attribute') fail('KeyConditionExpressions cannot have conditions on nested attributes');
  const name = (path[0] as { name: string }).name;
  if (into[name]) fail('KeyConditionExpressions must only contain one condition per key');
  into[name] = { operator, values: operands.slice(1).map((o) => (o as { value: AttributeValue }).value) };
}

/**
 * Checks per-attribute key conditions against the queried table's or index's key schema and
 * returns the engine's KeyCondition: equality on the partition key, at most one sort-key
 * condition (AWS's texts and order of checks).
 */
export function keyConditionForSchema(conditions: Record<string, AttributeKeyCondition>, keySchema: KeySchema): KeyCondition {
  const count = Object.keys(conditions).length;
  let hashValue: AttributeValue | undefined;
  let range: KeyCondition['range'];
  for (const [attribute, isHash] of [[keySchema.hash, true], ...(keySchema.range ? [[keySchema.range, false]] : [])] as Array<[{ name: string; type: string }, boolean]>) {
    if (isHash && !keySchema.range && count > 1) fail('Query key condition not supported');
    const condition = conditions[attribute.name];
    if (!condition) {
      if (isHash || count > 1) fail(`Query condition missed key schema element: ${attribute.name}`);
      continue;
    }
    if (['NULL', 'NOT_NULL', 'NE', 'CONTAINS', 'NOT_CONTAINS', 'IN'].includes(condition.operator)) fail('Attempted conditional constraint is not an indexable operation');
    if (condition.values.some((v) => !(attribute.type in v))) fail('One or more parameter values were invalid: Condition parameter type does not match schema type');
    if (isHash && condition.operator !== 'EQ') fail('Query key condition not supported');
    if (isHash) hashValue = condition.values[0]!;
    else range = rangeCondition(condition);
  }
  return range ? { hashValue: hashValue!, range } : { hashValue: hashValue! };
}

function rangeCondition(condition: AttributeKeyCondition): NonNullable<KeyCondition['range']> {
  const [first, second] = condition.values as [AttributeValue, AttributeValue];
  switch (condition.operator) {
    case 'BETWEEN':
      if (compareScalars(first, second) === 1) fail('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
      return { op: 'BETWEEN', low: first, high: second };
    case 'BEGINS_WITH':
      return { op: 'begins_with', prefix: first };
    default: {
      const op = Object.entries(OPERATORS).find(([, name]) => name === condition.operator)![0] as '=' | '<' | '<=' | '>' | '>=';
      return { op, value: first };
    }
  }
}
