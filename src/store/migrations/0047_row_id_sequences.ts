import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
// On PostgreSQL, the tables several nodes insert into take their ids from their own `bigserial`
// sequence (cluster/row-ids.ts) instead of max(id)+1, which two nodes can read alike. Rows written
// before were given explicit ids that never advanced the sequence: move it past them. SQLite has
// one writer and keeps max(id)+1; nothing changes there.
const TABLES = ['usage_records', 'logs_streams', 'logs_event_batches', 'sns_outbox', 'sns_deliveries'];

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of TABLES) {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(db);
  }
}

export async function down(): Promise<void> {}
