import type { AttributeValue, Item, KeySchema } from '../attribute-value.js';

/**
 * What the DynamoDB operations ask of the expression engine (`expressions/`), fixed here so the
 * operations and the engine can grow apart. Every function throws `ExpressionInvalid` (whose
 * message is AWS's ValidationException text) for bad input.
 */

/** ExpressionAttributeNames and ExpressionAttributeValues of one request. */
export interface ExpressionInputs {
  names?: Record<string, string>;
  values?: Record<string, AttributeValue>;
}

/** The expressions one request carries; they are compiled together, as AWS checks unused names and values across all of them. */
export interface RequestExpressions {
  condition?: string;
  filter?: string;
  keyCondition?: string;
  projection?: string;
  update?: string;
}

/** A sort-key condition of a Query. */
export type RangeCondition =
  | { op: '=' | '<' | '<=' | '>' | '>='; value: AttributeValue }
  | { op: 'BETWEEN'; low: AttributeValue; high: AttributeValue }
  | { op: 'begins_with'; prefix: AttributeValue };

/** A Query's key condition, checked against the queried table's or index's key schema. */
export interface KeyCondition {
  hashValue: AttributeValue;
  range?: RangeCondition;
}

/** Opaque compiled forms; only the engine looks inside. */
export interface Condition {
  readonly kind: 'condition';
}
export interface Projection {
  readonly kind: 'projection';
}
export interface Update {
  readonly kind: 'update';
}

export interface CompiledRequest {
  condition?: Condition;
  filter?: Condition;
  keyCondition?: KeyCondition;
  projection?: Projection;
  update?: Update;
}

export interface ExpressionEngine {
  /** `keySchema` is required when `keyCondition` is given (the queried table's or index's). */
  compile(expressions: RequestExpressions, inputs: ExpressionInputs, keySchema?: KeySchema): CompiledRequest;
  /** Whether `item` (undefined: no such item) satisfies the condition. */
  evaluate(condition: Condition, item: Item | undefined): boolean;
  project(item: Item, projection: Projection): Item;
  /** The item after the update; `existing` undefined means the item does not exist yet. Throws ExpressionInvalid for type errors at run time (AWS's texts). */
  applyUpdate(update: Update, existing: Item | undefined): Item;
}
