import type { Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';

declare const TABLE_WRITE: unique symbol;

/**
 * A transaction opened by `TableCache.writing`: the only kind the functions that write
 * `dynamodb_tables` accept, so no table row changes behind the cache's back.
 */
export type TableWriteTransaction = Transaction<Database> & { readonly [TABLE_WRITE]: true };
