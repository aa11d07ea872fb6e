import { isIP } from 'node:net';
import { MAX_FILTER_POLICY_COMBINATIONS, MAX_FILTER_POLICY_KEYS } from './limits.js';

/**
 * SNS subscription filter policies: validation (AWS's messages, without the parser's
 * `at [Source: …]` location suffix) and matching against message attributes or a JSON body.
 * Operators: exact values, prefix, suffix, equals-ignore-case, anything-but (values, prefix,
 * suffix, equals-ignore-case), numeric ranges, exists, cidr, and `$or` at any level.
 */

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

export class FilterPolicyInvalid extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What a message offers the policy: for attributes a flat map; for the body, the parsed JSON. */
export type FilterSubject =
  | { scope: 'MessageAttributes'; attributes: Record<string, { type: string; value: string }> }
  | { scope: 'MessageBody'; body: Json | undefined };

const STRING_OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists', 'cidr']);

/** Throws `FilterPolicyInvalid` with AWS's reason when the policy is not acceptable. */
export function validateFilterPolicy(text: string, scope: FilterPolicyScope): Record<string, Json> {
  let policy: Json;
  try {
    policy = JSON.parse(text) as Json;
  } catch (err) {
    throw new FilterPolicyInvalid(`failed to parse JSON. ${(err as Error).message}`);
  }
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) throw new FilterPolicyInvalid('Filter policy must be a JSON object');
  const branches = expandOr(policy);
  let combinations = 0;
  for (const branch of branches) {
    const leaves = leafRules(branch, scope, '');
    if (leaves.length > MAX_FILTER_POLICY_KEYS) throw new FilterPolicyInvalid(`Filter policy can not have more than ${MAX_FILTER_POLICY_KEYS} keys`);
    combinations += leaves.reduce((n, rule) => n * rule.length, 1);
  }
  if (combinations > MAX_FILTER_POLICY_COMBINATIONS) throw new FilterPolicyInvalid('Filter policy is too complex');
  return policy;
}

/** `$or` splits a policy into alternatives: each branch is a policy without `$or`. */
function expandOr(policy: { [key: string]: Json }): { [key: string]: Json }[] {
  let branches: { [key: string]: Json }[] = [{}];
  for (const [key, value] of Object.entries(policy)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw new FilterPolicyInvalid('Or condition must have at least 2 alternatives');
      const alternatives = value.flatMap((alt) => {
        if (alt === null || typeof alt !== 'object' || Array.isArray(alt)) throw new FilterPolicyInvalid('Or condition alternatives must be objects');
        return expandOr(alt);
      });
      branches = branches.flatMap((b) => alternatives.map((a) => ({ ...b, ...a })));
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const nested = expandOr(value);
      branches = branches.flatMap((b) => nested.map((n) => ({ ...b, [key]: n })));
    } else {
      branches = branches.map((b) => ({ ...b, [key]: value }));
    }
  }
  return branches;
}

function leafRules(policy: { [key: string]: Json }, scope: FilterPolicyScope, path: string): Json[][] {
  const out: Json[][] = [];
  for (const [key, value] of Object.entries(policy)) {
    if (Array.isArray(value)) {
      validateRule(value);
      out.push(value);
    } else if (value !== null && typeof value === 'object') {
      if (scope === 'MessageAttributes') throw new FilterPolicyInvalid('Filter policy scope MessageAttributes does not support nested filter policy');
      const keys = Object.keys(value);
      if (keys.length === 1 && STRING_OPERATORS.has(keys[0] ?? '')) throw new FilterPolicyInvalid(`"${keys[0]}" must be an object or an array`);
      out.push(...leafRules(value, scope, `${path}${key}.`));
    } else {
      throw new FilterPolicyInvalid(`"${key}" must be an object or an array`);
    }
  }
  return out;
}

function validateRule(values: Json[]): void {
  if (values.length === 0) throw new FilterPolicyInvalid('Empty arrays are not allowed');
  for (const v of values) {
    if (Array.isArray(v)) throw new FilterPolicyInvalid('Match value must be String, number, true, false, or null');
    if (v !== null && typeof v === 'object') validateOperator(v);
  }
}

