/**
 * Lambda event filtering (FilterCriteria) for event source mappings: the operator subset the Lambda
 * docs list — exact values (strings, numbers, booleans, null), `""`, value lists (OR), `prefix`,
 * `suffix`, `equals-ignore-case`, `anything-but` (value, list or prefix), `numeric` (=, <, <=, >, >=
 * and ranges) and `exists`. Keys in one pattern AND together; filters in a mapping OR together.
 * EventBridge's full matcher lives in services/events; this one stays small on purpose.
 */
export type Pattern = { [key: string]: unknown[] | Pattern };

/** Parses the mapping's `FilterCriteria.Filters[].Pattern` strings; unparsable ones never match. */
export function compileFilters(filterCriteria: unknown): Pattern[] | null {
  const filters = (filterCriteria as { Filters?: Array<{ Pattern?: unknown }> } | undefined)?.Filters;
  if (!Array.isArray(filters) || filters.length === 0) return null;
  const out: Pattern[] = [];
  for (const f of filters) {
    try {
      const parsed: unknown = typeof f.Pattern === 'string' ? JSON.parse(f.Pattern) : f.Pattern;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) out.push(parsed as Pattern);
    } catch {
      // AWS validates patterns on create/update; a stored bad pattern simply matches nothing.
    }
  }
  return out;
}

/** Whether the record matches any of the filters (no filters: everything matches). */
export function matchesAny(filters: Pattern[] | null, record: Record<string, unknown>): boolean {
  if (!filters) return true;
  return filters.some((pattern) => matchesPattern(pattern, record));
}

export function matchesPattern(pattern: Pattern, event: unknown): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    const present = event !== null && typeof event === 'object' && !Array.isArray(event) && key in (event as object);
    const value = present ? (event as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(rule)) {
      if (!matchesLeaf(rule, present, value)) return false;
    } else if (rule && typeof rule === 'object') {
      if (!present || !matchesPattern(rule as Pattern, value)) return false;
    } else {
      return false;
    }
  }
  return true;
}

function matchesLeaf(rules: unknown[], present: boolean, value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return rules.some((rule) => {
    if (rule !== null && typeof rule === 'object' && !Array.isArray(rule)) {
      const [op, arg] = Object.entries(rule as Record<string, unknown>)[0] ?? [];
      if (op === 'exists') return arg === true ? present && value !== undefined : !present;
      if (!present) return false;
      return values.some((v) => matchesOperator(op ?? '', arg, v));
    }
    if (!present) return false;
    return values.some((v) => v === rule);
  });
}

function matchesOperator(op: string, arg: unknown, v: unknown): boolean {
  switch (op) {
    case 'prefix':
      return typeof v === 'string' && typeof arg === 'string' && v.startsWith(arg);
    case 'suffix':
      return typeof v === 'string' && typeof arg === 'string' && v.endsWith(arg);
    case 'equals-ignore-case':
      return typeof v === 'string' && typeof arg === 'string' && v.toLowerCase() === arg.toLowerCase();
    case 'numeric':
      return typeof v === 'number' && Array.isArray(arg) && numericMatches(arg, v);
    case 'anything-but': {
      if (arg !== null && typeof arg === 'object' && !Array.isArray(arg)) {
        const prefix = (arg as { prefix?: unknown }).prefix;
        return typeof prefix === 'string' && typeof v === 'string' && !v.startsWith(prefix);
      }
      const excluded = Array.isArray(arg) ? arg : [arg];
      return !excluded.includes(v as never);
    }
    default:
      return false;
  }
}

function numericMatches(conditions: unknown[], v: number): boolean {
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const op = conditions[i];
    const n = conditions[i + 1];
    if (typeof n !== 'number') return false;
    const ok = op === '=' ? v === n : op === '<' ? v < n : op === '<=' ? v <= n : op === '>' ? v > n : op === '>=' ? v >= n : false;
    if (!ok) return false;
  }
  return conditions.length >= 2;
}

/**
 * The SQS record as filters see it: `body` parsed when it is JSON. A plain-text body only matches
 * patterns that compare `body` to strings; a pattern reaching into `body` fields drops it (AWS).
 */
export function filterViewOfSqsRecord(record: Record<string, unknown>): Record<string, unknown> {
  const body = record.body;
  if (typeof body !== 'string') return record;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object') return { ...record, body: parsed };
  } catch {
    // plain text body
  }
  return record;
}
