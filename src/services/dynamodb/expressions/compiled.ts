import type { ResolvedCondition, ResolvedPath, ResolvedUpdateAction } from './ast.js';
import type { Condition, Projection, Update } from './contract.js';

/** The engine's compiled forms behind the contract's opaque types. */
export interface CompiledCondition extends Condition {
  readonly node: ResolvedCondition;
}
export interface CompiledProjection extends Projection {
  readonly paths: ResolvedPath[];
}
export interface CompiledUpdate extends Update {
  readonly actions: ResolvedUpdateAction[];
  /** From AttributeUpdates: ADD appends to lists and type clashes are worded the legacy way. */
  readonly legacy?: boolean;
}

export const conditionOf = (node: ResolvedCondition): CompiledCondition => ({ kind: 'condition', node });
export const projectionOf = (paths: ResolvedPath[]): CompiledProjection => ({ kind: 'projection', paths });
export const updateOf = (actions: ResolvedUpdateAction[], legacy = false): CompiledUpdate => ({ kind: 'update', actions, legacy });
