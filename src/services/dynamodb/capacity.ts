import { READ_UNIT_BYTES, WRITE_UNIT_BYTES } from './api-limits.js';
import type { Table } from './table-model.js';

/** Write units of one item write: one per started KB of the larger of the old and new item. */
export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / WRITE_UNIT_BYTES));
}

/** Read units of `bytes` read at once: one per started 4 KB strongly consistent, half that eventually. */
export function readUnits(bytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES));
  return consistent ? units : units / 2;
}

/** Capacity a request consumed on one table and its indexes. */
export interface CapacityUse {
  kind: 'read' | 'write';
  table: number;
  indexes?: Record<string, number>;
}

/** `ConsumedCapacity` as ReturnConsumedCapacity asks for it (TOTAL or INDEXES; NONE: nothing). */
export function consumedCapacity(table: Table, mode: unknown, use: CapacityUse): Record<string, unknown> | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const units = (n: number) => ({ CapacityUnits: n, [use.kind === 'read' ? 'ReadCapacityUnits' : 'WriteCapacityUnits']: n });
  const indexes = use.indexes ?? {};
  const total = use.table + Object.values(indexes).reduce((a, b) => a + b, 0);
  if (mode === 'TOTAL') return { TableName: table.name, ...units(total) };
  const globals: Record<string, unknown> = {};
  const locals: Record<string, unknown> = {};
  for (const [name, n] of Object.entries(indexes)) {
    const index = table.indexes.find((i) => i.name === name);
    (index?.global === false ? locals : globals)[name] = units(n);
  }
  return {
    TableName: table.name,
    ...units(total),
    Table: units(use.table),
    ...(Object.keys(globals).length > 0 ? { GlobalSecondaryIndexes: globals } : {}),
    ...(Object.keys(locals).length > 0 ? { LocalSecondaryIndexes: locals } : {}),
  };
}
