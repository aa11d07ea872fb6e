import type { Store } from '../../store/database.js';
import { errors } from './errors.js';
import type { TableCache } from './table-cache.js';
import type { Table } from './table-model.js';
import { acceptsItems } from './table-states.js';
import { findTable } from './tables/tables.js';
import { ConstraintCheck } from './validation.js';

type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;
type Caller = { accountId: string; region: string };

/**
 * The table a request names (`TableName`, which may also be the table's ARN), checked for the
 * model's constraints first.
 */
export function tableKeyOf(name: unknown, caller: Caller, member = 'tableName'): { accountId: string; region: string; name: string } {
  const arn = typeof name === 'string' ? /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/([^/]+)$/.exec(name) : null;
  if (arn) return { region: arn[1]!, accountId: arn[2]!, name: arn[3]! };
  new ConstraintCheck().required(name, member).tableName(name, member).throwIfAny();
  return { ...caller, name: name as string };
}

/** For table operations: any status; missing → "Requested resource not found: Table: x not found". */
export async function requireTable(db: Db, name: unknown, caller: Caller): Promise<Table> {
  const key = tableKeyOf(name, caller);
  const table = await findTable(db, key);
  if (!table) throw errors.tableNotFound(key.name);
  return table;
}

/**
 * For item operations (through the cache: never inside a transaction that writes table rows): a
 * table being created or deleted is "Requested resource not found".
 */
export async function requireItemTable(tables: TableCache, db: Db, name: unknown, caller: Caller): Promise<Table> {
  const key = tableKeyOf(name, caller);
  const table = await tables.find(db, key);
  if (!table || !acceptsItems(table.status)) throw errors.resourceNotFound();
  return table;
}
