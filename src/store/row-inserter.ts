import { CompiledQuery, type Kysely } from 'kysely';
import { isPostgres, type Store } from './database.js';
import type { Database } from './schema.js';

/**
 * Multi-row INSERTs into one table with a fixed column list, their SQL compiled once per row count
 * and dialect. The batch writers (usage records, function log batches) insert hundreds of rows a
 * flush: building and compiling a fresh statement each time cost more CPU than running it, and the
 * same SQL text is then also the statement cache's key.
 */
export class RowInserter<Table extends keyof Database & string> {
  private readonly sqlByShape = new SqlByShape();

  constructor(
    private readonly table: Table,
    private readonly columns: readonly (keyof Database[Table] & string)[],
  ) {}

  /** Inserts `rows` in one statement; a column a row lacks is null. */
  async insert(trx: Store, rows: readonly Partial<Database[Table]>[]): Promise<void> {
    if (rows.length > 0) await trx.executeQuery(this.compile(trx, rows));
  }

  /** The statement `insert` runs (the same SQL and parameters Kysely compiles for these rows). */
  compile(trx: Store, rows: readonly Partial<Database[Table]>[]): CompiledQuery {
    const params: unknown[] = [];
    for (const row of rows) for (const column of this.columns) params.push(row[column] ?? null);
    return CompiledQuery.raw(this.sqlFor(trx, rows.length), params);
  }

  private sqlFor(trx: Store, count: number): string {
    return this.sqlByShape.get(trx, count, () => {
      // Compiled by Kysely with every value a parameter, in row order and then column order.
      const blank = Object.fromEntries(this.columns.map((column) => [column, null]));
      return (trx as unknown as Kysely<Record<string, Record<string, unknown>>>).insertInto(this.table).values(Array.from({ length: count }, () => ({ ...blank }))).compile().sql;
    });
  }
}

/**
 * SQL text of a statement whose shape depends only on the dialect and a count (rows, streams),
 * every value being a parameter: compiled on first use of each shape, then reused.
 */
export class SqlByShape {
  private readonly texts = new Map<string, string>();

  get(trx: Store, count: number, compile: () => string): string {
    const shape = `${isPostgres(trx) ? 'postgres' : 'sqlite'}:${count}`;
    let text = this.texts.get(shape);
    if (text === undefined) {
      text = compile();
      this.texts.set(shape, text);
    }
    return text;
  }
}
