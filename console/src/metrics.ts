import { rpc } from './api.js';

export interface Series {
  timestamps: number[]; // epoch seconds, ascending
  values: number[];
}

export interface MetricQuery {
  id: string;
  metric: string;
  stat: string;
  dimensions?: Record<string, string>;
  namespace?: string;
}

const MAX_QUERIES_PER_CALL = 500;

/** GetMetricData over [start, end) at `periodSeconds`, one series per query (ascending time). */
export async function metricSeries(queries: MetricQuery[], startMs: number, endMs: number, periodSeconds: number): Promise<Record<string, Series>> {
  const out: Record<string, Series> = {};
  for (let i = 0; i < queries.length; i += MAX_QUERIES_PER_CALL) {
    const batch = queries.slice(i, i + MAX_QUERIES_PER_CALL);
    let token: string | undefined;
    do {
      const answer = await rpc<{ MetricDataResults?: { Id: string; Timestamps?: number[]; Values?: number[] }[]; NextToken?: string }>('monitoring', 'GetMetricData', {
        StartTime: Math.floor(startMs / 1000),
        EndTime: Math.ceil(endMs / 1000),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: batch.map((q) => ({
          Id: q.id,
          ReturnData: true,
          MetricStat: {
            Metric: {
              Namespace: q.namespace ?? 'AWS/Lambda',
              MetricName: q.metric,
              Dimensions: Object.entries(q.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })),
            },
            Period: periodSeconds,
            Stat: q.stat,
          },
        })),
        ...(token ? { NextToken: token } : {}),
      });
      for (const r of answer.MetricDataResults ?? []) {
        const s = (out[r.Id] ??= { timestamps: [], values: [] });
        s.timestamps.push(...(r.Timestamps ?? []).map(Number));
        s.values.push(...(r.Values ?? []));
      }
      token = answer.NextToken;
    } while (token);
  }
  for (const s of Object.values(out)) sortSeries(s);
  return out;
}

function sortSeries(s: Series): void {
  const order = s.timestamps.map((_, i) => i).sort((a, b) => s.timestamps[a]! - s.timestamps[b]!);
  s.timestamps = order.map((i) => s.timestamps[i]!);
  s.values = order.map((i) => s.values[i]!);
}

/** A series with every period of the range present (0 where no data), as a chart wants it. */
export function filled(s: Series | undefined, startMs: number, endMs: number, periodSeconds: number, empty = 0): Series {
  const byTime = new Map<number, number>();
  s?.timestamps.forEach((t, i) => byTime.set(t, s.values[i]!));
  const first = Math.floor(startMs / 1000 / periodSeconds) * periodSeconds;
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let t = first; t < endMs / 1000; t += periodSeconds) {
    timestamps.push(t);
    values.push(byTime.get(t) ?? empty);
  }
  return { timestamps, values };
}

export const sum = (s: Series | undefined): number => (s ? s.values.reduce((a, b) => a + b, 0) : 0);
