import { parseIpAddress } from './ip-address.js';
import { MAX_OR_COMBINATIONS } from './limits.js';
import type { Matcher, NumericCondition, NumericOperator, PatternNode } from './model.js';
import { PatternError } from './pattern-error.js';
import { compileWildcard } from './wildcard.js';

/**
 * Validates an event pattern (JSON text or a parsed object) and compiles it for `matchesPattern`.
 * Throws `PatternError` with event-ruler's reason on anything EventBridge rejects.
 */
export function compilePattern(pattern: string | object): PatternNode {
  let parsed: unknown = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch {
      throw new PatternError('Filter is not valid JSON');
    }
  }
  if (!isPlainObject(parsed)) throw new PatternError('Filter is not an object');
  const node = compileNode(expandDottedKeys(parsed) as Record<string, unknown>);
  if (combinationsOf(node) > MAX_OR_COMBINATIONS) {
    throw new PatternError(`The number of combinations of values in the pattern exceeds the limit of ${MAX_OR_COMBINATIONS}`);
  }
  return node;
}

function compileNode(object: Record<string, unknown>): PatternNode {
  const node: PatternNode = { fields: [], or: [] };
  for (const [key, value] of Object.entries(object)) {
    if (key === '$or' && Array.isArray(value)) {
      if (value.length < 2) throw new PatternError('$or must have at least two elements');
      node.or.push(
        value.map((alternative) => {
          if (!isPlainObject(alternative)) throw new PatternError('Each element of $or must be an object');
          return compileNode(alternative);
        }),
      );
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new PatternError('Empty arrays are not allowed');
      node.fields.push({ key, matchers: value.map(compileMatcher) });
    } else if (isPlainObject(value)) {
      node.fields.push({ key, node: compileNode(value) });
    } else {
      throw new PatternError(`"${key}" must be an object or an array`);
    }
  }
  return node;
}

/** How many leaf-value combinations a pattern expands to; `$or` alternatives add, fields multiply. */
function combinationsOf(node: PatternNode): number {
  let total = 1;
  for (const field of node.fields) total *= 'matchers' in field ? field.matchers.length : combinationsOf(field.node);
  for (const group of node.or) total *= group.reduce((sum, alternative) => sum + combinationsOf(alternative), 0);
  return total;
}

function compileMatcher(value: unknown): Matcher {
  if (value === null) return { kind: 'null' };
  if (typeof value === 'string' || typeof value === 'boolean') return { kind: 'literal', value };
  if (typeof value === 'number') return { kind: 'literal', value };
  if (!isPlainObject(value)) throw new PatternError('Match value must be String, number, true, false, or null');
  const entries = Object.entries(value);
  if (entries.length !== 1) throw new PatternError('Only one key allowed in match expression');
  const [operator, operand] = entries[0]!;
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return affixMatcher(operator, operand);
    case 'equals-ignore-case':
      if (typeof operand !== 'string') throw new PatternError('equals-ignore-case match pattern must be a string');
      return { kind: 'equals-ignore-case', value: operand };
    case 'wildcard':
      return { kind: 'wildcard', regex: compileWildcard(operand) };
    case 'anything-but':
      return { kind: 'anything-but', matchers: anythingButMatchers(operand) };
    case 'numeric':
      return { kind: 'numeric', conditions: numericConditions(operand) };
    case 'cidr':
      return cidrMatcher(operand);
    case 'exists':
      if (typeof operand !== 'boolean') throw new PatternError('exists match pattern must be either true or false.');
      return { kind: 'exists', value: operand };
    default:
      throw new PatternError(`Unrecognized match type ${operator}`);
  }
}

function affixMatcher(operator: 'prefix' | 'suffix', operand: unknown): Matcher {
  if (typeof operand === 'string') return { kind: operator, value: operand, ignoreCase: false };
  if (isPlainObject(operand)) {
    const entries = Object.entries(operand);
    if (entries.length !== 1) throw new PatternError('Only one key allowed in match expression');
    const [inner, innerValue] = entries[0]!;
    if (inner !== 'equals-ignore-case') throw new PatternError(`Unsupported ${operator} pattern: ${inner}`);
    if (typeof innerValue !== 'string') throw new PatternError(`${operator}/equals-ignore-case match pattern must be a string`);
    return { kind: operator, value: innerValue, ignoreCase: true };
  }
  throw new PatternError(`${operator} match pattern must be a string`);
}

