import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { describeApiError, lambdaClient, type ApiTarget } from './api-client.js';
import { lastInvocations } from '../observability/invocation-history.js';
import { openReadStore, type StoreSource } from './read-store.js';
import { formatTable, paintFor } from './terminal.js';

export interface FunctionsCommandOptions extends StoreSource {
  target: ApiTarget;
  json: boolean;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

interface FunctionListing {
  name: string;
  state: string;
  lastUpdateStatus?: string;
  runtime: string;
  memoryMb: number;
  lastModified: string;
  lastInvoke?: { time: string; outcome: string; durationMs: number };
}

/**
 * `lambkin functions`: every function of the caller's account and region (ListFunctions) with its
 * state, runtime, memory and last invocation (from the data directory's usage records, when
 * this machine has them).
 */
export async function functionsCommand(options: FunctionsCommandOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const client = await lambdaClient(options.target);
  let functions: FunctionConfiguration[];
  try {
    functions = await listAll(client);
  } catch (e) {
    err.write(`lambkin: ${describeApiError(e, options.target)}\n`);
    return 2;
  } finally {
    client.destroy();
  }
  const scope = scopeOf(functions[0]?.FunctionArn);
  const history = scope ? await openReadStore(options) : null;
  const last = history && scope ? await lastInvocations(history, scope) : new Map();
  await history?.destroy();
  const listing: FunctionListing[] = functions.map((f) => {
    const usage = last.get(f.FunctionName ?? '');
    return {
      name: f.FunctionName ?? '',
      state: f.State ?? 'Active',
      ...(f.LastUpdateStatus ? { lastUpdateStatus: f.LastUpdateStatus } : {}),
      runtime: f.Runtime ?? (f.PackageType === 'Image' ? 'image' : ''),
      memoryMb: f.MemorySize ?? 0,
      lastModified: f.LastModified ?? '',
      ...(usage ? { lastInvoke: { time: new Date(Number(usage.timestamp)).toISOString(), outcome: usage.outcome, durationMs: usage.duration_ms } } : {}),
    };
  });
  if (options.json) {
    out.write(`${JSON.stringify(listing)}\n`);
    return 0;
  }
  if (listing.length === 0) {
    err.write(`no functions in ${options.target.region} at ${options.target.endpoint}\n`);
    return 0;
  }
  const paint = paintFor(out);
  const rows = listing.map((f) => [f.name, f.state, f.runtime, `${f.memoryMb} MB`, f.lastInvoke ? `${f.lastInvoke.time} ${f.lastInvoke.outcome}` : '-']);
  out.write(formatTable(['NAME', 'STATE', 'RUNTIME', 'MEMORY', 'LAST INVOKE'], rows, paint, (row, column, text) => {
    const f = listing[row]!;
    if (column === 1) return f.state === 'Active' ? paint.green(text) : paint.yellow(text);
    if (column === 4 && f.lastInvoke && f.lastInvoke.outcome !== 'success') return paint.red(text);
    return text;
  }));
  return 0;
}

async function listAll(client: Awaited<ReturnType<typeof lambdaClient>>): Promise<FunctionConfiguration[]> {
  const { ListFunctionsCommand } = await import('@aws-sdk/client-lambda');
  const all: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(new ListFunctionsCommand({ Marker: marker }));
    all.push(...(page.Functions ?? []));
    marker = page.NextMarker;
  } while (marker);
  return all;
}

function scopeOf(arn: string | undefined): { accountId: string; region: string } | null {
  const parts = arn?.split(':');
  return parts && parts.length >= 5 ? { region: parts[3]!, accountId: parts[4]! } : null;
}
