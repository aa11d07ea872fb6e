import type { MetricDatum } from '../../../contracts/metric-recorder.js';
import type { MonitoringDeps, MonitoringOperation } from '../deps.js';
import { errors } from '../errors.js';
import { optionalDate, optionalInteger, optionalList, optionalNumber, optionalString, optionalStructure, requiredNumber, requiredString, structures, type Input } from '../input.js';
import { MAX_DATAPOINT_AGE_MS, MAX_DATAPOINT_FUTURE_MS, MAX_METRIC_DATA_PER_PUT, MAX_VALUES_PER_DATUM, UNITS } from '../limits.js';
import { readDimensions } from '../metric-input.js';

/** CloudWatch refuses values its storage cannot hold: beyond ±2^360, or smaller in magnitude than 2^-260. */
const MAX_MAGNITUDE = 2 ** 360;
const MIN_MAGNITUDE = 2 ** -260;

/** PutMetricData: every datum validated first, then all recorded (one bad datum rejects the call). */
export function putMetricData(deps: MonitoringDeps): MonitoringOperation {
  return async (input, ctx) => {
    const namespace = requiredString(input, 'Namespace');
    if (namespace.startsWith('AWS/') || namespace.length > 255 || !/^[^:].*$/.test(namespace)) throw errors.invalidValue(namespace, 'Namespace');
    const data = structures(input, 'MetricData');
    if (data.length === 0) throw errors.missing('MetricData');
    if (data.length > MAX_METRIC_DATA_PER_PUT) throw errors.invalidParameter(`The collection MetricData must not have a size greater than ${MAX_METRIC_DATA_PER_PUT}.`);
    const now = deps.clock.now();
    const records: (() => void)[] = [];
    data.forEach((datum, i) => records.push(readDatum(deps, datum, `MetricData.member.${i + 1}.`, { accountId: ctx.accountId, region: ctx.region, namespace }, now)));
    for (const record of records) record();
    return undefined;
  };
}

function readDatum(deps: MonitoringDeps, datum: Input, path: string, base: { accountId: string; region: string; namespace: string }, now: number): () => void {
  const metricName = requiredString(datum, 'MetricName');
  if (metricName.length > 255) throw errors.invalidValue(metricName, `${path}MetricName`);
  const dimensions = readDimensions(datum, path);
  const timestamp = optionalDate(datum, 'Timestamp')?.getTime() ?? now;
  if (timestamp < now - MAX_DATAPOINT_AGE_MS || timestamp > now + MAX_DATAPOINT_FUTURE_MS) {
    throw errors.invalidParameter(`The parameter ${path}Timestamp must specify a time no more than two weeks in the past and no more than two hours in the future.`);
  }
  const unit = optionalString(datum, 'Unit');
  if (unit !== undefined && !UNITS.has(unit)) throw errors.invalidValue(unit, `${path}Unit`);
  const resolution = optionalInteger(datum, 'StorageResolution') ?? 60;
  if (resolution !== 1 && resolution !== 60) throw errors.invalidValue(resolution, `${path}StorageResolution`);
  const common: Omit<MetricDatum, 'value'> = { ...base, metricName, dimensions, unit: unit ?? 'None', timestampMs: timestamp, storageResolution: resolution };

  const value = optionalNumber(datum, 'Value');
  const set = optionalStructure(datum, 'StatisticValues');
  const values = optionalList(datum, 'Values');
  const counts = optionalList(datum, 'Counts');
  const given = [value !== undefined && 'Value', set !== undefined && 'StatisticValues', values !== undefined && 'Values'].filter(Boolean) as string[];
  if (given.length > 1) {
    throw errors.combination(`The parameters ${path}${given[0]} and ${path}${given[1]} are mutually exclusive and you have specified both.`);
  }
  if (given.length === 0) throw errors.combination(`At least one of the parameters ${path}Value, ${path}StatisticValues or ${path}Values must be specified.`);
  if (value !== undefined) {
    checkMagnitude(value, `${path}Value`);
    return () => deps.metrics.record({ ...common, value });
  }
  if (set !== undefined) {
    const stats = {
      sampleCount: requiredNumber(set, 'SampleCount'),
      sum: requiredNumber(set, 'Sum'),
      minimum: requiredNumber(set, 'Minimum'),
      maximum: requiredNumber(set, 'Maximum'),
    };
    for (const [name, v] of Object.entries(stats)) checkMagnitude(v, `${path}StatisticValues.${name}`);
    if (stats.sampleCount <= 0) throw errors.invalidValue(stats.sampleCount, `${path}StatisticValues.SampleCount`);
    if (stats.minimum > stats.maximum) throw errors.invalidParameter(`The parameter ${path}StatisticValues.Maximum must be greater than or equal to ${path}StatisticValues.Minimum.`);
    return () => deps.metrics.recordStatistics({ ...common, ...stats });
  }
  const list = (values ?? []).map((v, j) => numberAt(v, `${path}Values.member.${j + 1}`));
  if (list.length > MAX_VALUES_PER_DATUM) throw errors.invalidParameter(`The collection ${path}Values must not have a size greater than ${MAX_VALUES_PER_DATUM}.`);
  const countList = counts === undefined ? undefined : counts.map((c, j) => numberAt(c, `${path}Counts.member.${j + 1}`));
  if (countList && countList.length !== list.length) throw errors.invalidParameter(`The parameters ${path}Values and ${path}Counts must be of the same size.`);
  list.forEach((v, j) => checkMagnitude(v, `${path}Values.member.${j + 1}`));
  return () => list.forEach((v, j) => deps.metrics.record({ ...common, value: v, count: countList?.[j] ?? 1 }));
}

function numberAt(v: unknown, name: string): number {
  return requiredNumber({ [name]: v }, name);
}

function checkMagnitude(v: number, name: string): void {
  const abs = Math.abs(v);
  if (abs > MAX_MAGNITUDE || (abs !== 0 && abs < MIN_MAGNITUDE)) throw errors.invalidValue(v, name);
}
