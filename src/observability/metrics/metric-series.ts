/** A metric as CloudWatch identifies it: namespace, name and its exact set of dimensions. */
export interface MetricIdentity {
  namespace: string;
  metricName: string;
  dimensions: Readonly<Record<string, string>>;
}

/** Canonical text of a dimension set (sorted by name), one key per series whatever the order sent. */
export function dimensionsKey(dimensions: Readonly<Record<string, string>> | undefined): string {
  if (!dimensions) return '[]';
  const names = Object.keys(dimensions);
  if (names.length === 0) return '[]';
  names.sort();
  return JSON.stringify(names.map((n) => [n, dimensions[n]]));
}

export function dimensionsOfKey(key: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of JSON.parse(key) as [string, string][]) out[name] = value;
  return out;
}
