import { arnLike, wildcardPattern } from './wildcard.js';
import type { ConditionBlock } from './document.js';

/** What conditions are evaluated against: `aws:SourceIp`, `aws:CurrentTime`, … (keys compared case-insensitively). */
export type RequestContextKeys = Map<string, string | string[]>;

type Compare = (actual: string, expected: string) => boolean;

const STRING: Record<string, { compare: Compare; negated: boolean }> = {
  StringEquals: { compare: (a, e) => a === e, negated: false },
  StringNotEquals: { compare: (a, e) => a === e, negated: true },
  StringEqualsIgnoreCase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  StringLike: { compare: (a, e) => wildcardPattern(e, false).test(a), negated: false },
  StringNotLike: { compare: (a, e) => wildcardPattern(e, false).test(a), negated: true },
  ArnEquals: { compare: (a, e) => a === e, negated: false },
  ArnLike: { compare: (a, e) => arnLike(a, e), negated: false },
  ArnNotEquals: { compare: (a, e) => a === e, negated: true },
  ArnNotLike: { compare: (a, e) => arnLike(a, e), negated: true },
  NumericEquals: { compare: numeric((a, e) => a === e), negated: false },
  NumericNotEquals: { compare: numeric((a, e) => a === e), negated: true },
  NumericLessThan: { compare: numeric((a, e) => a < e), negated: false },
  NumericLessThanEquals: { compare: numeric((a, e) => a <= e), negated: false },
  NumericGreaterThan: { compare: numeric((a, e) => a > e), negated: false },
  NumericGreaterThanEquals: { compare: numeric((a, e) => a >= e), negated: false },
  DateEquals: { compare: date((a, e) => a === e), negated: false },
  DateNotEquals: { compare: date((a, e) => a === e), negated: true },
  DateLessThan: { compare: date((a, e) => a < e), negated: false },
  DateLessThanEquals: { compare: date((a, e) => a <= e), negated: false },
  DateGreaterThan: { compare: date((a, e) => a > e), negated: false },
  DateGreaterThanEquals: { compare: date((a, e) => a >= e), negated: false },
  Bool: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  IpAddress: { compare: (a, e) => inCidr(a, e), negated: false },
  NotIpAddress: { compare: (a, e) => inCidr(a, e), negated: true },
};

/**
 * Whether every condition of a statement holds (AWS: operators AND together, keys of one operator
 * AND together, values of one key OR together; a negated operator is true when no value matches).
 */
export function conditionsHold(block: ConditionBlock, context: RequestContextKeys): boolean {
  for (const [rawOperator, keys] of Object.entries(block)) {
    for (const [key, expected] of Object.entries(keys)) {
      if (!conditionHolds(rawOperator, lookup(context, key), expected)) return false;
    }
  }
  return true;
}

function conditionHolds(rawOperator: string, actual: string | string[] | undefined, expected: string[]): boolean {
  let operator = rawOperator;
  let qualifier: 'ForAnyValue' | 'ForAllValues' | null = null;
  const colon = operator.indexOf(':');
  if (colon > 0) {
    const prefix = operator.slice(0, colon);
    if (prefix === 'ForAnyValue' || prefix === 'ForAllValues') qualifier = prefix;
    operator = operator.slice(colon + 1);
  }
  if (operator === 'Null') {
    const absent = actual === undefined || (Array.isArray(actual) && actual.length === 0);
    return expected.some((e) => (e.toLowerCase() === 'true') === absent);
  }
  const ifExists = operator.endsWith('IfExists');
  if (ifExists) operator = operator.slice(0, -'IfExists'.length);
  const spec = STRING[operator];
  // An operator this evaluator does not know never grants: the condition fails.
  if (!spec) return false;
  if (actual === undefined) {
    if (ifExists) return true;
    // ForAllValues over no values is true (vacuously), as AWS documents.
    return qualifier === 'ForAllValues';
  }
  const values = Array.isArray(actual) ? actual : [actual];
  const matchesOne = (value: string) => expected.some((e) => spec.compare(value, e));
  if (qualifier === 'ForAllValues') return values.every((v) => (spec.negated ? !matchesOne(v) : matchesOne(v)));
  if (qualifier === 'ForAnyValue') return values.some((v) => (spec.negated ? !matchesOne(v) : matchesOne(v)));
  const any = values.some(matchesOne);
  return spec.negated ? !any : any;
}

function lookup(context: RequestContextKeys, key: string): string | string[] | undefined {
  const exact = context.get(key);
  if (exact !== undefined) return exact;
  const lower = key.toLowerCase();
  for (const [k, v] of context) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function numeric(compare: (a: number, e: number) => boolean): Compare {
  return (a, e) => {
    const x = Number(a);
    const y = Number(e);
    return Number.isFinite(x) && Number.isFinite(y) && compare(x, y);
  };
}

/** Dates are ISO 8601 or epoch seconds, on both sides. */
function date(compare: (a: number, e: number) => boolean): Compare {
  return (a, e) => {
    const x = dateValue(a);
    const y = dateValue(e);
    return x !== null && y !== null && compare(x, y);
  };
}

function dateValue(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

function inCidr(address: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const a = ipv4(address.replace(/^::ffff:/, ''));
  const b = ipv4(base ?? '');
  if (a === null || b === null) return address === cidr;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

function ipv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    const n = Number(part);
    if (!/^\d{1,3}$/.test(part) || n > 255) return null;
    value = value * 256 + n;
  }
  return value >>> 0;
}
