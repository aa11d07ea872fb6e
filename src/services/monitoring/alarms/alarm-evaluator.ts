import type { Clock } from '../../../clock.js';
import type { MonitoringDeps } from '../deps.js';
import { ALARM_HISTORY_RETENTION_MS } from '../limits.js';
import { metricStatPoints } from '../metric-stat.js';
import { evaluateQueries } from '../operations/get-metric-data.js';
import { listAlarms, trimHistory, type StoredAlarm } from '../tables/alarms-table.js';
import { alarmPeriodS, alarmQueries } from './alarm-definition.js';
import { evaluateAlarm, type EvaluatedPeriod } from './alarm-evaluation.js';
import { changeAlarmState } from './alarm-transitions.js';

/** How often alarms are looked at: often enough for 10-second high-resolution alarms. */
const EVALUATION_TICK_MS = 10_000;

/**
 * Evaluates every alarm on the clock's ticks over its last complete periods, and moves it
 * through `changeAlarmState` when the evaluation says so. Its own clock, so tests move it past a
 * period's end instead of waiting for it.
 */
export class AlarmEvaluator {
  private timer: { cancel(): void } | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: MonitoringDeps, private readonly clock: Clock) {}

  start(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      void this.evaluateAll().finally(() => this.schedule());
    }, EVALUATION_TICK_MS);
  }

  /** Evaluates every alarm now (one pass at a time). */
  evaluateAll(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    const now = this.clock.now();
    try {
      for (const alarm of await listAlarms(this.deps.db)) {
        if (this.stopped) return;
        await this.evaluate(alarm, now);
      }
      await trimHistory(this.deps.db, now - ALARM_HISTORY_RETENTION_MS);
    } catch (err) {
      this.deps.logger.error({ err }, 'alarm evaluation failed');
    }
  }

  private async evaluate(alarm: StoredAlarm, now: number): Promise<void> {
    const d = alarm.definition;
    const periodS = alarmPeriodS(d);
    const width = periodS * 1000;
    // The last complete periods: the one now running has not all its data yet.
    const end = Math.floor(now / width) * width;
    const from = end - d.evaluationPeriods * width;
    let points: Map<number, number>;
    let statisticName: string;
    const queries = alarmQueries(d);
    if (queries) {
      const [result] = await evaluateQueries(this.deps, alarm.scope, queries, from, end, now);
      points = result?.points ?? new Map();
      statisticName = 'Expression';
    } else {
      statisticName = d.statistic ?? d.extendedStatistic ?? 'Average';
      points = await metricStatPoints(this.deps.metrics, alarm.scope, { metric: d.metric!, periodS, stat: statisticName, unit: d.unit }, from, end, now);
    }
    const periods: EvaluatedPeriod[] = [];
    for (let t = from; t < end; t += width) periods.push({ timestamp: t, value: points.get(t) });
    const result = evaluateAlarm(d, alarm.state, periods, now, periodS, statisticName);
    if (result.state === undefined || result.state === alarm.state) return;
    await changeAlarmState(this.deps, alarm.scope, d.alarmName, { value: result.state, reason: result.reason, reasonData: result.reasonData, at: now });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.running;
  }
}
