import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import type { Store } from '../../../store/database.js';
import type { LogsInsightsQueriesTable } from '../../../store/schema.js';
import { MAX_KEPT_QUERIES, QUERY_RESULTS_KEPT_MS } from '../limits.js';
import type { QueryOutput } from './run-query.js';

export type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled';

/** What a query is: enough to answer about it and to run it again. */
export interface QueryDefinition {
  accountId: string;
  region: string;
  queryString: string;
  /** Groups of the query's own account and region, by name. */
  logGroupNames: string[];
  startMs: number;
  endMs: number;
  limit: number;
}

export interface QueryRun extends QueryDefinition {
  queryId: string;
  createTime: number;
  status: QueryStatus;
  output?: QueryOutput;
}

/** Runs a query over the store's events. */
export type QueryExecutor = (query: QueryDefinition) => Promise<QueryOutput>;

/**
 * Logs Insights queries, kept in the store with their status and results for 7 days (as AWS keeps
 * them), at most MAX_KEPT_QUERIES per account and region. A query runs on the next turn of the
 * event loop, so StartQuery answers at once and GetQueryResults sees Running until it is done.
 *
 * A query still Running when the server stopped (a crash, or a stop mid-run) is run again at the
 * next start rather than reported Failed: a query reads stored events over a fixed time range, so
 * running it again gives the answer it would have given, and on AWS a caller polling
 * GetQueryResults never sees the service restart, only a query that completes. Cancelled, Failed
 * and Complete queries keep their status and results.
 */
export class QueryRuns {
  /** Queries under way in this process (tests and shutdown wait for them). */
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: { db: Store; clock: Clock; logger: Logger; execute: QueryExecutor }) {}

  async start(query: QueryDefinition): Promise<string> {
    const queryId = randomUUID();
    const now = this.deps.clock.now();
    await this.deps.db
      .insertInto('logs_insights_queries')
      .values({
        query_id: queryId,
        account_id: query.accountId,
        region: query.region,
        query_string: query.queryString,
        log_group_names: JSON.stringify(query.logGroupNames),
        start_ms: query.startMs,
        end_ms: query.endMs,
        result_limit: query.limit,
        create_time: now,
        status: 'Running',
        output: null,
      })
      .execute();
    await this.trim(query.accountId, query.region, now);
    this.runSoon(queryId, query);
    return queryId;
  }

  /** Runs again the queries a previous process left Running. */
  async resume(): Promise<number> {
    const rows = await this.deps.db.selectFrom('logs_insights_queries').selectAll().where('status', 'in', ['Running', 'Scheduled']).execute();
    for (const row of rows) this.runSoon(row.query_id, toRun(row));
    return rows.length;
  }

  async get(accountId: string, region: string, queryId: string): Promise<QueryRun | undefined> {
    const row = await this.deps.db
      .selectFrom('logs_insights_queries')
      .selectAll()
      .where('query_id', '=', queryId)
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .executeTakeFirst();
    return row ? toRun(row) : undefined;
  }

  /** Newest first. */
  async list(accountId: string, region: string, filter: { status?: string; limit: number; logGroupName?: string }): Promise<QueryRun[]> {
    let q = this.deps.db.selectFrom('logs_insights_queries').selectAll().where('account_id', '=', accountId).where('region', '=', region);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    const rows = await q.orderBy('create_time', 'desc').orderBy('query_id').execute();
    return rows
      .map(toRun)
      .filter((r) => filter.logGroupName === undefined || r.logGroupNames.includes(filter.logGroupName))
      .slice(0, filter.limit);
  }

  /** StopQuery: false when the query is not running. */
  async cancel(accountId: string, region: string, queryId: string): Promise<boolean> {
    const done = await this.deps.db
      .updateTable('logs_insights_queries')
      .set({ status: 'Cancelled' })
      .where('query_id', '=', queryId)
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('status', 'in', ['Running', 'Scheduled'])
      .executeTakeFirst();
    return Number(done.numUpdatedRows) > 0;
  }

  /** Resolves once queries under way have finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private runSoon(queryId: string, query: QueryDefinition): void {
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.deps.execute(query))
      .then(
        (output) => this.finish(queryId, 'Complete', output),
        (err: unknown) => {
          this.deps.logger.warn({ err, queryId }, 'logs insights query failed');
          return this.finish(queryId, 'Failed');
        },
      )
      .catch((err: unknown) => this.deps.logger.error({ err, queryId }, 'logs insights query result not stored'))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Records the outcome unless StopQuery came first. */
  private async finish(queryId: string, status: QueryStatus, output?: QueryOutput): Promise<void> {
    await this.deps.db
      .updateTable('logs_insights_queries')
      .set({ status, output: output ? JSON.stringify(output) : null })
      .where('query_id', '=', queryId)
      .where('status', '=', 'Running')
      .execute();
  }

  private async trim(accountId: string, region: string, now: number): Promise<void> {
    await this.deps.db.deleteFrom('logs_insights_queries').where('create_time', '<', now - QUERY_RESULTS_KEPT_MS).execute();
    const beyond = await this.deps.db
      .selectFrom('logs_insights_queries')
      .select('create_time')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .orderBy('create_time', 'desc')
      .limit(1)
      .offset(MAX_KEPT_QUERIES)
      .executeTakeFirst();
    if (beyond) {
      await this.deps.db
        .deleteFrom('logs_insights_queries')
        .where('account_id', '=', accountId)
        .where('region', '=', region)
        .where('create_time', '<=', beyond.create_time)
        .execute();
    }
  }
}

function toRun(row: Selectable<LogsInsightsQueriesTable>): QueryRun {
  return {
    queryId: row.query_id,
    accountId: row.account_id,
    region: row.region,
    queryString: row.query_string,
    logGroupNames: JSON.parse(row.log_group_names) as string[],
    startMs: Number(row.start_ms),
    endMs: Number(row.end_ms),
    limit: row.result_limit,
    createTime: Number(row.create_time),
    status: row.status as QueryStatus,
    ...(row.output ? { output: JSON.parse(row.output) as QueryOutput } : {}),
  };
}
