import { lambda } from './api.js';
import { metricSeries, sum, type Series } from './metrics.js';

export interface FunctionConfig {
  FunctionName: string;
  FunctionArn: string;
  Runtime?: string;
  Handler?: string;
  MemorySize: number;
  Timeout: number;
  LastModified: string;
  PackageType?: string;
  Role: string;
  CodeSize: number;
  Description?: string;
  Environment?: { Variables?: Record<string, string> };
  Layers?: { Arn: string }[];
  State?: string;
  LastUpdateStatus?: string;
  Version?: string;
}

/** Every function (ListFunctions pages through 50 at a time). */
export async function listAllFunctions(): Promise<FunctionConfig[]> {
  const out: FunctionConfig[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda<{ Functions: FunctionConfig[]; NextMarker?: string }>('GET', '/2015-03-31/functions/', undefined, { Marker: marker, MaxItems: '50' });
    out.push(...page.Functions);
    marker = page.NextMarker;
  } while (marker);
  return out;
}

export interface FunctionActivity {
  invocations: number;
  errors: number;
  /** Epoch seconds of the latest minute with an error. */
  lastErrorAt?: number;
}

/** Invocations and errors of each function over the last `hours`, from CloudWatch. */
export async function activityOf(names: string[], hours: number, nowMs = Date.now()): Promise<Map<string, FunctionActivity>> {
  const start = nowMs - hours * 3_600_000;
  const period = hours <= 1 ? 60 : 3600;
  const queries = names.flatMap((name, i) => [
    { id: `i${i}`, metric: 'Invocations', stat: 'Sum', dimensions: { FunctionName: name } },
    { id: `e${i}`, metric: 'Errors', stat: 'Sum', dimensions: { FunctionName: name } },
  ]);
  const series = names.length > 0 ? await metricSeries(queries, start, nowMs + 60_000, period) : {};
  const out = new Map<string, FunctionActivity>();
  names.forEach((name, i) => {
    const errors: Series | undefined = series[`e${i}`];
    let lastErrorAt: number | undefined;
    errors?.values.forEach((v, j) => {
      if (v > 0) lastErrorAt = errors.timestamps[j];
    });
    out.set(name, { invocations: sum(series[`i${i}`]), errors: sum(errors), ...(lastErrorAt !== undefined ? { lastErrorAt } : {}) });
  });
  return out;
}
