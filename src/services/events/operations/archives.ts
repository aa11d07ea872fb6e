import type { JsonRpcHandler } from '../../../protocols/json-rpc.js';
import type { RequestContext } from '../../../contracts/request-context.js';
import { busArn, parseBusArn, parseResourceArn, type Scope } from '../arns.js';
import { archiveArn, archiveStats, expireArchivedEvents, findArchive, parseArchiveArn, type ArchiveRow } from '../archives/archive-events.js';
import type { ReplayDestination, ReplayRow } from '../archives/replay-runner.js';
import type { EventsDeps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_EVENT_PATTERN_CHARS } from '../limits.js';
import { compileEventPattern } from '../patterns.js';
import { findBus } from '../tables/buses.js';
import { findRule } from '../tables/rules.js';
import { ConstraintCheck, page, str } from '../validation.js';

const ARCHIVE_NAME = /^[\.\-_A-Za-z0-9]+$/;
const ARCHIVE_NAME_SHOWN = '[\\.\\-_A-Za-z0-9]+';
const MAX_ARCHIVE_NAME_CHARS = 48;
const MAX_REPLAY_NAME_CHARS = 64;
const ARCHIVE_STATES = ['ENABLED', 'DISABLED', 'CREATING', 'UPDATING', 'CREATE_FAILED', 'UPDATE_FAILED'] as const;
const REPLAY_STATES = ['CANCELLED', 'CANCELLING', 'COMPLETED', 'FAILED', 'RUNNING', 'STARTING'] as const;

const seconds = (ms: number) => ms / 1000;
const scopeOf = (ctx: RequestContext): Scope => ({ accountId: ctx.accountId, region: ctx.region });

/** An awsJson timestamp: epoch seconds (the SDKs) or an ISO string. */
function timestampMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Math.round(value * 1000);
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  return undefined;
}

function archiveSummary(scope: Scope, row: ArchiveRow, stats: { EventCount: number; SizeBytes: number }): Record<string, unknown> {
  return {
    ArchiveName: row.name,
    EventSourceArn: busArn(scope, row.bus_name),
    State: 'ENABLED',
    RetentionDays: row.retention_days,
    SizeBytes: stats.SizeBytes,
    EventCount: stats.EventCount,
    CreationTime: seconds(row.created_at),
  };
}

function replayView(scope: Scope, row: ReplayRow, full: boolean): Record<string, unknown> {
  return {
    ReplayName: row.name,
    ...(full ? { ReplayArn: `arn:aws:events:${scope.region}:${scope.accountId}:replay/${row.name}` } : {}),
    ...(full && row.description ? { Description: row.description } : {}),
    State: row.state,
    ...(row.state_reason ? { StateReason: row.state_reason } : {}),
    EventSourceArn: archiveArn(scope, row.archive_name),
    ...(full ? { Destination: JSON.parse(row.destination) as ReplayDestination } : {}),
    EventStartTime: seconds(row.event_start),
    EventEndTime: seconds(row.event_end),
    ...(row.replayed_through !== null ? { EventLastReplayedTime: seconds(row.replayed_through) } : {}),
    ReplayStartTime: seconds(row.started_at),
    ...(row.ended_at !== null ? { ReplayEndTime: seconds(row.ended_at) } : {}),
  };
}

function checkOneFilter(input: Record<string, unknown>, operation: string, states: readonly string[]): void {
  const filters = [input.NamePrefix, input.EventSourceArn, input.State].filter((f) => f !== undefined && f !== null);
  if (filters.length > 1) throw errors.oneListFilter(operation);
  new ConstraintCheck().oneOf(input.State, 'state', states).range(input.Limit, 'limit', 1, 100).throwIfAny();
}

