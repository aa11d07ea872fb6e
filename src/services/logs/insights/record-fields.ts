import type { LogEventRecord } from '../../../observability/function-log-reader.js';

/** A time value (`@timestamp`, `bin(…)`): compares as milliseconds, prints as Insights prints times. */
export class TimeValue {
  constructor(readonly ms: number) {}
  toString(): string {
    return new Date(this.ms).toISOString().replace('T', ' ').replace('Z', '');
  }
}

export type FieldValue = string | number | boolean | null | TimeValue;

/** What a query's commands read and write on each record: its fields by name. */
export interface Row {
  get(name: string): FieldValue | undefined;
  has(name: string): boolean;
  set(name: string, value: FieldValue): void;
  delete(name: string): void;
}

/** A row that only holds what commands computed (stats output, constants). */
export function plainRow(): Row {
  return new Map<string, FieldValue>();
}

const MB = 1_000_000;

export type QueryEventRecord = LogEventRecord & { group: string; accountId: string };

/**
 * An event's fields, found only when a command asks for them: the system fields are read off the
 * event, and the first question for any other field parses the message once (a JSON event's
 * members as `a.b`; on Lambda's START/END/REPORT lines `@type`, `@requestId`, and in REPORT lines
 * the durations and memory, in bytes, as AWS reports them). Fields commands set or drop override.
 */
export class EventRow implements Row {
  private discovered: Map<string, FieldValue> | undefined;
  private overrides: Map<string, FieldValue | undefined> | undefined;

  constructor(readonly event: QueryEventRecord) {}

  get(name: string): FieldValue | undefined {
    if (this.overrides?.has(name)) return this.overrides.get(name);
    switch (name) {
      case '@timestamp':
        return new TimeValue(this.event.timestamp);
      case '@message':
        return this.event.message;
      case '@logStream':
        return this.event.streamName;
      case '@log':
        return `${this.event.accountId}:${this.event.group}`;
      case '@ingestionTime':
        return new TimeValue(this.event.ingestionTime);
      case '@ptr':
        return Buffer.from(`${this.event.group}\u0000${this.event.id}`).toString('base64url');
      default:
        return this.fields().get(name);
    }
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  set(name: string, value: FieldValue): void {
    (this.overrides ??= new Map()).set(name, value);
  }

  delete(name: string): void {
    (this.overrides ??= new Map()).set(name, undefined);
  }

  private fields(): Map<string, FieldValue> {
    if (this.discovered) return this.discovered;
    const found = new Map<string, FieldValue>();
    const text = this.event.message.trimEnd();
    if (text.startsWith('{')) {
      try {
        flatten(JSON.parse(text) as unknown, '', found, 0);
      } catch {
        // Not JSON after all: only the system fields.
      }
    } else if (/^(START|END|REPORT) RequestId: /.test(text)) platformFields(text, found);
    this.discovered = found;
    return found;
  }
}

function flatten(value: unknown, prefix: string, row: Map<string, FieldValue>, depth: number): void {
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

function platformFields(text: string, row: Map<string, FieldValue>): void {
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
