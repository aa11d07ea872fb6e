import { randomUUID } from 'node:crypto';
import { readStreamEvents } from '../../../observability/function-log-reader.js';
import { parseGroupArn, type GroupKey } from '../arns.js';
import type { LogsDeps, LogsOperation } from '../deps.js';
import { errors } from '../errors.js';
import { parseQuery } from '../insights/parse-query.js';
import { QueryMalformed, type Command } from '../insights/query-syntax.js';
import { runQuery, type QueryEvent } from '../insights/run-query.js';
import { DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT } from '../limits.js';
import { findGroup, groupStreams } from '../tables.js';
import type { QueryExecutor } from '../insights/query-runs.js';
import type { Store } from '../../../store/database.js';
import { ConstraintCheck, int, str } from '../validation.js';
import { groupKey } from '../named-group.js';

const STATUSES = ['Scheduled', 'Running', 'Complete', 'Failed', 'Cancelled', 'Timeout', 'Unknown'] as const;

function parseOrThrow(queryString: string): Command[] {
  try {
    return parseQuery(queryString);
  } catch (err) {
    if (err instanceof QueryMalformed) {
      throw errors.malformedQuery(err.message, err.start, err.end);
    }
    throw err;
  }
}

/**
 * Runs a stored query over the events of its groups in its time range (at StartQuery, and again
 * after a restart that interrupted it).
 */
export function queryExecutor(db: Store): QueryExecutor {
  return async (query) => {
    const commands = parseQuery(query.queryString);
    const events: QueryEvent[] = [];
    for (const name of query.logGroupNames) {
      const g: GroupKey = { accountId: query.accountId, region: query.region, name };
      const streams = await groupStreams(db, g);
      for (const e of await readStreamEvents(db, streams, { startTime: query.startMs, endTime: query.endMs })) events.push({ ...e, group: g.name, accountId: g.accountId });
    }
    return runQuery(commands, events, query.limit);
  };
}

export function queryOperations(deps: LogsDeps): Record<string, LogsOperation> {
  const { db, queries } = deps;
  return {
    async StartQuery(input, ctx) {
      new ConstraintCheck()
        .required(input.startTime, 'startTime')
        .required(input.endTime, 'endTime')
        .required(input.queryString, 'queryString')
        .range(input.startTime, 'startTime', 0)
        .range(input.endTime, 'endTime', 0)
        .length(input.queryString, 'queryString', 0, 10_000)
        .range(input.limit, 'limit', 1, MAX_QUERY_LIMIT)
        .oneOf(input.queryLanguage, 'queryLanguage', ['CWLI'])
        .throwIfAny();
      const given = [input.logGroupName !== undefined, input.logGroupNames !== undefined, input.logGroupIdentifiers !== undefined].filter(Boolean).length;
      if (given > 1) throw errors.queryGroupsExclusive();
      const names: string[] =
        input.logGroupName !== undefined ? [String(input.logGroupName)] : Array.isArray(input.logGroupNames) ? input.logGroupNames.map(String) : Array.isArray(input.logGroupIdentifiers) ? input.logGroupIdentifiers.map(String) : [];
      if (names.length === 0) throw errors.queryGroupsRequired();
      const groups: GroupKey[] = [];
      for (const n of names) {
        const arn = n.startsWith('arn:') ? parseGroupArn(n) : null;
        const key = arn ?? groupKey(ctx, n);
        if (key.accountId !== ctx.accountId || key.region !== ctx.region || !(await findGroup(db, key))) throw errors.queryGroupNotFound(key.name, ctx.accountId, randomUUID());
        groups.push(key);
      }
      // Times are epoch seconds; the end second is included whole.
      const startMs = int(input.startTime)! * 1000;
      const endMs = int(input.endTime)! * 1000 + 999;
      if (endMs < startMs) throw errors.queryEndBeforeStart();
      const queryString = String(input.queryString);
      parseOrThrow(queryString);
      const queryId = await queries.start({
        accountId: ctx.accountId,
        region: ctx.region,
        queryString,
        logGroupNames: groups.map((g) => g.name),
        startMs,
        endMs,
        limit: int(input.limit) ?? DEFAULT_QUERY_LIMIT,
      });
      return { queryId };
    },

    async GetQueryResults(input, ctx) {
      new ConstraintCheck().required(input.queryId, 'queryId').length(input.queryId, 'queryId', 1, 256).throwIfAny();
      const run = await queries.get(ctx.accountId, ctx.region, String(input.queryId));
      if (!run) throw errors.queryNotFound();
      const out = run.output;
      return {
        queryLanguage: 'CWLI',
        results: out?.results ?? [],
        statistics: { recordsMatched: out?.recordsMatched ?? 0, recordsScanned: out?.recordsScanned ?? 0, bytesScanned: out?.bytesScanned ?? 0 },
        status: run.status,
      };
    },

    async StopQuery(input, ctx) {
      new ConstraintCheck().required(input.queryId, 'queryId').throwIfAny();
      if (await queries.cancel(ctx.accountId, ctx.region, String(input.queryId))) return { success: true };
      if (!(await queries.get(ctx.accountId, ctx.region, String(input.queryId)))) throw errors.queryNotFound();
      throw errors.queryNotRunning();
    },

    async DescribeQueries(input, ctx) {
      new ConstraintCheck().range(input.maxResults, 'maxResults', 1, 1000).oneOf(input.status, 'status', STATUSES).throwIfAny();
      const group = str(input.logGroupName);
      const status = str(input.status);
      const runs = await queries.list(ctx.accountId, ctx.region, { status, logGroupName: group, limit: int(input.maxResults) ?? 1000 });
      return {
        queries: runs.map((r) => ({
          queryLanguage: 'CWLI',
          queryId: r.queryId,
          queryString: r.queryString,
          status: r.status,
          createTime: r.createTime,
          logGroupName: r.logGroupNames[0],
        })),
      };
    },
  };
}
