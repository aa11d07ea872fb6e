import { conditionsHold, type RequestContextKeys } from '../../auth/policy/conditions.js';
import { wildcardPattern } from '../../auth/policy/wildcard.js';
import { errors } from './errors.js';

export const PUT_EVENTS_ACTION = 'events:PutEvents';

interface Statement {
  Sid?: string;
  Effect?: unknown;
  Principal?: unknown;
  Action?: unknown;
  Resource?: unknown;
  Condition?: unknown;
}

export interface BusPolicy {
  Version: string;
  Statement: Statement[];
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');

/** A policy document as PutPermission's `Policy` takes it: JSON with a list (or one) of statements. */
export function parseBusPolicy(text: string): BusPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw errors.invalidPolicyJson();
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw errors.invalidPolicyJson();
  const raw = (doc as Record<string, unknown>).Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  for (const s of statements) {
    if (s === null || typeof s !== 'object' || (s.Effect !== 'Allow' && s.Effect !== 'Deny') || s.Action === undefined) throw errors.invalidPolicyJson();
  }
  return { Version: String((doc as Record<string, unknown>).Version ?? '2012-10-17'), Statement: statements as Statement[] };
}

function principalMatches(principal: unknown, caller: { accountId: string; arn: string }): boolean {
  if (principal === '*') return true;
  if (principal === null || typeof principal !== 'object') return false;
  return list((principal as Record<string, unknown>).AWS).some(
    (entry) => entry === '*' || entry === caller.accountId || entry === `arn:aws:iam::${caller.accountId}:root` || entry === caller.arn,
  );
}

/**
 * Whether a bus's resource policy lets `caller` (another account's principal) take `action` on the
 * bus: an explicit Deny wins, then an Allow whose principal, action, resource and conditions
 * (`aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceAccount`) hold; no policy allows nothing.
 */
export function busPolicyAllows(policyText: string | null, caller: { accountId: string; arn: string }, action: string, busArn: string): boolean {
  if (policyText === null) return false;
  let policy: BusPolicy;
  try {
    policy = parseBusPolicy(policyText);
  } catch {
    return false;
  }
  const context: RequestContextKeys = new Map([
    ['aws:PrincipalAccount', caller.accountId],
    ['aws:PrincipalArn', caller.arn],
    ['aws:SourceAccount', caller.accountId],
  ]);
  let allowed = false;
  for (const s of policy.Statement) {
    if (!principalMatches(s.Principal, caller)) continue;
    if (!list(s.Action).some((a) => wildcardPattern(a, true).test(action))) continue;
    const resources = list(s.Resource);
    if (resources.length > 0 && !resources.some((r) => wildcardPattern(r, false).test(busArn))) continue;
    const condition = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
    const block = Object.fromEntries(Object.entries(condition).map(([op, keys]) => [op, Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)]))]));
    if (!conditionsHold(block, context)) continue;
    if (s.Effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}
