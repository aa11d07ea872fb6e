import type { LogEventRecord } from '../../../observability/function-log-reader.js';

/** A time value (`@timestamp`, `bin(…)`): compares as milliseconds, prints as Insights prints times. */
export class TimeValue {
  constructor(readonly ms: number) {}
  toString(): string {
    return new Date(this.ms).toISOString().replace('T', ' ').replace('Z', '');
  }
}

export type FieldValue = string | number | boolean | null | TimeValue;
export type Row = Map<string, FieldValue>;

const MB = 1_000_000;

/**
 * The fields Insights discovers in an event: the system fields, a JSON event's members (nested
 * ones as `a.b`), and for Lambda's platform lines `@type`, `@requestId`, and in REPORT lines the
 * durations and memory (in bytes, as AWS reports them).
 */
export function discoverFields(e: LogEventRecord & { group: string; accountId: string }): Row {
  const row: Row = new Map<string, FieldValue>([
    ['@timestamp', new TimeValue(e.timestamp)],
    ['@message', e.message],
    ['@logStream', e.streamName],
    ['@log', `${e.accountId}:${e.group}`],
    ['@ingestionTime', new TimeValue(e.ingestionTime)],
    ['@ptr', Buffer.from(`${e.group}\u0000${e.id}`).toString('base64url')],
  ]);
  const text = e.message.trimEnd();
  if (text.startsWith('{')) {
    try {
      flatten(JSON.parse(text) as unknown, '', row, 0);
    } catch {
      // Not JSON after all: only the system fields.
    }
  } else if (/^(START|END|REPORT) RequestId: /.test(text)) platformFields(text, row);
  return row;
}

function flatten(value: unknown, prefix: string, row: Row, depth: number): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < 10) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, row, depth + 1);
    return;
  }
  if (!prefix) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => flatten(v, `${prefix}.${i}`, row, depth + 1));
    return;
  }
  row.set(prefix, value === null || typeof value === 'object' ? null : (value as string | number | boolean));
}

function platformFields(text: string, row: Row): void {
  const type = text.slice(0, text.indexOf(' '));
  row.set('@type', type);
  const id = /RequestId: (\S+)/.exec(text);
  if (id) row.set('@requestId', id[1]!);
  if (type !== 'REPORT') return;
  const number = (label: string) => {
    const m = new RegExp(`${label}: ([\\d.]+)`).exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const set = (name: string, value: number | undefined) => value !== undefined && row.set(name, value);
  set('@duration', number('\\tDuration'));
  set('@billedDuration', number('Billed Duration'));
  const memory = number('Memory Size');
  set('@memorySize', memory === undefined ? undefined : memory * MB);
  const used = number('Max Memory Used');
  set('@maxMemoryUsed', used === undefined ? undefined : used * MB);
  set('@initDuration', number('Init Duration'));
}
