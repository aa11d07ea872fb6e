import { errors } from '../errors.js';
import { optionalBoolean, optionalInteger, optionalString, requiredNumber, requiredString, strings, structures, type Input } from '../input.js';
import { MAX_ALARM_ACTIONS, UNITS } from '../limits.js';
import { readDimensions, type MetricName } from '../metric-input.js';
import { readMetricDataQueries, type MetricDataQuery } from '../operations/get-metric-data.js';
import { isPercentile, isStatistic } from '../statistics.js';

export const COMPARISON_OPERATORS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
export const TREAT_MISSING_DATA = ['breaching', 'notBreaching', 'ignore', 'missing'] as const;
export type TreatMissingData = (typeof TREAT_MISSING_DATA)[number];

/** An alarm's settings as PutMetricAlarm took them, stored as JSON. */
export interface AlarmDefinition {
  alarmName: string;
  alarmDescription?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  /** One metric and statistic … */
  metric?: MetricName;
  statistic?: string;
  extendedStatistic?: string;
  periodS?: number;
  unit?: string;
  /** … or metric math (`Metrics`), as GetMetricData's queries. */
  metrics?: Input[];
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  treatMissingData: TreatMissingData;
  evaluateLowSampleCountPercentile?: string;
}

/** Which periods CloudWatch alarms accept: 10, 20, 30 (high resolution) or a multiple of 60 seconds. */
function checkAlarmPeriod(periodS: number, name: string): void {
  if (!Number.isInteger(periodS) || periodS <= 0 || (periodS < 60 ? ![10, 20, 30].includes(periodS) : periodS % 60 !== 0)) {
    throw errors.invalidParameter(`The parameter ${name} must be 10, 20, 30 or a multiple of 60.`);
  }
}

function actions(input: Input, name: string): string[] {
  const list = strings(input, name);
  if (list.length > MAX_ALARM_ACTIONS) throw errors.invalidParameter(`The collection ${name} must not have a size greater than ${MAX_ALARM_ACTIONS}.`);
  for (const arn of list) {
    // Lambkin runs SNS and Lambda actions; Auto Scaling, EC2, Systems Manager targets do not exist here.
    if (!/^arn:aws[a-z-]*:(sns|lambda):[a-z0-9-]+:\d{12}:.+/.test(arn)) throw errors.invalidValue(arn, name);
  }
  return list;
}

