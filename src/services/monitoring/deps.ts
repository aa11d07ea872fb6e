import type { Clock } from '../../clock.js';
import type { AsyncInvoker } from '../../contracts/async-invoker.js';
import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { RequestContext } from '../../contracts/request-context.js';
import type { Logger } from '../../logger.js';
import type { MetricStore } from '../../observability/metrics/metric-store.js';
import type { Store } from '../../store/database.js';
import type { Input } from './input.js';

/** What the monitoring service is started with (server.ts). */
export interface MonitoringStartDeps {
  db: Store;
  clock: Clock;
  logger: Logger;
  metrics: MetricStore;
  /** Alarm actions: SNS topics through the sinks, Lambda functions through the async invoker. */
  sinks: DeliverySinks;
  asyncInvoker: AsyncInvoker;
}

/** What its operations and the alarm evaluator use: the above, and the alarm action outbox's drain. */
export interface MonitoringDeps extends MonitoringStartDeps {
  alarmActions: { now(): number; wake(): void };
}

export type MonitoringOperation = (input: Input, ctx: RequestContext) => Promise<Record<string, unknown> | undefined>;
