import { sql } from 'kysely';
import type { Store } from '../../../store/database.js';
import { groupArn, groupArnWildcard, parseGroupArn, type GroupKey } from '../arns.js';
import type { LogsDeps, LogsOperation } from '../deps.js';
import { errors } from '../errors.js';
import { DEFAULT_DESCRIBE_LIMIT, RETENTION_DAYS } from '../limits.js';
import { page } from '../paging.js';
import { findGroup, requireGroup, type GroupRow } from '../tables.js';
import { checkGroupName, ConstraintCheck, int, str } from '../validation.js';
import { groupKey } from '../named-group.js';
import { checkTags } from './tags.js';

const GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'] as const;

/** Stored bytes per group (what the retention and size cap count), for the groups listed. */
async function storedBytes(db: Store, scope: { accountId: string; region: string }, names: string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const rows = await db
    .selectFrom('logs_event_batches as b')
    .innerJoin('logs_streams as s', 's.id', 'b.stream_id')
    .select(['s.group_name', sql<number>`sum(length(b.events))`.as('bytes')])
    .where('s.account_id', '=', scope.accountId)
    .where('s.region', '=', scope.region)
    .where('s.group_name', 'in', names)
    .groupBy('s.group_name')
    .execute();
  return new Map(rows.map((r) => [r.group_name, Number(r.bytes)]));
}

async function metricFilterCounts(db: Store, scope: { accountId: string; region: string }, names: string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const rows = await db
    .selectFrom('logs_metric_filters')
    .select(['group_name', sql<number>`count(*)`.as('n')])
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('group_name', 'in', names)
    .groupBy('group_name')
    .execute();
  return new Map(rows.map((r) => [r.group_name, Number(r.n)]));
}

function describeGroup(row: GroupRow, bytes: number, metricFilters: number): Record<string, unknown> {
  const key = { accountId: row.account_id, region: row.region, name: row.name };
  return {
    logGroupName: row.name,
    creationTime: Number(row.created_at),
    ...(row.retention_in_days !== null ? { retentionInDays: row.retention_in_days } : {}),
    metricFilterCount: metricFilters,
    arn: groupArnWildcard(key),
    storedBytes: bytes,
    ...(row.kms_key_id ? { kmsKeyId: row.kms_key_id } : {}),
    logGroupClass: row.log_group_class,
    logGroupArn: groupArn(key),
    deletionProtectionEnabled: false,
  };
}

function patternView(g: Record<string, unknown>): Record<string, unknown> {
  const { logGroupName, creationTime, metricFilterCount, arn, logGroupClass, logGroupArn } = g;
  return { logGroupName, creationTime, metricFilterCount, arn, logGroupClass, logGroupArn };
}

export function groupOperations(deps: LogsDeps): Record<string, LogsOperation> {
  const { db, clock, logs } = deps;
  return {
    async CreateLogGroup(input, ctx) {
      const name = checkGroupName(input.logGroupName)!;
      new ConstraintCheck().length(input.kmsKeyId, 'kmsKeyId', 0, 256).oneOf(input.logGroupClass, 'logGroupClass', GROUP_CLASSES).throwIfAny();
      const tags = checkTags(input.tags, 0, false);
      const key = groupKey(ctx, name);
      if (await findGroup(db, key)) throw errors.groupExists();
      const inserted = await db
        .insertInto('logs_groups')
        .values({
          account_id: key.accountId, region: key.region, name, created_at: clock.now(), tags: JSON.stringify(tags),
          kms_key_id: str(input.kmsKeyId) ?? null, log_group_class: str(input.logGroupClass) ?? 'STANDARD',
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw errors.groupExists();
    },

    async DeleteLogGroup(input, ctx) {
      const key = groupKey(ctx, checkGroupName(input.logGroupName)!);
      await requireGroup(db, key);
      await logs.deleteGroup(key.accountId, key.region, key.name);
      deps.filters.forgetGroup(key);
    },

    async DescribeLogGroups(input, ctx) {
      const prefix = checkGroupName(input.logGroupNamePrefix, 'logGroupNamePrefix', false);
      const check = new ConstraintCheck()
        .range(input.limit, 'limit', 1, DEFAULT_DESCRIBE_LIMIT)
        .length(input.logGroupNamePattern, 'logGroupNamePattern', 0, 512)
        .oneOf(input.logGroupClass, 'logGroupClass', GROUP_CLASSES)
        .listLength(input.logGroupIdentifiers, 'logGroupIdentifiers', 1, 50);
      check.throwIfAny();
      const pattern = str(input.logGroupNamePattern);
      if (prefix !== undefined && pattern !== undefined) throw errors.prefixAndPattern();
      let q = db.selectFrom('logs_groups').selectAll().where('account_id', '=', ctx.accountId).where('region', '=', ctx.region);
      if (prefix !== undefined) q = q.where('name', '>=', prefix).where('name', '<', `${prefix}\uffff`);
      if (str(input.logGroupClass)) q = q.where('log_group_class', '=', str(input.logGroupClass)!);
      let rows = await q.orderBy('name').execute();
      if (prefix !== undefined) rows = rows.filter((r) => r.name.startsWith(prefix));
      // The pattern is a case-sensitive substring of the name.
      if (pattern) rows = rows.filter((r) => r.name.includes(pattern));
      if (Array.isArray(input.logGroupIdentifiers)) {
        const wanted = new Set((input.logGroupIdentifiers as unknown[]).map((i) => (parseGroupArn(String(i))?.name ?? String(i))));
        rows = rows.filter((r) => wanted.has(r.name));
      }
      const { items, nextToken } = page(rows, (r) => r.name, input.nextToken, int(input.limit) ?? DEFAULT_DESCRIBE_LIMIT);
      const names = items.map((r) => r.name);
      const [bytes, counts] = await Promise.all([storedBytes(db, ctx, names), metricFilterCounts(db, ctx, names)]);
      // With a pattern AWS answers fewer members per group (recorded 2026-02).
      const shown = items.map((r) => describeGroup(r, bytes.get(r.name) ?? 0, counts.get(r.name) ?? 0)).map((g) => (pattern === undefined ? g : patternView(g)));
      return { logGroups: shown, ...(nextToken ? { nextToken } : {}) };
    },

    async PutRetentionPolicy(input, ctx) {
      const name = checkGroupName(input.logGroupName)!;
      new ConstraintCheck().required(input.retentionInDays, 'retentionInDays').oneOf(input.retentionInDays, 'retentionInDays', RETENTION_DAYS).throwIfAny();
      const key = groupKey(ctx, name);
      await requireGroup(db, key);
      await db
        .updateTable('logs_groups')
        .set({ retention_in_days: int(input.retentionInDays)! })
        .where('account_id', '=', key.accountId)
        .where('region', '=', key.region)
        .where('name', '=', name)
        .execute();
    },

    async DeleteRetentionPolicy(input, ctx) {
      const key = groupKey(ctx, checkGroupName(input.logGroupName)!);
      await requireGroup(db, key);
      await db.updateTable('logs_groups').set({ retention_in_days: null }).where('account_id', '=', key.accountId).where('region', '=', key.region).where('name', '=', key.name).execute();
    },
  };
}
