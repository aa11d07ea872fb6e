import type { MetricRecorder } from '../contracts/metric-recorder.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/database.js';

/** AWS's CloudWatch metric names for deliveries that did not happen. */
export type DeliveryFailureMetric = 'DeadLetterErrors' | 'DestinationDeliveryFailures';

export interface FunctionRef {
  accountId: string;
  region: string;
  functionName: string;
}

/**
 * Counts failed DLQ and destination deliveries per function in the store, logs each one, and
 * records it in CloudWatch's `AWS/Lambda` under the same metric name.
 */
export class DeliveryFailures {
  constructor(
    private readonly db: Store,
    private readonly logger: Logger,
    private readonly metrics?: MetricRecorder,
  ) {}

  async record(fn: FunctionRef, metric: DeliveryFailureMetric, target: string, error: string, nowMs: number): Promise<void> {
    this.logger.warn({ accountId: fn.accountId, region: fn.region, functionName: fn.functionName, metric, target, error }, 'asynchronous invocation: delivery failed');
    const base = { accountId: fn.accountId, region: fn.region, namespace: 'AWS/Lambda', metricName: metric, value: 1, unit: 'Count', timestampMs: nowMs };
    this.metrics?.record({ ...base, dimensions: { FunctionName: fn.functionName } });
    this.metrics?.record(base);
    const lastError = `${target}: ${error}`.slice(0, 2048);
    await this.db
      .insertInto('async_delivery_failures')
      .values({ account_id: fn.accountId, region: fn.region, function_name: fn.functionName, metric, count: 1, last_error: lastError, last_at: nowMs })
      .onConflict((oc) =>
        oc.columns(['account_id', 'region', 'function_name', 'metric']).doUpdateSet((eb) => ({
          count: eb('async_delivery_failures.count', '+', 1),
          last_error: lastError,
          last_at: nowMs,
        })),
      )
      .execute();
  }

  async count(fn: FunctionRef, metric: DeliveryFailureMetric): Promise<number> {
    const row = await this.db
      .selectFrom('async_delivery_failures')
      .select('count')
      .where('account_id', '=', fn.accountId)
      .where('region', '=', fn.region)
      .where('function_name', '=', fn.functionName)
      .where('metric', '=', metric)
      .executeTakeFirst();
    return row?.count ?? 0;
  }
}
