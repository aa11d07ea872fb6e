import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from '../schema.js';
import { PostgresColumnTypes } from './column-types.js';
import { SerialTransactionsKysely } from './serial-transactions.js';

/** Connections per node; transactions take one at a time (serial-transactions.ts), reads the rest. */
const POOL_SIZE = 10;
/** pg_advisory_lock key of the store's migrations ("lambkin" in ASCII, as a bigint). */
const MIGRATION_LOCK_KEY = '30792275084798318';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Opens the PostgreSQL store at `url` (postgres://user:password@host:port/database) and brings
 * its schema to the latest migration. Nodes that start together migrate once: each takes a
 * session advisory lock first, and whoever comes second finds nothing left to run.
 */
export async function openPostgresStore(url: string, migrate: (db: Kysely<Database>) => Promise<void>): Promise<Kysely<Database>> {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, types: { getTypeParser } });
  // An idle connection the server drops (restart, idle timeout) must not crash the process.
  pool.on('error', () => undefined);
  const db = new SerialTransactionsKysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateLocked(db, migrate);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

async function migrateLocked(db: Kysely<Database>, migrate: (db: Kysely<Database>) => Promise<void>): Promise<void> {
  // One connection holds the lock for the whole run (Kysely's migrator takes its own lock only
  // after creating its bookkeeping tables, which two nodes could race to create).
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(conn);
    try {
      await migrate(conn.withPlugin(new PostgresColumnTypes()));
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(conn);
    }
  });
}

/**
 * The store's columns are SQLite's 64-bit integers (bigint here) holding epoch milliseconds,
 * sizes and counters; `count(*)` is bigint and `sum` numeric. pg hands both back as strings so as
 * not to lose precision; every value Lambkin stores fits in a double, so they come back as
 * numbers (a value past 2^53 stays a string rather than silently changing).
 */
function getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === INT8_OID) return toNumberIfSafe;
  if (oid === NUMERIC_OID) return (value) => Number(value);
  return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
}

function toNumberIfSafe(value: string): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}
