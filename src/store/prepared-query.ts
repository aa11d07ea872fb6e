import type { CompiledQuery, Compilable, Kysely, QueryResult } from 'kysely';
import type { DialectAdapter } from 'kysely';
import type { Database } from './schema.js';

/** Where a named argument goes, until the query is compiled. */
class Slot {
  constructor(readonly name: string) {}
}

interface Compiled {
  query: CompiledQuery;
  /** For each parameter of the compiled SQL: the argument it takes, or its fixed value. */
  parameters: ({ slot: string } | { value: unknown })[];
}

/**
 * A query Kysely builds and compiles once, then runs with fresh arguments: building and compiling
 * a query costs more than SQLite takes to run a small one (about half of a PutItem's store time
 * went to Kysely's builders and compiler). `build` places each argument with `arg(name)`; the SQL
 * comes from the store's own compiler, so it stays in the store's dialect. Compiled once per
 * dialect adapter (a store and its transactions share one).
 */
export class PreparedQuery<Args extends Record<string, unknown>, Row> {
  private readonly compiled = new WeakMap<DialectAdapter, Compiled>();

  constructor(private readonly build: (db: Kysely<Database>, arg: <K extends keyof Args & string>(name: K) => Args[K]) => Compilable<Row>) {}

  async execute(db: Kysely<Database>, args: Args): Promise<QueryResult<Row>> {
    const { query, parameters } = this.compiledFor(db);
    const values = parameters.map((p) => ('slot' in p ? args[p.slot] : p.value));
    return db.executeQuery<Row>({ ...query, parameters: values } as CompiledQuery<Row>);
  }

  private compiledFor(db: Kysely<Database>): Compiled {
    const adapter = db.getExecutor().adapter;
    let compiled = this.compiled.get(adapter);
    if (!compiled) {
      const query = this.build(db, (name) => new Slot(name) as never).compile();
      compiled = { query, parameters: query.parameters.map((p) => (p instanceof Slot ? { slot: p.name } : { value: p })) };
      this.compiled.set(adapter, compiled);
    }
    return compiled;
  }
}

/** How many shapes a `PreparedByShape` keeps before it starts again empty (a bound, not a policy). */
const SHAPES_MAX = 2_000;

/**
 * Queries whose text depends on a shape besides the dialect (a table name, how many ids an
 * `IN (…)` list holds, how many rows an INSERT writes): each shape is built and compiled once, as
 * a `PreparedQuery`, then run with fresh arguments. `shape` must name everything `build` reads
 * that is not an argument. `args` may be an array, its slots then named by index (`arg('0')`…):
 * cheaper to fill than an object with a name per value when a statement takes hundreds.
 */
export class PreparedByShape {
  private readonly queries = new Map<string, PreparedQuery<Record<string, unknown>, unknown>>();

  execute<Row>(
    db: Kysely<any>,
    shape: string,
    build: (db: Kysely<any>, arg: (name: string) => never) => Compilable<Row>,
    args: Record<string, unknown> | readonly unknown[],
  ): Promise<QueryResult<Row>> {
    let query = this.queries.get(shape);
    if (!query) {
      if (this.queries.size >= SHAPES_MAX) this.queries.clear();
      query = new PreparedQuery<Record<string, unknown>, unknown>(build as never);
      this.queries.set(shape, query);
    }
    // An array's elements are its properties '0', '1', …: the slot names above.
    return query.execute(db, args as Record<string, unknown>) as Promise<QueryResult<Row>>;
  }
}
