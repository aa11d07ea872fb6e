import { sql, type Kysely, type RawBuilder } from 'kysely';
import { isPostgres } from './database.js';

/**
 * The few SQL expressions that differ between the two stores. Everything else is written once,
 * through Kysely's builders or in SQL both engines read the same way.
 */

/** A row's physical id for `DELETE … WHERE <id> IN (SELECT <id> … LIMIT n)`: SQLite's rowid, PostgreSQL's ctid. */
export function physicalRowId(db: Pick<Kysely<any>, 'getExecutor'>): RawBuilder<number> {
  return isPostgres(db) ? sql<number>`ctid` : sql<number>`rowid`;
}

/** The UTC day (YYYY-MM-DD) of an epoch-milliseconds column. */
export function utcDayOfMs(db: Pick<Kysely<any>, 'getExecutor'>, column: string): RawBuilder<string> {
  return isPostgres(db)
    ? sql<string>`to_char(to_timestamp(${sql.ref(column)} / 1000.0) at time zone 'UTC', 'YYYY-MM-DD')`
    : sql<string>`strftime('%Y-%m-%d', ${sql.ref(column)} / 1000, 'unixepoch')`;
}
