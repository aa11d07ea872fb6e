import { breaches, comparisonWords, type AlarmDefinition } from './alarm-definition.js';
import type { AlarmState } from './alarm-states.js';

/** One evaluated period: its start and the statistic, or undefined when it had no data. */
export interface EvaluatedPeriod {
  timestamp: number;
  value: number | undefined;
  sampleCount?: number;
}

export interface Evaluation {
  /** The state the alarm should be in; undefined keeps it as it is (`ignore` with nothing to go on). */
  state: AlarmState | undefined;
  reason: string;
  reasonData: string;
}

/**
 * CloudWatch's "M out of N": over the last `EvaluationPeriods` periods, ALARM when at least
 * `DatapointsToAlarm` breach; OK when any period has data (or counts as data under
 * `TreatMissingData`) and they do not; otherwise INSUFFICIENT_DATA (`missing`) or no change
 * (`ignore`). `breaching` and `notBreaching` fill empty periods with a breaching or good value.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
 */
export function evaluateAlarm(definition: AlarmDefinition, current: AlarmState, periods: EvaluatedPeriod[], nowMs: number, periodS: number, statisticName: string): Evaluation {
  const m = definition.datapointsToAlarm;
  const n = definition.evaluationPeriods;
  const present = periods.filter((p) => p.value !== undefined) as (EvaluatedPeriod & { value: number })[];
  const missing = periods.length - present.length;
  const breachingPresent = present.filter((p) => breaches(definition.comparisonOperator, p.value, definition.threshold));
  const mode = definition.treatMissingData;
  const breaching = breachingPresent.length + (mode === 'breaching' ? missing : 0);
  const counted = present.length + (mode === 'breaching' || mode === 'notBreaching' ? missing : 0);
  const newestFirst = [...present].sort((a, b) => b.timestamp - a.timestamp);
  const reasonData = JSON.stringify({
    version: '1.0',
    queryDate: awsTimestamp(nowMs),
    startDate: awsTimestamp(periods[0]?.timestamp ?? nowMs),
    statistic: statisticName,
    period: periodS,
    recentDatapoints: newestFirst.map((p) => p.value).reverse(),
    threshold: definition.threshold,
    evaluatedDatapoints: newestFirst.map((p) => ({ timestamp: awsTimestamp(p.timestamp), ...(p.sampleCount !== undefined ? { sampleCount: p.sampleCount } : {}), value: p.value })),
  });
  const listed = `[${newestFirst.map((p) => `${javaDouble(p.value)} (${reasonDate(p.timestamp)})`).join(', ')}]`;
  const words = comparisonWords(definition.comparisonOperator);
  if (breaching >= m) {
    const verb = breaching === 1 ? 'was' : 'were';
    return {
      state: 'ALARM',
      reason: `Threshold Crossed: ${breaching} out of the last ${n} datapoints ${listed} ${verb} ${words} the threshold (${javaDouble(definition.threshold)}) (minimum ${m} datapoint${m === 1 ? '' : 's'} for ${stateWords(current)} -> ALARM transition).`,
      reasonData,
    };
  }
  // Any data that does not reach M breaching periods is enough to say OK.
  if (counted > 0) {
    return {
      state: 'OK',
      reason: `Threshold Crossed: ${n - breaching} out of the last ${n} datapoints ${listed} ${n - breaching === 1 ? 'was' : 'were'} not ${words} the threshold (${javaDouble(definition.threshold)}) (minimum ${n - m + 1} datapoint${n - m + 1 === 1 ? '' : 's'} for ${stateWords(current)} -> OK transition).`,
      reasonData,
    };
  }
  if (mode === 'ignore') return { state: undefined, reason: '', reasonData };
  return {
    state: 'INSUFFICIENT_DATA',
    reason: `Insufficient Data: ${missing} datapoint${missing === 1 ? ' was' : 's were'} unknown.`,
    reasonData,
  };
}

function stateWords(state: AlarmState): string {
  return state;
}

/** CloudWatch's timestamp text in alarm data: `2026-12-06T10:31:00.000+0000`. */
export function awsTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** `06/12/26 10:30:00`, as state reasons date their datapoints. */
function reasonDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** Numbers as CloudWatch's Java service prints them: `1.0`, `2.5`. */
export function javaDouble(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}
