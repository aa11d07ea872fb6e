import { recentInvocations } from '../observability/invocation-history.js';
import { describeStoreSource, openReadStore, type StoreSource } from './read-store.js';
import { formatTable, paintFor } from './terminal.js';

export interface EventsCommandOptions extends StoreSource {
  functionName: string;
  region: string;
  accountId?: string;
  limit: number;
  json: boolean;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

/** `lambkin events <function>`: its most recent invocations and how each ended, newest first. */
export async function eventsCommand(options: EventsCommandOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const store = await openReadStore(options);
  if (!store) {
    err.write(`lambkin: no Lambkin data in ${describeStoreSource(options)}\n`);
    return 1;
  }
  try {
    const records = await recentInvocations(store, options, options.limit);
    const events = records.map((r) => ({
      time: new Date(Number(r.timestamp)).toISOString(),
      requestId: r.request_id,
      version: r.version,
      outcome: r.outcome,
      durationMs: r.duration_ms,
      billedMs: r.billed_ms,
      ...(r.init_ms !== null ? { initMs: r.init_ms } : {}),
      memoryMb: r.memory_mb,
      maxMemoryUsedMb: r.max_memory_used_mb,
    }));
    if (options.json) {
      out.write(`${JSON.stringify(events)}\n`);
      return 0;
    }
    if (events.length === 0) {
      err.write(`no invocations of ${options.functionName} in ${options.region} recorded in ${describeStoreSource(options)}\n`);
      return 0;
    }
    const paint = paintFor(out);
    const rows = events.map((e) => [
      e.time, e.requestId, e.version, e.outcome, `${e.durationMs.toFixed(2)} ms`, e.initMs !== undefined ? `${e.initMs.toFixed(2)} ms` : '-', `${e.maxMemoryUsedMb}/${e.memoryMb} MB`,
    ]);
    out.write(formatTable(['TIME', 'REQUEST ID', 'VERSION', 'OUTCOME', 'DURATION', 'INIT', 'MEMORY'], rows, paint, (row, column, text) => {
      if (column !== 3) return text;
      return events[row]!.outcome === 'success' ? paint.green(text) : paint.red(text);
    }));
    return 0;
  } finally {
    await store.destroy();
  }
}
