/** A compiled event pattern: plain data, built once by `compilePattern`, read by `matchesPattern`. */

export type Matcher =
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'null' }
  | { kind: 'prefix'; value: string; ignoreCase: boolean }
  | { kind: 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'wildcard'; regex: RegExp }
  | { kind: 'anything-but'; matchers: Matcher[] }
  | { kind: 'numeric'; conditions: NumericCondition[] }
  | { kind: 'cidr'; network: CidrNetwork }
  | { kind: 'exists'; value: boolean };

export type NumericOperator = '=' | '<' | '<=' | '>' | '>=';

export interface NumericCondition {
  op: NumericOperator;
  value: number;
}

export interface CidrNetwork {
  family: 4 | 6;
  /** Network address bits, as a bigint of 32 or 128 bits. */
  base: bigint;
  prefixBits: number;
}

/** A pattern node: every field must match (AND); each `$or` needs one alternative to match. */
export interface PatternNode {
  fields: Array<{ key: string; node: PatternNode } | { key: string; matchers: Matcher[] }>;
  or: PatternNode[][];
}
