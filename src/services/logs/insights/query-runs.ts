import { randomUUID } from 'node:crypto';
import type { Logger } from '../../../logger.js';
import { MAX_KEPT_QUERIES } from '../limits.js';
import type { QueryOutput } from './run-query.js';

export type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled';

export interface QueryRun {
  queryId: string;
  accountId: string;
  region: string;
  queryString: string;
  logGroupNames: string[];
  createTime: number;
  status: QueryStatus;
  output?: QueryOutput;
}

/**
 * Logs Insights queries of this server, kept in memory (AWS keeps results 7 days; here they last
 * until restart, the newest MAX_KEPT_QUERIES). A query runs on the next turn of the event loop,
 * so StartQuery answers at once and GetQueryResults sees Running until it is done.
 */
export class QueryRuns {
  private readonly runs = new Map<string, QueryRun>();

  constructor(private readonly logger: Logger) {}

  start(run: Omit<QueryRun, 'queryId' | 'status'>, execute: () => Promise<QueryOutput>): string {
    const queryId = randomUUID();
    const entry: QueryRun = { ...run, queryId, status: 'Running' };
    this.runs.set(queryId, entry);
    while (this.runs.size > MAX_KEPT_QUERIES) this.runs.delete(this.runs.keys().next().value!);
    setImmediate(() => {
      if (entry.status !== 'Running') return;
      execute()
        .then((output) => {
          if (entry.status !== 'Running') return;
          entry.output = output;
          entry.status = 'Complete';
        })
        .catch((err: unknown) => {
          this.logger.warn({ err, queryId }, 'logs insights query failed');
          if (entry.status === 'Running') entry.status = 'Failed';
        });
    });
    return queryId;
  }

  get(accountId: string, region: string, queryId: string): QueryRun | undefined {
    const run = this.runs.get(queryId);
    return run && run.accountId === accountId && run.region === region ? run : undefined;
  }

  list(accountId: string, region: string): QueryRun[] {
    return [...this.runs.values()].filter((r) => r.accountId === accountId && r.region === region).reverse();
  }
}
