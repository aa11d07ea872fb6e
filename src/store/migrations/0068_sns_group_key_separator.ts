import { PostgresAdapter, type Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
// A FIFO delivery's group key joined its subscription ARN and message group id with a NUL, which
// PostgreSQL refuses in text (every FIFO publish to a subscribed queue failed there); they are
// joined with a space now, which neither holds. Deliveries an earlier version queued on SQLite take
// the new form, so they stay in their group, ahead of the ones queued after the upgrade. (Done in
// JavaScript: SQLite's text functions stop at a NUL.)
export async function up(db: Kysely<any>): Promise<void> {
  await rewriteGroupKeys(db, '\0', ' ');
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await rewriteGroupKeys(db, ' ', '\0');
}

async function rewriteGroupKeys(db: Kysely<any>, from: string, to: string): Promise<void> {
  const rows = await db.selectFrom('sns_deliveries').select(['id', 'group_key']).where('group_key', 'is not', null).execute();
  for (const row of rows as Array<{ id: number; group_key: string }>) {
    if (!row.group_key.includes(from)) continue;
    await db.updateTable('sns_deliveries').set({ group_key: row.group_key.replace(from, to) }).where('id', '=', row.id).execute();
  }
}
