/** Nearest-rank percentile (p in 0..1) of a sample; NaN when the sample is empty. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export const median = (samples: readonly number[]): number => percentile(samples, 0.5);

/** Three decimals: enough for sub-millisecond latencies, short enough for a table. */
export const round3 = (x: number): number => Math.round(x * 1000) / 1000;
