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
import { SubscriptionDelivery } from './subscription-delivery.js';

export interface StartedLogs extends StartedService {
  /** The retention sweep's timer, once functions can reach us. */
  start(): void;
  /** Deletes what is past retention now (tests). */
  sweepRetention(): Promise<void>;
  /** Waits until subscription deliveries of events already stored are queued (tests). */
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
  const delivery = new SubscriptionDelivery({ filters, asyncInvoker: options.asyncInvoker, logger });
  const metricFilters = new MetricFilterRecorder({ filters, metrics: options.metrics });
  logs.onWritten((written) => {
    delivery.written(written);
    metricFilters.written(written);
  });
  const sweep = new RetentionSweep({ logs, clock, logger });
  return {
    service: createLogsService({ db, clock, logger, logs, filters, queries: new QueryRuns(logger), functions: options.functions }),
    start() {
      sweep.start();
      void sweep.sweepNow();
    },
    sweepRetention: () => sweep.sweepNow(),
    deliveriesSettled: () => delivery.settled(),
    async close() {
      await sweep.close();
      await delivery.settled();
    },
  };
}
