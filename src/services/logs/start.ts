import type { Clock } from '../../clock.js';
import type { AsyncInvoker } from '../../contracts/async-invoker.js';
import type { FunctionInvokeCheck } from '../../contracts/function-invoke-check.js';
import type { MetricRecorder } from '../../contracts/metric-recorder.js';
import type { StartedService } from '../../contracts/started-service.js';
import type { Logger } from '../../logger.js';
import type { FunctionLogs } from '../../observability/function-logs.js';
import type { Store } from '../../store/database.js';
import { LogFilterSets } from './filter-sets.js';
import { QueryRuns } from './insights/query-runs.js';
import { MetricFilterRecorder } from './metric-filter-recorder.js';
import { RetentionSweep } from './retention-sweep.js';
import { createLogsService } from './service.js';
import { queryExecutor } from './operations/queries.js';
import { SubscriptionDelivery } from './subscription-delivery.js';
import { enqueueSubscriptionDeliveries } from './subscription-outbox.js';

export interface StartedLogs extends StartedService {
  /** The retention sweep's timer, once functions can reach us. */
  start(): void;
  /** Deletes what is past retention now (tests). */
  sweepRetention(): Promise<void>;
  /** Waits until subscription deliveries of events already stored are handed to Lambda (tests). */
  deliveriesSettled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * CloudWatch Logs over the function log store: the API, subscription delivery and metric filters
 * on every stored batch (function output and PutLogEvents alike), and the retention sweep.
 */
export async function startLogs(options: {
  db: Store;
  clock: Clock;
  logger: Logger;
  logs: FunctionLogs;
  asyncInvoker: AsyncInvoker;
  functions: FunctionInvokeCheck;
  /** Where metric filters record their values (CloudWatch metrics). */
  metrics: MetricRecorder;
}): Promise<StartedLogs> {
  const { db, clock, logger, logs } = options;
  const filters = new LogFilterSets(db);
  await filters.load();
  const delivery = new SubscriptionDelivery({ db, clock, asyncInvoker: options.asyncInvoker, logger });
  const metricFilters = new MetricFilterRecorder({ filters, metrics: options.metrics });
  // What subscribers are owed commits with the events themselves; handed on once committed.
  // (By the write's own array: writes may commit while another's listeners have yet to run.)
  const queuedBy = new WeakSet<object>();
  logs.withinWrite(async (trx, written) => {
    if ((await enqueueSubscriptionDeliveries(trx, filters, written, clock.now())) > 0) queuedBy.add(written);
  });
  logs.onWritten((written) => {
    if (queuedBy.has(written)) delivery.wake();
    metricFilters.written(written);
  });
  const sweep = new RetentionSweep({ logs, clock, logger });
  const queries = new QueryRuns({ db, clock, logger, execute: queryExecutor(db) });
  return {
    service: createLogsService({ db, clock, logger, logs, filters, queries, functions: options.functions }),
    start() {
      // Documents a previous run queued and did not hand on, and the queries it was running.
      delivery.wake();
      queries.resume().catch((err: unknown) => logger.error({ err }, 'logs insights queries could not be resumed'));
      sweep.start();
      void sweep.sweepNow();
    },
    // Every log group as DeleteLogGroup removes it (streams, events, metric and subscription
    // filters, the writer's and the filters' caches), then deliveries owed and Insights queries.
    // Function output written afterwards creates its group again, as Lambda does.
    reset: async () => {
      for (const g of await db.selectFrom('logs_groups').select(['account_id', 'region', 'name']).execute()) {
        await logs.deleteGroup(g.account_id, g.region, g.name);
        filters.forgetGroup({ accountId: g.account_id, region: g.region, name: g.name });
      }
      for (const table of ['logs_subscription_deliveries', 'logs_insights_queries'] as const) await db.deleteFrom(table).execute();
    },
    sweepRetention: () => sweep.sweepNow(),
    deliveriesSettled: () => delivery.settled(),
    async close() {
      await sweep.close();
      await delivery.close();
      await queries.settled();
    },
  };
}
