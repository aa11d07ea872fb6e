import type { Clock } from '../../clock.js';
import type { AsyncInvoker } from '../../contracts/async-invoker.js';
import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { RequestContext } from '../../contracts/request-context.js';
import type { Logger } from '../../logger.js';
import type { MetricStore } from '../../observability/metrics/metric-store.js';
import type { Store } from '../../store/database.js';
import type { Input } from './input.js';

export interface MonitoringDeps {
  db: Store;
  clock: Clock;
  logger: Logger;
  metrics: MetricStore;
  /** Alarm actions: SNS topics through the sinks, Lambda functions through the async invoker. */
  sinks: DeliverySinks;
  asyncInvoker: AsyncInvoker;
}

export type MonitoringOperation = (input: Input, ctx: RequestContext) => Promise<Record<string, unknown> | undefined>;
