import type { Clock } from '../../clock.js';
import type { RequestContext } from '../../contracts/request-context.js';
import type { FunctionInvokeCheck } from '../../contracts/function-invoke-check.js';
import type { Logger } from '../../logger.js';
import type { FunctionLogs } from '../../observability/function-logs.js';
import type { Store } from '../../store/database.js';
import type { LogFilterSets } from './filter-sets.js';
import type { QueryRuns } from './insights/query-runs.js';

export interface LogsDeps {
  db: Store;
  clock: Clock;
  logger: Logger;
  /** The one writer of the log store (function output and PutLogEvents). */
  logs: FunctionLogs;
  /** Subscription and metric filters by group, kept in memory for the write path. */
  filters: LogFilterSets;
  queries: QueryRuns;
  /** Lambda's check that a subscription's destination function exists and lets Logs invoke it. */
  functions: FunctionInvokeCheck;
}

/** One operation: the request's members in, the answer's members out. */
export type LogsOperation = (input: Record<string, unknown>, ctx: RequestContext) => Promise<Record<string, unknown> | void>;
