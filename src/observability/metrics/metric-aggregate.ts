import { addValue, mergeDistribution, type Distribution } from './value-distribution.js';

/**
 * What one data point holds: CloudWatch's statistic set, and the values themselves while every
 * one of them is known (a pre-aggregated statistic set makes the distribution unknown).
 */
export interface MetricAggregate {
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  distribution: Distribution | null;
}

export function aggregateOfValue(value: number, count: number): MetricAggregate {
  return { sampleCount: count, sum: value * count, minimum: value, maximum: value, distribution: new Map([[value, count]]) };
}

export function addToAggregate(a: MetricAggregate, value: number, count: number): void {
  a.sampleCount += count;
  a.sum += value * count;
  if (value < a.minimum) a.minimum = value;
  if (value > a.maximum) a.maximum = value;
  if (a.distribution) addValue(a.distribution, value, count);
}

/** Folds `from` into `into`; `from` is not used afterwards. */
export function mergeAggregate(into: MetricAggregate, from: MetricAggregate): void {
  into.sampleCount += from.sampleCount;
  into.sum += from.sum;
  into.minimum = Math.min(into.minimum, from.minimum);
  into.maximum = Math.max(into.maximum, from.maximum);
  if (into.distribution && from.distribution) mergeDistribution(into.distribution, from.distribution);
  else into.distribution = null;
}
