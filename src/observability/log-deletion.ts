import { sql } from 'kysely';
import type { Store } from '../store/database.js';
import type { LogGroupRef } from './function-log-reader.js';

const DAY_MS = 86_400_000;

/** Bytes the event batches of these streams hold, as the cap counts them (`length(events)`). */
async function batchBytes(db: Store, streamIds: number[]): Promise<number> {
  if (streamIds.length === 0) return 0;
  const row = await db
    .selectFrom('logs_event_batches')
    .select(sql<number>`coalesce(sum(length(events)), 0)`.as('total'))
    .where('stream_id', 'in', streamIds)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** Removes a group with its streams, events and filters; returns the bytes its events held. */
export async function deleteGroupRows(db: Store, group: LogGroupRef): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const streams = await trx
      .selectFrom('logs_streams')
      .select('id')
      .where('account_id', '=', group.accountId)
      .where('region', '=', group.region)
      .where('group_name', '=', group.name)
      .execute();
    const ids = streams.map((s) => s.id);
    const bytes = await batchBytes(trx, ids);
    if (ids.length > 0) {
      await trx.deleteFrom('logs_event_batches').where('stream_id', 'in', ids).execute();
      await trx.deleteFrom('logs_streams').where('id', 'in', ids).execute();
    }
    for (const table of ['logs_metric_filters', 'logs_subscription_filters'] as const) {
      await trx.deleteFrom(table).where('account_id', '=', group.accountId).where('region', '=', group.region).where('group_name', '=', group.name).execute();
    }
    await trx.deleteFrom('logs_groups').where('account_id', '=', group.accountId).where('region', '=', group.region).where('name', '=', group.name).execute();
    return bytes;
  });
}

/** Removes one stream and its events; returns the bytes they held. */
export async function deleteStreamRows(db: Store, group: LogGroupRef, stream: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('logs_streams')
      .select('id')
      .where('account_id', '=', group.accountId)
      .where('region', '=', group.region)
      .where('group_name', '=', group.name)
      .where('name', '=', stream)
      .executeTakeFirst();
    if (!row) return 0;
    const bytes = await batchBytes(trx, [row.id]);
    await trx.deleteFrom('logs_event_batches').where('stream_id', '=', row.id).execute();
    await trx.deleteFrom('logs_streams').where('id', '=', row.id).execute();
    return bytes;
  });
}

/**
 * Deletes the batches whose every event is older than its group's RetentionInDays at `now`. A
 * batch holds one flush of one stream (a fraction of a second of output), so what a reader can
 * still see past the cutoff is that much at most; readers filter by time anyway.
 */
export async function deleteExpiredBatches(db: Store, now: number): Promise<{ batches: number; bytes: number }> {
  const groups = await db.selectFrom('logs_groups').select(['account_id', 'region', 'name', 'retention_in_days']).where('retention_in_days', 'is not', null).execute();
  let batches = 0;
  let bytes = 0;
  for (const g of groups) {
    const cutoff = now - g.retention_in_days! * DAY_MS;
    const expired = db
      .selectFrom('logs_event_batches as b')
      .innerJoin('logs_streams as s', 's.id', 'b.stream_id')
      .where('s.account_id', '=', g.account_id)
      .where('s.region', '=', g.region)
      .where('s.group_name', '=', g.name)
      .where('b.last_timestamp', '<', cutoff);
    const sized = await expired.select(['b.id', sql<number>`length(b.events)`.as('size')]).execute();
    if (sized.length === 0) continue;
    const ids = sized.map((r) => r.id);
    for (let i = 0; i < ids.length; i += DELETE_CHUNK) await db.deleteFrom('logs_event_batches').where('id', 'in', ids.slice(i, i + DELETE_CHUNK)).execute();
    batches += ids.length;
    for (const r of sized) bytes += Number(r.size);
  }
  return { batches, bytes };
}

/** Ids per DELETE: well under SQLite's bound on variables per statement. */
const DELETE_CHUNK = 500;
