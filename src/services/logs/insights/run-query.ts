import { aggregate } from './aggregate.js';
import { compareValues, evaluate, truthy } from './evaluate.js';
import { isAggregate } from './parse-query.js';
import { QueryMalformed, type Command } from './query-syntax.js';
import { EventRow, plainRow, TimeValue, type FieldValue, type QueryEventRecord, type Row } from './record-fields.js';

export type QueryEvent = QueryEventRecord;

export interface QueryOutput {
  results: Array<Array<{ field: string; value: string }>>;
  recordsScanned: number;
  recordsMatched: number;
  bytesScanned: number;
}

/** Runs parsed commands over a query's events, in order, as Insights does. */
export function runQuery(commands: Command[], events: QueryEvent[], limit: number): QueryOutput {
  let rows: Row[] = events.map((e) => new EventRow(e));
  const bytesScanned = events.reduce((n, e) => n + Buffer.byteLength(e.message), 0);
  let projection: string[] | null = null;
  let aggregated = false;
  let sorted = false;
  let matched = rows.length;
  for (const command of commands) {
    switch (command.kind) {
      case 'parse':
        for (const row of rows) {
          const source = evaluate(command.source, row);
          if (source === undefined || source === null) continue;
          const m = command.regex.exec(String(source));
          if (!m) continue;
          command.names.forEach((name, i) => row.set(name, m.groups?.[name] ?? m[i + 1] ?? null));
        }
        break;
      case 'filter':
        rows = rows.filter((row) => truthy(evaluate(command.expr, row)));
        if (!aggregated) matched = rows.length;
        break;
      case 'fields':
      case 'display':
        for (const f of command.fields) {
          if (isAggregate(f.expr)) throw new QueryMalformed(`Aggregate function ${f.expr.text} is only allowed in stats`, 0, 0);
          if (f.expr.kind !== 'field' || f.name !== f.expr.name) for (const row of rows) setValue(row, f.name, evaluate(f.expr, row));
        }
        projection = command.kind === 'display' || projection === null ? command.fields.map((f) => f.name) : [...new Set([...projection, ...command.fields.map((f) => f.name)])];
        break;
      case 'stats': {
        const groups = new Map<string, { keys: Array<FieldValue | undefined>; rows: Row[] }>();
        for (const row of rows) {
          const keys = command.by.map((b) => evaluate(b.expr, row));
          const id = JSON.stringify(keys.map((k) => (k instanceof TimeValue ? k.ms : k ?? null)));
          const group = groups.get(id) ?? { keys, rows: [] };
          group.rows.push(row);
          groups.set(id, group);
        }
        rows = [...groups.values()].map((g) => {
          const out = plainRow();
          command.by.forEach((b, i) => setValue(out, b.name, g.keys[i]));
          for (const a of command.aggregates) setValue(out, a.name, aggregate(a.expr, g.rows));
          return out;
        });
        // Time bins come out in time order.
        if (command.by.some((b) => b.expr.kind === 'call' && b.expr.name === 'bin')) {
          const bin = command.by.find((b) => b.expr.kind === 'call' && b.expr.name === 'bin')!.name;
          rows.sort((a, b) => compareValues(a.get(bin), b.get(bin)));
        }
        projection = [...command.by.map((b) => b.name), ...command.aggregates.map((a) => a.name)];
        aggregated = true;
        break;
      }
      case 'sort':
        rows.sort((a, b) => {
          for (const key of command.keys) {
            const value = (row: Row) => (row.has(key.name) ? row.get(key.name) : evaluate(key.expr, row));
            const c = compareValues(value(a), value(b));
            if (c !== 0) return key.descending ? -c : c;
          }
          return 0;
        });
        sorted = true;
        break;
      case 'limit':
        rows = rows.slice(0, command.count);
        break;
    }
  }
  // Without a sort, events come newest first.
  if (!sorted && !aggregated) rows.sort((a, b) => compareValues(b.get('@timestamp'), a.get('@timestamp')));
  const fields = projection ?? ['@timestamp', '@message'];
  if (!aggregated && !fields.includes('@ptr')) fields.push('@ptr');
  return {
    results: rows.slice(0, limit).map((row) => fields.filter((f) => row.get(f) !== undefined && row.get(f) !== null).map((f) => ({ field: f, value: render(row.get(f)!) }))),
    recordsScanned: events.length,
    recordsMatched: matched,
    bytesScanned,
  };
}

function setValue(row: Row, name: string, value: FieldValue | undefined): void {
  if (value === undefined) row.delete(name);
  else row.set(name, value);
}

function render(v: FieldValue): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  return String(v);
}