function validateOperator(condition: { [key: string]: Json }): void {
  const keys = Object.keys(condition);
  if (keys.length !== 1) throw new FilterPolicyInvalid('Only one key allowed in match expression');
  const op = keys[0] as string;
  const arg = condition[op] as Json;
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof arg !== 'string') throw new FilterPolicyInvalid(`${op} match pattern must be a string`);
      return;
    case 'exists':
      if (typeof arg !== 'boolean') throw new FilterPolicyInvalid('exists match pattern must be either true or false.');
      return;
    case 'cidr':
      if (typeof arg !== 'string') throw new FilterPolicyInvalid('prefix match pattern must be a string');
      parseCidr(arg);
      return;
    case 'numeric':
      parseNumericRange(arg);
      return;
    case 'anything-but':
      if (arg !== null && typeof arg === 'object' && !Array.isArray(arg)) {
        const inner = Object.keys(arg);
        const innerOp = inner[0] ?? '';
        if (inner.length !== 1 || !['prefix', 'equals-ignore-case'].includes(innerOp)) {
          throw new FilterPolicyInvalid(`Unsupported anything-but pattern: ${innerOp}`);
        }
        const innerArg = arg[innerOp];
        if (typeof innerArg !== 'string' && !(innerOp === 'equals-ignore-case' && Array.isArray(innerArg))) {
          throw new FilterPolicyInvalid(`${innerOp} match pattern must be a string`);
        }
        return;
      }
      if (Array.isArray(arg)) {
        if (arg.some((x) => x !== null && typeof x === 'object')) throw new FilterPolicyInvalid('Inside anything but list, start|null|boolean is not supported.');
        return;
      }
      if (typeof arg === 'boolean' || arg === null) throw new FilterPolicyInvalid('Inside anything but list, start|null|boolean is not supported.');
      return;
    default:
      throw new FilterPolicyInvalid(`Unrecognized match type ${op}`);
  }
}

const NUMERIC_OPERATORS = ['=', '<', '<=', '>', '>='];

interface NumericRange {
  equals?: number;
  lower?: { value: number; inclusive: boolean };
  upper?: { value: number; inclusive: boolean };
}

function parseNumericRange(arg: Json): NumericRange {
  if (!Array.isArray(arg)) throw new FilterPolicyInvalid('Value of numeric must be an array.');
  if (arg.length === 0) throw new FilterPolicyInvalid('Invalid member in numeric match: ]');
  const range: NumericRange = {};
  let i = 0;
  let terms = 0;
  while (i < arg.length) {
    const op = arg[i];
    if (typeof op !== 'string') throw new FilterPolicyInvalid(`Invalid member in numeric match: ${String(op)}`);
    if (!NUMERIC_OPERATORS.includes(op)) {
      if (terms === 0) throw new FilterPolicyInvalid(`Unrecognized numeric range operator: ${op}`);
      throw new FilterPolicyInvalid(`Bad numeric range operator: ${op}`);
    }
    const value = arg[i + 1];
    if (typeof value !== 'number') throw new FilterPolicyInvalid(`Value of ${op === '=' ? 'equals' : op} must be numeric`);
    if (op === '=') {
      if (terms > 0 || arg.length > 2) throw new FilterPolicyInvalid('Too many elements in numeric expression');
      range.equals = value;
    } else if (op === '>' || op === '>=') {
      if (terms > 0) throw new FilterPolicyInvalid(`Bad numeric range operator: ${op}`);
      range.lower = { value, inclusive: op === '>=' };
    } else {
      if (range.upper || (terms > 0 && !range.lower)) throw new FilterPolicyInvalid(`Bad numeric range operator: ${op}`);
      if (terms === 0 && arg.length > 2) throw new FilterPolicyInvalid('Too many elements in numeric expression');
      range.upper = { value, inclusive: op === '<=' };
    }
    terms += 1;
    i += 2;
    if (terms === 2 && i < arg.length) throw new FilterPolicyInvalid('Too many terms in numeric range expression');
    if (i < arg.length && typeof arg[i] !== 'string') throw new FilterPolicyInvalid(`Bad value in numeric range: ${String(arg[i])}`);
  }
  if (range.lower && range.upper && range.lower.value >= range.upper.value) throw new FilterPolicyInvalid('Bottom must be less than top');
  return range;
}

function parseCidr(text: string): { bytes: Buffer; bits: number } {
  const slash = text.split('/');
  if (slash.length !== 2) throw new FilterPolicyInvalid("Malformed CIDR, one '/' required");
  const [ip, maskText] = slash as [string, string];
  const bits = Number(maskText);
  if (!/^\d+$/.test(maskText)) throw new FilterPolicyInvalid('Malformed CIDR, mask bits must be an integer');
  const bytes = ipBytes(ip);
  if (!bytes) throw new FilterPolicyInvalid(`Nonstandard IP address: ${ip}`);
  if (bits > bytes.length * 8) throw new FilterPolicyInvalid('Malformed CIDR, mask bits must be an integer');
  return { bytes, bits };
}

