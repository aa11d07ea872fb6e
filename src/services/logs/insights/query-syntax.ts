/** The parsed form of a Logs Insights query. */

export type Value = string | number | boolean | null;

export type Expr =
  | { kind: 'literal'; value: Value; text: string }
  | { kind: 'regex'; regex: RegExp; text: string }
  | { kind: 'field'; name: string; text: string }
  | { kind: 'duration'; ms: number; text: string }
  | { kind: 'unary'; op: 'not' | '-'; arg: Expr; text: string }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; text: string }
  | { kind: 'in'; negated: boolean; arg: Expr; list: Expr[]; text: string }
  | { kind: 'call'; name: string; args: Expr[]; star: boolean; text: string };

export interface Named {
  expr: Expr;
  /** `as <alias>`, else the expression's own text. */
  name: string;
}

export type Command =
  | { kind: 'fields'; fields: Named[] }
  | { kind: 'display'; fields: Named[] }
  | { kind: 'filter'; expr: Expr }
  | { kind: 'stats'; aggregates: Named[]; by: Named[] }
  | { kind: 'sort'; keys: Array<{ expr: Expr; name: string; descending: boolean }> }
  | { kind: 'limit'; count: number }
  | { kind: 'parse'; source: Expr; regex: RegExp; names: string[] };

/** A query that does not parse: AWS answers MalformedQueryException with where it stopped. */
export class QueryMalformed extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

/** Aggregate functions `stats` accepts. */
export const AGGREGATES = new Set(['count', 'count_distinct', 'sum', 'avg', 'min', 'max', 'pct', 'stddev', 'earliest', 'latest']);
