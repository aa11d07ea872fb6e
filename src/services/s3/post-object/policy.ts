import { errors } from '../errors.js';
import type { FormFields } from './form.js';

/**
 * S3's POST policy: `{"expiration": "…Z", "conditions": [...]}`, base64 in the form's `policy`
 * field. Each condition is an exact match (`{"acl": "public-read"}`, `["eq", "$acl", "…"]`), a
 * prefix (`["starts-with", "$key", "user/"]`) or a size range (`["content-length-range", 1, 10]`).
 */
export interface PostPolicy {
  expirationMs: number;
  conditions: PolicyCondition[];
}

export type PolicyCondition =
  | { op: 'eq' | 'starts-with'; field: string; value: string; text: string }
  | { op: 'content-length-range'; min: unknown; max: unknown; text: string };

/** Form fields no condition needs to name (the signature, the policy itself, the file). */
const UNCOVERED_FIELDS = new Set(['policy', 'x-amz-signature', 'file', 'awsaccesskeyid', 'signature']);
const EXPIRATION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Decodes and checks the document's shape; what S3 cannot read is InvalidPolicyDocument. */
export function parsePolicy(base64: string): PostPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    throw errors.invalidPolicyDocument('Invalid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw errors.invalidPolicyDocument('Invalid JSON.');
  const members = doc as Record<string, unknown>;
  for (const name of Object.keys(members)) {
    if (name !== 'expiration' && name !== 'conditions') throw errors.invalidPolicyDocument(`Unexpected: '${name.toLowerCase()}'`);
  }
  if (members.expiration === undefined) throw errors.invalidPolicyDocument('Policy missing expiration.');
  if (members.conditions === undefined) throw errors.invalidPolicyDocument('Policy missing conditions.');
  const expiration = members.expiration;
  const expirationMs = typeof expiration === 'string' && EXPIRATION.test(expiration) ? Date.parse(expiration) : Number.NaN;
  if (Number.isNaN(expirationMs)) throw errors.invalidPolicyDocument(`Invalid 'expiration' value: '${String(expiration)}'`);
  if (!Array.isArray(members.conditions)) throw errors.invalidPolicyDocument("Invalid 'conditions' value: must be a List.");
  return { expirationMs, conditions: members.conditions.map(parseCondition) };
}

function parseCondition(raw: unknown): PolicyCondition {
  if (Array.isArray(raw)) {
    if (raw.length === 0) throw errors.invalidPolicyDocument('Invalid Condition: missing operation identifier.');
    const [op, a, b] = raw as unknown[];
    if (typeof op !== 'string') throw errors.invalidPolicyDocument('Invalid Condition: missing operation identifier.');
    const name = op.toLowerCase();
    const text = conditionText(raw);
    if (name !== 'eq' && name !== 'starts-with' && name !== 'content-length-range') throw errors.invalidPolicyDocument(`Invalid Condition: unknown operation '${op}'.`);
    if (raw.length !== 3) throw errors.invalidPolicyDocument(`Invalid ${op}: wrong number of arguments.`);
    if (name === 'content-length-range') return { op: name, min: a, max: b, text };
    if (typeof a !== 'string' || typeof b !== 'string') throw errors.invalidPolicyDocument('Invalid JSON.');
    return { op: name, field: a, value: b, text };
  }
  if (typeof raw === 'object' && raw !== null) {
    const entries = Object.entries(raw);
    if (entries.length !== 1) throw errors.invalidPolicyDocument('Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.');
    const [name, value] = entries[0]!;
    if (typeof value !== 'string') throw errors.invalidPolicyDocument(value === null ? 'Invalid JSON.' : 'Invalid Simple-Condition: value must be a string.');
    // S3 reports a simple condition in its `eq` form.
    return { op: 'eq', field: `$${name}`, value, text: conditionText(['eq', `$${name}`, value]) };
  }
  throw errors.invalidPolicyDocument('Invalid condition test: must be a List or Object.');
}

/** `["starts-with", "$key", "user/"]`, as S3 quotes a condition in its error. */
function conditionText(items: unknown[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(', ')}]`;
}

export interface PolicyInput {
  fields: FormFields;
  bucket: string;
  nowMs: number;
}

/**
 * Checks expiration, every condition but the size range (which needs the file), and that every
 * form field is named by a condition. Returns the size range to enforce while the file streams.
 */
export function checkPolicy(policy: PostPolicy, input: PolicyInput): { minBytes: number; maxBytes: number } | undefined {
  if (input.nowMs >= policy.expirationMs) throw errors.policyExpired();
  let range: { minBytes: number; maxBytes: number } | undefined;
  const covered = new Set<string>();
  for (const condition of policy.conditions) {
    if (condition.op === 'content-length-range') {
      const min = byteCount(condition.min);
      const max = byteCount(condition.max);
      if (min === undefined || max === undefined) throw errors.policyConditionFailed(condition.text);
      range = { minBytes: min, maxBytes: max };
      continue;
    }
    // Field names match without regard to case; values match exactly.
    const name = condition.field.startsWith('$') ? condition.field.slice(1).toLowerCase() : undefined;
    if (name === undefined) throw errors.policyConditionFailed(condition.text);
    covered.add(name);
    const actual = name === 'bucket' ? input.bucket : input.fields.get(name);
    if (actual === undefined || !matches(condition.op, name, actual, condition.value)) throw errors.policyConditionFailed(condition.text);
  }
  const extra = input.fields.list
    .map((f) => f.name)
    .filter((name, i, all) => all.findIndex((n) => n.toLowerCase() === name.toLowerCase()) === i)
    .filter((name) => {
      const lower = name.toLowerCase();
      return !UNCOVERED_FIELDS.has(lower) && !lower.startsWith('x-ignore-') && !covered.has(lower);
    });
  if (extra.length > 0) throw errors.policyExtraFields(extra);
  return range;
}

function matches(op: 'eq' | 'starts-with', name: string, actual: string, expected: string): boolean {
  if (op === 'eq') return actual === expected;
  // A Content-Type may list several types, each of which must have the prefix.
  if (name === 'content-type') return actual.split(',').every((type) => type.trim().startsWith(expected));
  return actual.startsWith(expected);
}

/** A range bound: a non-negative integer, as a JSON number or a string of digits. */
function byteCount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}
