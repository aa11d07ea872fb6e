import { expandDottedKeys, isPlainObject } from './compile.js';
import { parseIpAddress } from './ip-address.js';
import type { Matcher, NumericCondition, PatternNode } from './model.js';

/**
 * Whether an event (parsed JSON) matches a compiled pattern. Fields absent from the pattern are
 * ignored; all pattern fields must match; an array in the event matches if any element does
 * (for nested objects, one element must match the whole sub-pattern).
 */
export function matchesPattern(pattern: PatternNode, event: unknown): boolean {
  const expanded = expandDottedKeys(event);
  return matchNode(pattern, isPlainObject(expanded) ? expanded : {});
}

function matchNode(node: PatternNode, object: Record<string, unknown>): boolean {
  for (const field of node.fields) {
    const value = Object.prototype.hasOwnProperty.call(object, field.key) ? object[field.key] : undefined;
    if ('node' in field) {
      const candidates = objectsIn(value);
      // A missing object still matches a sub-pattern made only of `exists: false`.
      if (candidates.length === 0 ? !matchNode(field.node, {}) : !candidates.some((c) => matchNode(field.node, c))) return false;
    } else if (!matchLeaf(field.matchers, leafValues(value))) {
      return false;
    }
  }
  return node.or.every((alternatives) => alternatives.some((alternative) => matchNode(alternative, object)));
}

function objectsIn(value: unknown): Record<string, unknown>[] {
  if (isPlainObject(value)) return [value];
  if (Array.isArray(value)) return value.flatMap(objectsIn);
  return [];
}

type Leaf = string | number | boolean | null;

/** The scalar values at a field: arrays (nested too) contribute their elements; objects none. */
function leafValues(value: unknown): Leaf[] {
  if (value === undefined || isPlainObject(value)) return [];
  if (Array.isArray(value)) return value.flatMap(leafValues);
  return [value as Leaf];
}

function matchLeaf(matchers: Matcher[], values: Leaf[]): boolean {
  return matchers.some((matcher) => {
    if (matcher.kind === 'exists') return matcher.value === values.length > 0;
    return values.some((value) => matchValue(matcher, value));
  });
}

function matchValue(matcher: Matcher, value: Leaf): boolean {
  switch (matcher.kind) {
    case 'literal':
      return value === matcher.value;
    case 'null':
      return value === null;
    case 'prefix':
      return typeof value === 'string' && (matcher.ignoreCase ? fold(value).startsWith(fold(matcher.value)) : value.startsWith(matcher.value));
    case 'suffix':
      return typeof value === 'string' && (matcher.ignoreCase ? fold(value).endsWith(fold(matcher.value)) : value.endsWith(matcher.value));
    case 'equals-ignore-case':
      return typeof value === 'string' && fold(value) === fold(matcher.value);
    case 'wildcard':
      return typeof value === 'string' && matcher.regex.test(value);
    case 'anything-but':
      return !matcher.matchers.some((inner) => matchValue(inner, value));
    case 'numeric':
      return typeof value === 'number' && matcher.conditions.every((c) => compare(value, c));
    case 'cidr': {
      if (typeof value !== 'string') return false;
      const ip = parseIpAddress(value);
      const { family, base, prefixBits } = matcher.network;
      if (!ip || ip.family !== family) return false;
      return ip.value >> BigInt((family === 4 ? 32 : 128) - prefixBits) === base;
    }
    case 'exists':
      return matcher.value;
  }
}

function compare(value: number, condition: NumericCondition): boolean {
  switch (condition.op) {
    case '=':
      return value === condition.value;
    case '<':
      return value < condition.value;
    case '<=':
      return value <= condition.value;
    case '>':
      return value > condition.value;
    case '>=':
      return value >= condition.value;
  }
}

function fold(s: string): string {
  return s.toLowerCase();
}
