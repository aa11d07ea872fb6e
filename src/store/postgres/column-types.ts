import {
  OperationNodeTransformer,
  type ColumnDefinitionNode,
  type DataTypeNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/**
 * The numbered migrations were written for SQLite and a landed migration is never edited, so the
 * few SQLite-only column types they use are mapped here, when (and only when) they run on
 * PostgreSQL. The result is the schema SQLite has, in PostgreSQL's words:
 * - `blob` → `bytea` (PostgreSQL has no blob);
 * - `integer` → `bigint`: SQLite's INTEGER holds 64 bits, PostgreSQL's only 32 (sizes, sequence
 *   numbers and counters would overflow at 2^31);
 * - `integer primary key` → `bigserial primary key`: SQLite numbers a row whose id is left out
 *   (the rowid), which inserts rely on; `autoincrement` → the same (PostgreSQL has no such keyword);
 * - `text` → `text collate "C"`: SQLite compares text byte by byte (code point order for UTF-8),
 *   PostgreSQL by the database's locale unless told otherwise. Range keys, pagination markers,
 *   ORDER BY and `>`/`<` on names all assume SQLite's order, so every text column gets "C".
 * The store applies it to the migrator's Kysely only (postgres/open.ts); queries are untouched.
 */
export class PostgresColumnTypes implements KyselyPlugin {
  private readonly transformer = new ColumnTypeTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const MAPPED: Readonly<Record<string, string>> = {
  blob: 'bytea',
  integer: 'bigint',
  text: 'text collate "C"',
};

class ColumnTypeTransformer extends OperationNodeTransformer {
  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    const transformed = super.transformColumnDefinition(node);
    const type = dataTypeOf(transformed);
    if (type === 'integer' && (transformed.primaryKey || transformed.autoIncrement)) {
      return { ...transformed, dataType: dataType('bigserial'), autoIncrement: false };
    }
    const mapped = type === undefined ? undefined : MAPPED[type];
    return mapped === undefined ? transformed : { ...transformed, dataType: dataType(mapped) };
  }
}

function dataTypeOf(node: ColumnDefinitionNode): string | undefined {
  return node.dataType.kind === 'DataTypeNode' ? (node.dataType as DataTypeNode).dataType : undefined;
}

/** The compiler writes a data type node's text as it is, so a collation can ride along. */
function dataType(text: string): DataTypeNode {
  return Object.freeze({ kind: 'DataTypeNode', dataType: text }) as unknown as DataTypeNode;
}
