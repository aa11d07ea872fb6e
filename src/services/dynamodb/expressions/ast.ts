import type { AttributeValue } from '../attribute-value.js';

/** A document path as written: `#n` still unresolved, so errors can name what the user wrote. */
export type PathElement = { kind: 'attribute'; name: string; written: string } | { kind: 'index'; index: number };
export type Path = PathElement[];

export type Operand =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; name: string }
  | { kind: 'call'; name: string; args: Operand[] }
  | { kind: 'arithmetic'; op: '+' | '-'; left: Operand; right: Operand };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type ConditionNode =
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; operand: Operand; low: Operand; high: Operand }
  | { kind: 'in'; operand: Operand; list: Operand[] }
  | { kind: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | { kind: 'not'; operand: ConditionNode }
  | { kind: 'call'; name: string; args: Operand[] };

export type UpdateAction =
  | { kind: 'SET'; path: Path; value: Operand }
  | { kind: 'REMOVE'; path: Path }
  | { kind: 'ADD' | 'DELETE'; path: Path; value: Operand };

/** Values after resolution: the engine's compiled forms carry these. */
export type ResolvedElement = { kind: 'attribute'; name: string } | { kind: 'index'; index: number };
export type ResolvedPath = ResolvedElement[];

export type ResolvedOperand =
  | { kind: 'path'; path: ResolvedPath }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'call'; name: string; args: ResolvedOperand[] }
  | { kind: 'arithmetic'; op: '+' | '-'; left: ResolvedOperand; right: ResolvedOperand };

export type ResolvedCondition =
  | { kind: 'compare'; op: Comparator; left: ResolvedOperand; right: ResolvedOperand }
  | { kind: 'between'; operand: ResolvedOperand; low: ResolvedOperand; high: ResolvedOperand }
  | { kind: 'in'; operand: ResolvedOperand; list: ResolvedOperand[] }
  | { kind: 'and' | 'or'; left: ResolvedCondition; right: ResolvedCondition }
  | { kind: 'not'; operand: ResolvedCondition }
  | { kind: 'call'; name: string; args: ResolvedOperand[] }
  | { kind: 'always' };

export type ResolvedUpdateAction =
  | { kind: 'SET'; path: ResolvedPath; value: ResolvedOperand }
  | { kind: 'REMOVE'; path: ResolvedPath }
  | { kind: 'ADD' | 'DELETE'; path: ResolvedPath; value: AttributeValue };

/** How AWS prints a path in its messages: `[a, b, [0]]`. */
export function pathText(path: readonly (PathElement | ResolvedElement)[]): string {
  return `[${path.map((e) => (e.kind === 'index' ? `[${e.index}]` : e.name)).join(', ')}]`;
}
