import type { Clock } from '../../clock.js';
import type { StartedService } from '../../contracts/started-service.js';
import { AlarmEvaluator } from './alarms/alarm-evaluator.js';
import { AlarmActionDelivery } from './alarms/alarm-action-delivery.js';
import type { MonitoringDeps, MonitoringOperation, MonitoringStartDeps } from './deps.js';
import { alarmOperations } from './operations/alarms.js';
import { getMetricData } from './operations/get-metric-data.js';
import { getMetricStatistics } from './operations/get-metric-statistics.js';
import { listMetrics } from './operations/list-metrics.js';
import { putMetricData } from './operations/put-metric-data.js';
import { createMonitoringService } from './service.js';

export interface StartedMonitoring extends StartedService {
  /** Evaluates every alarm now (tests, after moving the alarm clock past a period). */
  evaluateAlarms(): Promise<void>;
  /** Resolves once the actions of changes so far are handed on (tests). */
  alarmActionsIdle(): Promise<void>;
  start(): void;
}

/**
 * CloudWatch metrics and alarms: the API, and the alarm evaluator once the server listens.
 * `alarmClock` drives evaluation (tests move it past a period's end). State changes queue their
 * actions in their own transaction; a drain hands them on (at least once, across crashes).
 */
export function startMonitoring(startDeps: MonitoringStartDeps, alarmClock: Clock = startDeps.clock): StartedMonitoring {
  const alarmActions = new AlarmActionDelivery(startDeps);
  const deps: MonitoringDeps = { ...startDeps, alarmActions };
  const evaluator = new AlarmEvaluator(deps, alarmClock);
  const operations: Record<string, MonitoringOperation> = {
    PutMetricData: putMetricData(deps),
    ListMetrics: listMetrics(deps),
    GetMetricStatistics: getMetricStatistics(deps),
    GetMetricData: getMetricData(deps),
    // A new or changed alarm is evaluated at once rather than at the next tick.
    ...alarmOperations(deps, () => void evaluator.evaluateAll()),
  };
  return {
    service: createMonitoringService(operations),
    start() {
      // Actions a previous run queued and did not hand on go first.
      alarmActions.wake();
      evaluator.start();
    },
    // Every account's metrics, alarms with their history, and the alarm actions not yet handed on;
    // the evaluator keeps ticking over no alarms, and an action being handed on finishes first.
    reset: async () => {
      await alarmActions.idle();
      await startDeps.db.transaction().execute(async (trx) => {
        for (const table of ['cw_alarm_actions', 'cw_alarm_history', 'cw_alarms', 'cw_metric_datapoints'] as const) await trx.deleteFrom(table).execute();
      });
    },
    evaluateAlarms: () => evaluator.evaluateAll(),
    alarmActionsIdle: () => alarmActions.idle(),
    async close() {
      await evaluator.stop();
      await alarmActions.close();
    },
  };
}
