import { send } from './api.js';

export interface InvokeResult {
  status: number;
  requestId: string;
  functionError?: string;
  payload: string;
  log: string;
  report?: Record<string, string>;
  executedVersion?: string;
  tookMs: number;
}

/** RequestResponse invoke with the log tail (X-Amz-Log-Type: Tail), as the console's Test does. */
export async function invoke(name: string, payload: string, qualifier?: string): Promise<InvokeResult> {
  const started = performance.now();
  const res = await send({
    service: 'lambda',
    method: 'POST',
    path: `/2015-03-31/functions/${encodeURIComponent(name)}/invocations`,
    ...(qualifier ? { query: { Qualifier: qualifier } } : {}),
    headers: { 'x-amz-log-type': 'Tail', 'x-amz-invocation-type': 'RequestResponse', 'content-type': 'application/json' },
    body: payload,
  });
  const text = await res.text();
  const logB64 = res.headers.get('x-amz-log-result');
  const log = logB64 ? new TextDecoder().decode(Uint8Array.from(atob(logB64), (c) => c.charCodeAt(0))) : '';
  const fnError = res.headers.get('x-amz-function-error');
  return {
    status: res.status,
    requestId: res.headers.get('x-amzn-requestid') ?? '',
    ...(fnError ? { functionError: fnError } : {}),
    payload: text,
    log,
    ...(parseReport(log) ? { report: parseReport(log)! } : {}),
    ...(res.headers.get('x-amz-executed-version') ? { executedVersion: res.headers.get('x-amz-executed-version')! } : {}),
    tookMs: performance.now() - started,
  };
}

/** `REPORT RequestId: … Duration: 1.23 ms Billed Duration: 2 ms …` into its fields. */
export function parseReport(log: string): Record<string, string> | undefined {
  const line = log.split('\n').find((l) => l.startsWith('REPORT '));
  if (!line) return undefined;
  const out: Record<string, string> = {};
  for (const part of line.slice(7).split('\t')) {
    const i = part.indexOf(':');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}
