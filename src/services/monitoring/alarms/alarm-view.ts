import { dimensionList } from '../metric-input.js';
import { alarmArn, type StoredAlarm } from '../tables/alarms-table.js';

/** An alarm as DescribeAlarms and DescribeAlarmsForMetric answer it (`MetricAlarm`). */
export function metricAlarmView(alarm: StoredAlarm): Record<string, unknown> {
  const d = alarm.definition;
  return {
    AlarmName: d.alarmName,
    AlarmArn: alarmArn(alarm.scope, d.alarmName),
    AlarmDescription: d.alarmDescription,
    AlarmConfigurationUpdatedTimestamp: new Date(alarm.configurationUpdatedAt),
    ActionsEnabled: alarm.actionsEnabled,
    OKActions: d.okActions,
    AlarmActions: d.alarmActions,
    InsufficientDataActions: d.insufficientDataActions,
    StateValue: alarm.state,
    StateReason: alarm.stateReason,
    StateReasonData: alarm.stateReasonData ?? undefined,
    StateUpdatedTimestamp: new Date(alarm.stateUpdatedAt),
    MetricName: d.metric?.metricName,
    Namespace: d.metric?.namespace,
    Statistic: d.statistic,
    ExtendedStatistic: d.extendedStatistic,
    Dimensions: d.metric ? dimensionList(d.metric.dimensions) : [],
    Period: d.periodS,
    Unit: d.unit,
    EvaluationPeriods: d.evaluationPeriods,
    DatapointsToAlarm: d.datapointsToAlarm,
    Threshold: d.threshold,
    ComparisonOperator: d.comparisonOperator,
    TreatMissingData: d.treatMissingData,
    EvaluateLowSampleCountPercentile: d.evaluateLowSampleCountPercentile,
    Metrics: d.metrics,
    StateTransitionedTimestamp: new Date(alarm.stateTransitionedAt),
  };
}
