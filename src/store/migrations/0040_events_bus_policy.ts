import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // An event bus's resource policy (PutPermission), the JSON document as DescribeEventBus shows it.
  await db.schema.alterTable('events_buses').addColumn('policy', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('events_buses').dropColumn('policy').execute();
}