function ipBytes(ip: string): Buffer | null {
  const kind = isIP(ip);
  if (kind === 4) return Buffer.from(ip.split('.').map(Number));
  if (kind !== 6) return null;
  const [head, tail] = ip.includes('::') ? (ip.split('::') as [string, string]) : [ip, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headParts : [...headParts, ...Array(8 - headParts.length - tailParts.length).fill('0'), ...tailParts];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return out;
}

// ---- matching ----

/** Whether a message passes the policy. */
export function matchesFilterPolicy(policy: Record<string, Json>, subject: FilterSubject): boolean {
  return expandOr(policy).some((branch) =>
    subject.scope === 'MessageAttributes' ? matchAttributes(branch, subject.attributes) : matchBody(branch, subject.body),
  );
}

function matchAttributes(policy: { [key: string]: Json }, attributes: Record<string, { type: string; value: string }>): boolean {
  return Object.entries(policy).every(([key, rule]) => {
    const attr = attributes[key];
    const values = attr ? attributeValues(attr) : undefined;
    return matchRule(rule as Json[], values);
  });
}

/** An attribute's candidate values: `String.Array` offers each element; Binary offers nothing to compare. */
function attributeValues(attr: { type: string; value: string }): Json[] {
  const base = attr.type.split('.')[0];
  if (attr.type.startsWith('String.Array')) {
    try {
      const parsed = JSON.parse(attr.value) as Json;
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }
  if (base === 'Number') {
    const n = Number(attr.value);
    return [Number.isFinite(n) ? n : attr.value];
  }
  if (base === 'Binary') return [{ binary: true }];
  return [attr.value];
}

function matchBody(policy: { [key: string]: Json }, body: Json | undefined): boolean {
  if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) {
    // A body that is not a JSON object only passes rules that ask for absence.
    return Object.values(policy).every((rule) => Array.isArray(rule) && matchRule(rule, undefined));
  }
  return Object.entries(policy).every(([key, rule]) => {
    const value = body[key];
    if (Array.isArray(rule)) {
      if (value === undefined) return matchRule(rule, undefined);
      const candidates = Array.isArray(value) ? value.filter((v) => v === null || typeof v !== 'object') : value !== null && typeof value === 'object' ? [] : [value];
      if (Array.isArray(value) && value.length === 0) return matchRule(rule, undefined);
      return matchRule(rule, candidates.length > 0 ? candidates : Array.isArray(value) ? [] : undefined);
    }
    const nestedPolicy = rule as { [key: string]: Json };
    if (Array.isArray(value)) return value.some((item) => matchBody(nestedPolicy, item));
    return matchBody(nestedPolicy, value);
  });
}

/** A rule (the array of conditions for one key) against the candidate values (undefined: absent). */
function matchRule(rule: Json[], values: Json[] | undefined): boolean {
  return rule.some((condition) => {
    if (condition !== null && typeof condition === 'object' && !Array.isArray(condition)) {
      const [op, arg] = Object.entries(condition)[0] as [string, Json];
      if (op === 'exists') return arg === true ? values !== undefined : values === undefined;
      if (values === undefined) return false;
      return values.some((v) => matchOperator(op, arg, v));
    }
    if (values === undefined) return false;
    return values.some((v) => exactMatch(condition, v));
  });
}

function exactMatch(expected: Json, actual: Json): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && expected === actual;
  return expected === actual;
}

function matchOperator(op: string, arg: Json, value: Json): boolean {
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && value.startsWith(arg as string);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(arg as string);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === (arg as string).toLowerCase();
    case 'numeric':
      return typeof value === 'number' && inRange(parseNumericRange(arg), value);
    case 'cidr':
      return typeof value === 'string' && inCidr(arg as string, value);
    case 'anything-but':
      return anythingBut(arg, value);
    default:
      return false;
  }
}

function anythingBut(arg: Json, value: Json): boolean {
  if (typeof value === 'object' && value !== null) return false;
  if (Array.isArray(arg)) return !arg.some((x) => exactMatch(x, value));
  if (arg !== null && typeof arg === 'object') {
    const [innerOp, innerArg] = Object.entries(arg)[0] as [string, Json];
    if (typeof value !== 'string') return true;
    if (innerOp === 'equals-ignore-case') {
      const list = Array.isArray(innerArg) ? innerArg : [innerArg];
      return !list.some((x) => typeof x === 'string' && x.toLowerCase() === value.toLowerCase());
    }
    return !matchOperator(innerOp, innerArg, value);
  }
  return !exactMatch(arg, value);
}

function inRange(range: NumericRange, n: number): boolean {
  if (range.equals !== undefined) return n === range.equals;
  if (range.lower && (range.lower.inclusive ? n < range.lower.value : n <= range.lower.value)) return false;
  if (range.upper && (range.upper.inclusive ? n > range.upper.value : n >= range.upper.value)) return false;
  return true;
}

function inCidr(cidr: string, ip: string): boolean {
  const { bytes, bits } = parseCidr(cidr);
  const addr = ipBytes(ip);
  if (!addr || addr.length !== bytes.length) return false;
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if (((addr[byte] ?? 0) & mask) !== ((bytes[byte] ?? 0) & mask)) return false;
  }
  return true;
}