export function readAlarmDefinition(input: Input): AlarmDefinition {
  const alarmName = requiredString(input, 'AlarmName');
  if (alarmName.length > 255) throw errors.invalidValue(alarmName, 'AlarmName');
  const evaluationPeriods = optionalInteger(input, 'EvaluationPeriods');
  if (evaluationPeriods === undefined) throw errors.missing('EvaluationPeriods');
  if (evaluationPeriods < 1) throw errors.invalidValue(evaluationPeriods, 'EvaluationPeriods');
  const datapointsToAlarm = optionalInteger(input, 'DatapointsToAlarm') ?? evaluationPeriods;
  if (datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
    throw errors.invalidParameter('DatapointsToAlarm must be greater than 0 and less than or equal to EvaluationPeriods.');
  }
  const comparisonOperator = requiredString(input, 'ComparisonOperator');
  if (!(COMPARISON_OPERATORS as readonly string[]).includes(comparisonOperator)) throw errors.invalidValue(comparisonOperator, 'ComparisonOperator');
  const threshold = requiredNumber(input, 'Threshold');
  const treatMissingData = optionalString(input, 'TreatMissingData') ?? 'missing';
  if (!(TREAT_MISSING_DATA as readonly string[]).includes(treatMissingData)) throw errors.invalidValue(treatMissingData, 'TreatMissingData');
  const definition: AlarmDefinition = {
    alarmName,
    alarmDescription: optionalString(input, 'AlarmDescription'),
    actionsEnabled: optionalBoolean(input, 'ActionsEnabled') ?? true,
    okActions: actions(input, 'OKActions'),
    alarmActions: actions(input, 'AlarmActions'),
    insufficientDataActions: actions(input, 'InsufficientDataActions'),
    evaluationPeriods,
    datapointsToAlarm,
    threshold,
    comparisonOperator: comparisonOperator as ComparisonOperator,
    treatMissingData: treatMissingData as TreatMissingData,
    evaluateLowSampleCountPercentile: optionalString(input, 'EvaluateLowSampleCountPercentile'),
  };
  const metrics = structures(input, 'Metrics');
  const metricName = optionalString(input, 'MetricName');
  if (metrics.length > 0) {
    if (metricName !== undefined || input.Statistic !== undefined || input.Namespace !== undefined) {
      throw errors.combination('Metrics list cannot be combined with MetricName, Namespace, Statistic or ExtendedStatistic.');
    }
    const queries = readMetricDataQueries({ MetricDataQueries: metrics });
    if (queries.filter((q) => q.returnData).length !== 1) throw errors.invalidParameter('Exactly one element of the Metrics list must return data.');
    for (const q of queries) if ('stat' in q) checkAlarmPeriod(q.stat.periodS, 'Metrics.Period');
    definition.metrics = metrics;
    return definition;
  }
  if (metricName === undefined) throw errors.missing('MetricName');
  const namespace = requiredString(input, 'Namespace');
  const statistic = optionalString(input, 'Statistic');
  const extendedStatistic = optionalString(input, 'ExtendedStatistic');
  if ((statistic === undefined) === (extendedStatistic === undefined)) throw errors.combination('Exactly one of Statistic or ExtendedStatistic must be specified.');
  if (statistic !== undefined && !isStatistic(statistic)) throw errors.invalidValue(statistic, 'Statistic');
  if (extendedStatistic !== undefined && !isPercentile(extendedStatistic)) throw errors.invalidValue(extendedStatistic, 'ExtendedStatistic');
  const periodS = optionalInteger(input, 'Period');
  if (periodS === undefined) throw errors.missing('Period');
  checkAlarmPeriod(periodS, 'Period');
  if (periodS * evaluationPeriods > 7 * 86_400) throw errors.invalidParameter('The product of Period and EvaluationPeriods must not exceed 604800 seconds (7 days).');
  const unit = optionalString(input, 'Unit');
  if (unit !== undefined && !UNITS.has(unit)) throw errors.invalidValue(unit, 'Unit');
  return { ...definition, metric: { namespace, metricName, dimensions: readDimensions(input, '') }, statistic, extendedStatistic, periodS, unit };
}

/** The alarm's metric math queries, parsed again from what was stored. */
export function alarmQueries(definition: AlarmDefinition): MetricDataQuery[] | undefined {
  return definition.metrics ? readMetricDataQueries({ MetricDataQueries: definition.metrics }) : undefined;
}

/** The period the alarm evaluates: its own, or its metric math's shortest. */
export function alarmPeriodS(definition: AlarmDefinition): number {
  if (definition.periodS !== undefined) return definition.periodS;
  const periods = (alarmQueries(definition) ?? []).flatMap((q) => ('stat' in q ? [q.stat.periodS] : q.periodS ? [q.periodS] : []));
  return periods.length > 0 ? Math.min(...periods) : 60;
}

export function breaches(op: ComparisonOperator, value: number, threshold: number): boolean {
  switch (op) {
    case 'GreaterThanOrEqualToThreshold': return value >= threshold;
    case 'GreaterThanThreshold': return value > threshold;
    case 'LessThanThreshold': return value < threshold;
    case 'LessThanOrEqualToThreshold': return value <= threshold;
  }
}

/** `greater than or equal to`, as the state reason words it. */
export function comparisonWords(op: ComparisonOperator): string {
  switch (op) {
    case 'GreaterThanOrEqualToThreshold': return 'greater than or equal to';
    case 'GreaterThanThreshold': return 'greater than';
    case 'LessThanThreshold': return 'less than';
    case 'LessThanOrEqualToThreshold': return 'less than or equal to';
  }
}
