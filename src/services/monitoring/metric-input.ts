import { errors } from './errors.js';
import { optionalString, requiredString, structures, type Input } from './input.js';
import { MAX_DIMENSIONS } from './limits.js';

/** A metric as requests name it (`Metric`, or the members of GetMetricStatistics). */
export interface MetricName {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
}

/** `Dimensions`: name/value pairs, each name once, at most 30. */
export function readDimensions(input: Input, path: string): Record<string, string> {
  const list = structures(input, 'Dimensions');
  if (list.length > MAX_DIMENSIONS) throw errors.invalidParameter(`The collection ${path}Dimensions must not have a size greater than ${MAX_DIMENSIONS}.`);
  const out: Record<string, string> = {};
  list.forEach((d, i) => {
    const name = requiredString(d, 'Name');
    const value = optionalString(d, 'Value');
    if (value === undefined || value === '') throw errors.missing(`${path}Dimensions.member.${i + 1}.Value`);
    if (name.length > 255) throw errors.invalidValue(name, `${path}Dimensions.member.${i + 1}.Name`);
    if (value.length > 1024) throw errors.invalidValue(value, `${path}Dimensions.member.${i + 1}.Value`);
    if (Object.hasOwn(out, name)) throw errors.invalidParameter(`No Metric may specify the same dimension name twice (${name}).`);
    out[name] = value;
  });
  return out;
}

export function readMetric(input: Input, path = ''): MetricName {
  return {
    namespace: requiredString(input, 'Namespace'),
    metricName: requiredString(input, 'MetricName'),
    dimensions: readDimensions(input, path),
  };
}

export function dimensionList(dimensions: Record<string, string>): { Name: string; Value: string }[] {
  return Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));
}
