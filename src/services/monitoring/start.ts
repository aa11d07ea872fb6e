import type { Clock } from '../../clock.js';
import type { StartedService } from '../../contracts/started-service.js';
import { AlarmEvaluator } from './alarms/alarm-evaluator.js';
import type { MonitoringDeps, MonitoringOperation } from './deps.js';
import { alarmOperations } from './operations/alarms.js';
import { getMetricData } from './operations/get-metric-data.js';
import { getMetricStatistics } from './operations/get-metric-statistics.js';
import { listMetrics } from './operations/list-metrics.js';
import { putMetricData } from './operations/put-metric-data.js';
import { createMonitoringService } from './service.js';

export interface StartedMonitoring extends StartedService {
  /** Evaluates every alarm now (tests, after moving the alarm clock past a period). */
  evaluateAlarms(): Promise<void>;
  start(): void;
}

/**
 * CloudWatch metrics and alarms: the API, and the alarm evaluator once the server listens.
 * `alarmClock` drives evaluation (tests move it past a period's end).
 */
export function startMonitoring(deps: MonitoringDeps, alarmClock: Clock = deps.clock): StartedMonitoring {
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
    start: () => evaluator.start(),
    evaluateAlarms: () => evaluator.evaluateAll(),
    close: () => evaluator.stop(),
  };
}
