import type { Kysely } from 'kysely';
import type { Database, EventsArchivesTable } from '../../../store/schema.js';
import type { Scope } from '../arns.js';
import type { EventEnvelope } from '../model.js';
import { matchesPattern } from '../pattern/index.js';
import { compileEventPattern } from '../patterns.js';

export type ArchiveRow = EventsArchivesTable;

const DAY_MS = 86_400_000;

export function archiveArn(scope: Scope, name: string): string {
  return `arn:aws:events:${scope.region}:${scope.accountId}:archive/${name}`;
}

export function parseArchiveArn(arn: string): (Scope & { name: string }) | null {
  const m = /^arn:[^:]+:events:([^:]+):(\d{12}):archive\/(.+)$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : null;
}

export function eventTimeMs(event: EventEnvelope): number {
  const ms = Date.parse(event.time);
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * Records events in the bus's archives whose pattern they match (an archive without one takes
 * every event). Replayed events are never archived again, as AWS's archive rule excludes
 * `replay-name`. Runs in the transaction that stores the events' deliveries.
 */
export async function archiveEvents(trx: Kysely<Database>, scope: Scope, busName: string, events: EventEnvelope[], now: number): Promise<void> {
  const fresh = events.filter((e) => e['replay-name'] === undefined);
  if (fresh.length === 0) return;
  const archives = await trx.selectFrom('events_archives').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('bus_name', '=', busName).execute();
  for (const archive of archives) {
    const pattern = archive.event_pattern ? compileEventPattern(archive.event_pattern) : null;
    const rows = fresh
      .filter((event) => pattern === null || matchesPattern(pattern, event))
      .map((event) => ({ account_id: scope.accountId, region: scope.region, archive_name: archive.name, event_id: event.id, event_time: eventTimeMs(event), archived_at: now, envelope: JSON.stringify(event) }));
    if (rows.length > 0) await trx.insertInto('events_archived_events').values(rows).onConflict((oc) => oc.doNothing()).execute();
  }
}

/** Drops an archive's events older than its retention (0 days keeps them indefinitely). */
export async function expireArchivedEvents(db: Kysely<Database>, scope: Scope, archive: ArchiveRow, now: number): Promise<void> {
  if (archive.retention_days <= 0) return;
  await db
    .deleteFrom('events_archived_events')
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('archive_name', '=', archive.name)
    .where('archived_at', '<', now - archive.retention_days * DAY_MS)
    .execute();
}

export async function findArchive(db: Kysely<Database>, scope: Scope, name: string): Promise<ArchiveRow | undefined> {
  return db.selectFrom('events_archives').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', name).executeTakeFirst();
}

/** EventCount and SizeBytes (the stored events' JSON bytes) of an archive. */
export async function archiveStats(db: Kysely<Database>, scope: Scope, name: string): Promise<{ EventCount: number; SizeBytes: number }> {
  const row = await db
    .selectFrom('events_archived_events')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.sum<number>(eb.fn('length', ['envelope'])).as('size')])
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('archive_name', '=', name)
    .executeTakeFirst();
  return { EventCount: Number(row?.count ?? 0), SizeBytes: Number(row?.size ?? 0) };
}