/** Archives (CreateArchive … DeleteArchive) and replays (StartReplay … CancelReplay). */
export function archiveOperations(deps: EventsDeps & { onReplayStarted?: () => void }): Record<string, JsonRpcHandler> {
  const { db, clock } = deps;

  async function archiveOrThrow(scope: Scope, name: string): Promise<ArchiveRow> {
    const row = await findArchive(db, scope, name);
    if (!row) throw errors.archiveNotFound(name);
    await expireArchivedEvents(db, scope, row, clock.now());
    return row;
  }

  async function replayOrThrow(scope: Scope, name: string): Promise<ReplayRow> {
    const row = await db.selectFrom('events_replays').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', name).executeTakeFirst();
    if (!row) throw errors.replayNotFound(name);
    return row;
  }

  function checkArchiveFields(input: Record<string, unknown>): void {
    const name = str(input.ArchiveName);
    new ConstraintCheck()
      .required(input.ArchiveName, 'archiveName')
      .pattern(name, 'archiveName', ARCHIVE_NAME, ARCHIVE_NAME_SHOWN)
      .maxLength(name, 'archiveName', MAX_ARCHIVE_NAME_CHARS)
      .maxLength(input.Description, 'description', 512)
      .maxLength(input.EventPattern, 'eventPattern', MAX_EVENT_PATTERN_CHARS)
      .range(input.RetentionDays, 'retentionDays', 0, 2_147_483_647)
      .throwIfAny();
    const pattern = str(input.EventPattern);
    if (pattern) compileEventPattern(pattern);
  }

  return {
    async CreateArchive(input, ctx) {
      checkArchiveFields(input);
      new ConstraintCheck().required(input.EventSourceArn, 'eventSourceArn').throwIfAny();
      const scope = scopeOf(ctx);
      const name = str(input.ArchiveName)!;
      const source = parseBusArn(String(input.EventSourceArn));
      if (!source) throw errors.invalidSourceArn();
      if (source.accountId !== scope.accountId || source.region !== scope.region || !(await findBus(db, scope, source.busName, clock.now()))) throw errors.busNotFound(source.busName);
      if (await findArchive(db, scope, name)) throw errors.archiveExists(name);
      const now = clock.now();
      await db
        .insertInto('events_archives')
        .values({
          account_id: scope.accountId, region: scope.region, name, bus_name: source.busName,
          description: str(input.Description) ?? null, event_pattern: str(input.EventPattern) ?? null,
          retention_days: typeof input.RetentionDays === 'number' ? input.RetentionDays : 0, created_at: now,
        })
        .execute();
      return { ArchiveArn: archiveArn(scope, name), State: 'ENABLED', CreationTime: seconds(now) };
    },

    async DescribeArchive(input, ctx) {
      new ConstraintCheck().required(input.ArchiveName, 'archiveName').throwIfAny();
      const scope = scopeOf(ctx);
      const row = await archiveOrThrow(scope, String(input.ArchiveName));
      return {
        ArchiveArn: archiveArn(scope, row.name),
        ...archiveSummary(scope, row, await archiveStats(db, scope, row.name)),
        ...(row.description ? { Description: row.description } : {}),
        ...(row.event_pattern ? { EventPattern: row.event_pattern } : {}),
      };
    },

    async ListArchives(input, ctx) {
      checkOneFilter(input, 'ListArchives', ARCHIVE_STATES);
      const scope = scopeOf(ctx);
      let rows = await db.selectFrom('events_archives').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).orderBy('name').execute();
      const prefix = str(input.NamePrefix);
      if (prefix) rows = rows.filter((r) => r.name.startsWith(prefix));
      if (typeof input.EventSourceArn === 'string') rows = rows.filter((r) => busArn(scope, r.bus_name) === input.EventSourceArn);
      if (typeof input.State === 'string') rows = rows.filter(() => input.State === 'ENABLED');
      const { items, nextToken } = page(rows, input.Limit, input.NextToken);
      const archives = [];
      for (const row of items) {
        await expireArchivedEvents(db, scope, row, clock.now());
        archives.push(archiveSummary(scope, row, await archiveStats(db, scope, row.name)));
      }
      return { Archives: archives, ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    async UpdateArchive(input, ctx) {
      checkArchiveFields(input);
      const scope = scopeOf(ctx);
      const row = await archiveOrThrow(scope, String(input.ArchiveName));
      const fields = {
        ...(input.Description !== undefined ? { description: str(input.Description) || null } : {}),
        ...(input.EventPattern !== undefined ? { event_pattern: str(input.EventPattern) || null } : {}),
        ...(typeof input.RetentionDays === 'number' ? { retention_days: input.RetentionDays } : {}),
      };
      if (Object.keys(fields).length > 0) {
        await db.updateTable('events_archives').set(fields).where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', row.name).execute();
      }
      return { ArchiveArn: archiveArn(scope, row.name), State: 'ENABLED', CreationTime: seconds(row.created_at) };
    },

    async DeleteArchive(input, ctx) {
      new ConstraintCheck().required(input.ArchiveName, 'archiveName').throwIfAny();
      const scope = scopeOf(ctx);
      const row = await archiveOrThrow(scope, String(input.ArchiveName));
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('events_archived_events').where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('archive_name', '=', row.name).execute();
        await trx.deleteFrom('events_archives').where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', row.name).execute();
      });
      return {};
    },

    async StartReplay(input, ctx) {
      const name = str(input.ReplayName);
      const destination = (typeof input.Destination === 'object' && input.Destination !== null ? input.Destination : {}) as Record<string, unknown>;
      new ConstraintCheck()
        .required(input.ReplayName, 'replayName')
        .pattern(name, 'replayName', ARCHIVE_NAME, ARCHIVE_NAME_SHOWN)
        .maxLength(name, 'replayName', MAX_REPLAY_NAME_CHARS)
        .maxLength(input.Description, 'description', 512)
        .required(input.EventSourceArn, 'eventSourceArn')
        .required(input.EventStartTime, 'eventStartTime')
        .required(input.EventEndTime, 'eventEndTime')
        .required(input.Destination, 'destination')
        .required(input.Destination ? destination.Arn : '', 'destination.arn')
        .throwIfAny();
      const scope = scopeOf(ctx);
      const now = clock.now();
      const bus = parseBusArn(String(destination.Arn));
      if (!bus) throw errors.replayNotBusArn();
      if (bus.accountId !== scope.accountId || bus.region !== scope.region || !(await findBus(db, scope, bus.busName, now))) throw errors.busNotFound(bus.busName);
      const archiveName = parseArchiveArn(String(input.EventSourceArn))?.name ?? String(input.EventSourceArn).split('/').pop()!;
      const archive = await findArchive(db, scope, archiveName);
      if (!archive) throw errors.replayArchiveNotFound(archiveName);
      if (archive.bus_name !== bus.busName) throw errors.crossBusReplay();
      const start = timestampMs(input.EventStartTime);
      const end = timestampMs(input.EventEndTime);
      if (start === undefined || end === undefined || start >= end) throw errors.replayWindow();
      const filterArns = Array.isArray(destination.FilterArns) ? destination.FilterArns.map(String) : [];
      for (const arn of filterArns) {
        const rule = parseResourceArn(arn);
        if (!rule || rule.kind !== 'rule' || rule.busName !== bus.busName || rule.accountId !== scope.accountId || rule.region !== scope.region) throw errors.replayFilterNotOnBus();
        if (!(await findRule(db, scope, rule.busName, rule.ruleName))) throw errors.ruleNotFound(rule.ruleName, rule.busName);
      }
      const existing = await db.selectFrom('events_replays').select('name').where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', name!).executeTakeFirst();
      if (existing) throw errors.replayExists(name!);
      await db
        .insertInto('events_replays')
        .values({
          account_id: scope.accountId, region: scope.region, name: name!, archive_name: archive.name, description: str(input.Description) ?? null,
          destination: JSON.stringify({ Arn: String(destination.Arn), ...(filterArns.length > 0 ? { FilterArns: filterArns } : {}) }),
          event_start: start, event_end: end, state: 'STARTING', state_reason: null, replayed_through: null, lease_until: null, started_at: now, ended_at: null,
        })
        .execute();
      deps.onReplayStarted?.();
      return { ReplayArn: `arn:aws:events:${scope.region}:${scope.accountId}:replay/${name}`, State: 'STARTING', ReplayStartTime: seconds(now) };
    },

    async DescribeReplay(input, ctx) {
      new ConstraintCheck().required(input.ReplayName, 'replayName').throwIfAny();
      const scope = scopeOf(ctx);
      return replayView(scope, await replayOrThrow(scope, String(input.ReplayName)), true);
    },

    async ListReplays(input, ctx) {
      checkOneFilter(input, 'ListReplays', REPLAY_STATES);
      const scope = scopeOf(ctx);
      let rows = await db.selectFrom('events_replays').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).orderBy('name').execute();
      const prefix = str(input.NamePrefix);
      if (prefix) rows = rows.filter((r) => r.name.startsWith(prefix));
      if (typeof input.EventSourceArn === 'string') rows = rows.filter((r) => archiveArn(scope, r.archive_name) === input.EventSourceArn);
      if (typeof input.State === 'string') rows = rows.filter((r) => r.state === input.State);
      const { items, nextToken } = page(rows, input.Limit, input.NextToken);
      return { Replays: items.map((r) => replayView(scope, r, false)), ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    async CancelReplay(input, ctx) {
      new ConstraintCheck().required(input.ReplayName, 'replayName').throwIfAny();
      const scope = scopeOf(ctx);
      const row = await replayOrThrow(scope, String(input.ReplayName));
      const result = await db
        .updateTable('events_replays')
        .set({ state: 'CANCELLING' })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', row.name)
        .where('state', 'in', ['STARTING', 'RUNNING'])
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw errors.replayNotCancellable(row.name);
      deps.onReplayStarted?.();
      return { ReplayArn: `arn:aws:events:${scope.region}:${scope.accountId}:replay/${row.name}`, State: 'CANCELLING' };
    },
  };
}