function anythingButMatchers(operand: unknown): Matcher[] {
  const notSupported = 'Inside anything but list, start|null|boolean is not supported.';
  if (typeof operand === 'string' || typeof operand === 'number') return [{ kind: 'literal', value: operand }];
  if (Array.isArray(operand)) {
    if (operand.length === 0) throw new PatternError('Empty arrays are not allowed');
    return operand.map((item) => {
      if (typeof item !== 'string' && typeof item !== 'number') throw new PatternError(notSupported);
      return { kind: 'literal', value: item };
    });
  }
  if (!isPlainObject(operand)) throw new PatternError('Value of anything-but must be an array or single string/number value.');
  const entries = Object.entries(operand);
  if (entries.length !== 1) throw new PatternError('Only one key allowed in match expression');
  const [inner, innerValue] = entries[0]!;
  const strings = (typeError: string): string[] => {
    const list = Array.isArray(innerValue) ? innerValue : [innerValue];
    if (list.length === 0 || !list.every((s) => typeof s === 'string')) throw new PatternError(typeError);
    return list as string[];
  };
  switch (inner) {
    case 'prefix':
    case 'suffix':
      if (isPlainObject(innerValue)) throw new PatternError('Value of anything-but must be an array or single string/number value.');
      if (typeof innerValue !== 'string' && !Array.isArray(innerValue)) throw new PatternError('prefix/suffix match pattern must be a string');
      return strings('prefix/suffix match pattern must be a string').map((s) => {
        if (s === '') throw new PatternError('Null prefix/suffix not allowed');
        return { kind: inner, value: s, ignoreCase: false };
      });
    case 'equals-ignore-case':
      return strings(`Inside anything-but/${inner} list, number|start|null|boolean is not supported.`).map((s) => ({ kind: 'equals-ignore-case', value: s }));
    case 'wildcard':
      return strings('wildcard match pattern must be a string').map((s) => ({ kind: 'wildcard', regex: compileWildcard(s) }));
    default:
      throw new PatternError(`Unsupported anything-but pattern: ${inner}`);
  }
}

const NUMERIC_OPERATORS = new Set<string>(['=', '<', '<=', '>', '>=']);

function numericConditions(operand: unknown): NumericCondition[] {
  if (!Array.isArray(operand)) throw new PatternError('Value of numeric must be an array.');
  if (operand.length === 0) throw new PatternError('Invalid member in numeric match: ]');
  const first = readCondition(operand, 0, 'first');
  if (operand.length === 2) return [first];
  if (first.op !== '>' && first.op !== '>=') throw new PatternError('Too many elements in numeric expression');
  const second = readCondition(operand, 2, 'second');
  if (operand.length > 4) throw new PatternError('Too many terms in numeric range expression');
  if (second.value <= first.value) throw new PatternError('Bottom must be less than top');
  return [first, second];
}

function readCondition(items: unknown[], index: number, which: 'first' | 'second'): NumericCondition {
  const op = items[index];
  if (typeof op !== 'string') {
    throw new PatternError(which === 'first' ? `Invalid member in numeric match: ${String(op)}` : `Bad value in numeric range: ${String(op)}`);
  }
  if (!NUMERIC_OPERATORS.has(op)) throw new PatternError(`Unrecognized numeric range operator: ${op}`);
  if (which === 'second' && op !== '<' && op !== '<=') throw new PatternError(`Bad numeric range operator: ${op}`);
  const value = items[index + 1];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new PatternError(`Value of ${op === '=' ? 'equals' : op} must be numeric`);
  return { op: op as NumericOperator, value };
}

function cidrMatcher(operand: unknown): Matcher {
  if (typeof operand !== 'string') throw new PatternError('prefix match pattern must be a string');
  const parts = operand.split('/');
  if (parts.length !== 2) throw new PatternError("Malformed CIDR, one '/' required");
  const [address, bitsText] = parts as [string, string];
  if (!/^\d+$/.test(bitsText)) throw new PatternError('Malformed CIDR, mask bits must be an integer');
  const ip = parseIpAddress(address);
  if (!ip) throw new PatternError(`Nonstandard IP address: ${address}`);
  const width = ip.family === 4 ? 32 : 128;
  const prefixBits = Number(bitsText);
  if (prefixBits > width) throw new PatternError(`Malformed CIDR, mask bits must be between 0 and ${width}`);
  return { kind: 'cidr', network: { family: ip.family, base: ip.value >> BigInt(width - prefixBits), prefixBits } };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * EventBridge joins nested keys with dots, so `{"a.b": …}` and `{"a": {"b": …}}` name the same
 * field, in patterns and in events alike. Both are brought to the nested form; values that land on
 * the same leaf are collected in an array (an event array matches if any element does).
 */
export function expandDottedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.some(needsExpansion) ? value.map(expandDottedKeys) : value;
  if (!isPlainObject(value) || !needsExpansion(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const path = key === '$or' ? [key] : key.split('.');
    let target = out;
    for (const segment of path.slice(0, -1)) {
      const existing = target[segment];
      if (!isPlainObject(existing)) target[segment] = existing === undefined ? {} : { '': existing };
      target = target[segment] as Record<string, unknown>;
    }
    const last = path[path.length - 1]!;
    const expanded = expandDottedKeys(child);
    const existing = target[last];
    if (existing === undefined) target[last] = expanded;
    else if (isPlainObject(existing) && isPlainObject(expanded)) target[last] = mergeObjects(existing, expanded);
    else target[last] = [...(Array.isArray(existing) ? existing : [existing]), ...(Array.isArray(expanded) ? expanded : [expanded])];
  }
  return out;
}

function mergeObjects(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] = existing === undefined ? value : isPlainObject(existing) && isPlainObject(value) ? mergeObjects(existing, value) : [...[existing].flat(), ...[value].flat()];
  }
  return out;
}

/** Whether any object key below contains a dot (cheap pre-check: most events have none). */
function needsExpansion(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(needsExpansion);
  if (!isPlainObject(value)) return false;
  return Object.entries(value).some(([key, child]) => key.includes('.') || needsExpansion(child));
}
