import { alarmArn, type StoredAlarm } from '../tables/alarms-table.js';
import type { AlarmState } from './alarm-states.js';
import { awsTimestamp } from './alarm-evaluation.js';
import { regionName } from './region-names.js';

export interface StateChange {
  alarm: StoredAlarm;
  oldState: { value: AlarmState; reason: string; reasonData: string | null; at: number };
  newState: { value: AlarmState; reason: string; reasonData: string | null; at: number };
}

/** The SNS notification CloudWatch publishes for a state change: its Subject and JSON Message. */
export function snsAlarmNotification(change: StateChange): { subject: string; message: string } {
  const { alarm } = change;
  const d = alarm.definition;
  const name = d.alarmName;
  const subject = `${change.newState.value}: "${name}" in ${regionName(alarm.scope.region)}`;
  const trigger = d.metric
    ? {
        MetricName: d.metric.metricName,
        Namespace: d.metric.namespace,
        StatisticType: d.statistic ? 'Statistic' : 'ExtendedStatistic',
        Statistic: d.statistic ? d.statistic.toUpperCase() : d.extendedStatistic,
        Unit: d.unit ?? null,
        Dimensions: Object.entries(d.metric.dimensions).map(([n, v]) => ({ value: v, name: n })),
        Period: d.periodS,
        EvaluationPeriods: d.evaluationPeriods,
        DatapointsToAlarm: d.datapointsToAlarm,
        ComparisonOperator: d.comparisonOperator,
        Threshold: d.threshold,
        TreatMissingData: d.treatMissingData,
        EvaluateLowSampleCountPercentile: d.evaluateLowSampleCountPercentile ?? '',
      }
    : {
        Period: undefined,
        EvaluationPeriods: d.evaluationPeriods,
        DatapointsToAlarm: d.datapointsToAlarm,
        ComparisonOperator: d.comparisonOperator,
        Threshold: d.threshold,
        TreatMissingData: d.treatMissingData,
        EvaluateLowSampleCountPercentile: d.evaluateLowSampleCountPercentile ?? '',
        Metrics: d.metrics,
      };
  const message = {
    AlarmName: name,
    AlarmDescription: d.alarmDescription ?? null,
    AWSAccountId: alarm.scope.accountId,
    AlarmConfigurationUpdatedTimestamp: awsTimestamp(alarm.configurationUpdatedAt),
    NewStateValue: change.newState.value,
    NewStateReason: change.newState.reason,
    StateChangeTime: awsTimestamp(change.newState.at),
    Region: regionName(alarm.scope.region),
    AlarmArn: alarmArn(alarm.scope, name),
    OldStateValue: change.oldState.value,
    OKActions: d.okActions,
    AlarmActions: d.alarmActions,
    InsufficientDataActions: d.insufficientDataActions,
    Trigger: trigger,
  };
  return { subject, message: JSON.stringify(message) };
}

/** The event a Lambda alarm action receives (`source: aws.cloudwatch`, `alarmData`). */
export function lambdaAlarmEvent(change: StateChange): Record<string, unknown> {
  const { alarm } = change;
  const d = alarm.definition;
  const metrics = d.metric
    ? [{
        id: `${d.alarmName}-metric`,
        metricStat: {
          metric: { namespace: d.metric.namespace, name: d.metric.metricName, dimensions: d.metric.dimensions },
          period: d.periodS,
          stat: d.statistic ?? d.extendedStatistic,
          ...(d.unit ? { unit: d.unit } : {}),
        },
        returnData: true,
      }]
    : (d.metrics ?? []);
  const state = (s: StateChange['newState']) => ({
    value: s.value,
    reason: s.reason,
    ...(s.reasonData ? { reasonData: s.reasonData } : {}),
    timestamp: awsTimestamp(s.at),
  });
  return {
    source: 'aws.cloudwatch',
    alarmArn: alarmArn(alarm.scope, d.alarmName),
    accountId: alarm.scope.accountId,
    time: awsTimestamp(change.newState.at),
    region: alarm.scope.region,
    alarmData: {
      alarmName: d.alarmName,
      state: state(change.newState),
      previousState: state(change.oldState),
      configuration: { ...(d.alarmDescription ? { description: d.alarmDescription } : {}), metrics },
    },
  };
}
