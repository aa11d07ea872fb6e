/**
 * The values behind a data point, value → how often, so percentiles can be read back as CloudWatch
 * does for raw values. Kept small: past `MAX_DISTINCT_VALUES` distinct values, each is rounded to
 * `SIGNIFICANT_DIGITS` significant digits (a relative error under 0.05%, below CloudWatch's own
 * percentile approximation).
 */
export type Distribution = Map<number, number>;

const MAX_DISTINCT_VALUES = 2_000;
const SIGNIFICANT_DIGITS = 4;

export function addValue(d: Distribution, value: number, count: number): void {
  d.set(value, (d.get(value) ?? 0) + count);
  if (d.size > MAX_DISTINCT_VALUES) compact(d, SIGNIFICANT_DIGITS);
}

export function mergeDistribution(into: Distribution, from: Distribution): void {
  for (const [value, count] of from) into.set(value, (into.get(value) ?? 0) + count);
  for (let digits = SIGNIFICANT_DIGITS; into.size > MAX_DISTINCT_VALUES && digits > 0; digits--) compact(into, digits);
}

function compact(d: Distribution, digits: number): void {
  const entries = [...d];
  d.clear();
  for (const [value, count] of entries) {
    const rounded = value === 0 ? 0 : Number(value.toPrecision(digits));
    d.set(rounded, (d.get(rounded) ?? 0) + count);
  }
}

/** The value at percentile `p` (0–100) by nearest rank: the smallest value with at least p% of samples at or below it. */
export function percentile(d: Distribution, p: number): number | undefined {
  const sorted = [...d].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((n, [, count]) => n + count, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return sorted[sorted.length - 1]?.[0];
}

export function encodeDistribution(d: Distribution): string {
  return JSON.stringify([...d]);
}

export function decodeDistribution(text: string): Distribution {
  return new Map(JSON.parse(text) as [number, number][]);
}
