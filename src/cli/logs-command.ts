import { logGroupsOf, readLogEvents, type LogGroupRef, type StoredLogEvent } from '../observability/function-log-reader.js';
import type { Store } from '../store/database.js';
import { describeStoreSource, openReadStore, type StoreSource } from './read-store.js';

export interface LogsCommandOptions extends StoreSource {
  functionName: string;
  follow: boolean;
  /** `10m`, `2h`, `30s`, `1d`, `1w` back from now, or an ISO-8601 time. */
  since?: string;
  accountId?: string;
  region?: string;
  out?: NodeJS.WritableStream;
}

/** How often `--follow` looks for new events. */
export const FOLLOW_POLL_MS = 500;

/**
 * `lambkin logs <function>`: reads the function's log events straight from the store (SQLite
 * in WAL mode lets this run beside a live server; a cluster's PostgreSQL with `--store`) and prints `<ISO time> <message>` per event.
 */
export async function logsCommand(options: LogsCommandOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const sinceMs = options.since === undefined ? undefined : parseSince(options.since, Date.now());
  const store = await openReadStore(options);
  if (!store) {
    process.stderr.write(`lambkin: no Lambkin data in ${describeStoreSource(options)}\n`);
    return 1;
  }
  try {
    const where = { accountId: options.accountId, region: options.region };
    let groups = await logGroupsOf(store, options.functionName, where);
    if (groups.length === 0 && !options.follow) {
      process.stderr.write(`lambkin: no logs for ${options.functionName} (looked for log group ${describeGroup(options.functionName)})\n`);
      return 1;
    }
    let lastId = print(out, await readLogEvents(store, groups, { sinceMs }), 0);
    if (!options.follow) return 0;

    let stopped = false;
    const stop = () => {
      stopped = true;
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    while (!stopped) {
      await sleep(FOLLOW_POLL_MS);
      if (stopped) break;
      // The function may log for the first time (or move to another group) while we follow.
      groups = await refreshGroups(store, options.functionName, where, groups);
      lastId = print(out, await readLogEvents(store, groups, { sinceMs, afterBatchId: lastId }), lastId);
    }
    return 0;
  } finally {
    await store.destroy();
  }
}

async function refreshGroups(store: Store, functionName: string, where: { accountId?: string; region?: string }, known: LogGroupRef[]): Promise<LogGroupRef[]> {
  const found = await logGroupsOf(store, functionName, where);
  return found.length >= known.length ? found : known;
}

/** Prints events and returns the highest batch id seen, the cursor for the next poll. */
function print(out: NodeJS.WritableStream, events: StoredLogEvent[], lastId: number): number {
  let text = '';
  for (const e of events) {
    text += `${new Date(e.timestamp).toISOString()} ${e.message.replace(/\n$/, '')}\n`;
    if (e.batchId > lastId) lastId = e.batchId;
  }
  if (text) out.write(text);
  return lastId;
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseSince(value: string, nowMs: number): number {
  const relative = /^(\d+)([smhdw])$/.exec(value);
  if (relative) return nowMs - Number(relative[1]) * UNIT_MS[relative[2]!]!;
  const absolute = Date.parse(value);
  if (Number.isNaN(absolute)) throw new Error(`--since must be a duration such as 10m, 2h or 1d, or an ISO-8601 time: ${value}`);
  return absolute;
}

function describeGroup(functionName: string): string {
  return functionName.startsWith('/') ? functionName : `/aws/lambda/${functionName}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
