import { wildcardPattern } from './wildcard.js';

/** A statement as compiled: patterns ready to match, conditions kept as written. */
export interface CompiledStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** Action or NotAction (`negated`), case-insensitive. */
  actions: { patterns: RegExp[]; negated: boolean };
  /** Resource or NotResource; absent in trust policies. */
  resources?: { patterns: RegExp[]; negated: boolean };
  /** Trust policies: `Principal` as `{AWS: [...], Service: [...], Federated: [...]}`, or `*`. */
  principal?: Record<string, string[]> | '*';
  conditions: ConditionBlock;
}

/** `{ "StringEquals": { "aws:username": ["a"] } }`, values as strings. */
export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface CompiledPolicy {
  statements: CompiledStatement[];
}

/** Why a document is refused; `MalformedPolicyDocument` carries the text. */
export class PolicyDocumentError extends Error {}

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);

/**
 * Parses and checks a policy document. `kind` decides which elements a statement must have:
 * identity policies need Action and Resource, trust policies Action and Principal and no Resource.
 */
export function compilePolicy(text: string, kind: 'identity' | 'trust' | 'resource'): CompiledPolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PolicyDocumentError('This policy contains invalid Json');
  }
  if (!isObject(parsed)) throw new PolicyDocumentError('This policy contains invalid Json');
  if (parsed.Version !== undefined && (typeof parsed.Version !== 'string' || !VERSIONS.has(parsed.Version))) {
    throw new PolicyDocumentError('The policy failed legacy parsing');
  }
  const raw = parsed.Statement;
  if (raw === undefined) throw new PolicyDocumentError('Syntax errors in policy.');
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new PolicyDocumentError('Syntax errors in policy.');
  return { statements: list.map((s) => compileStatement(s, kind)) };
}

function compileStatement(raw: unknown, kind: 'identity' | 'trust' | 'resource'): CompiledStatement {
  if (!isObject(raw)) throw new PolicyDocumentError('Syntax errors in policy.');
  const effect = raw.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyDocumentError('Syntax errors in policy.');
  if (raw.Action !== undefined && raw.NotAction !== undefined) throw new PolicyDocumentError('Syntax errors in policy.');
  if (raw.Action === undefined && raw.NotAction === undefined) throw new PolicyDocumentError('Policy statement must contain actions.');
  const actionValues = stringList(raw.Action ?? raw.NotAction);
  for (const a of actionValues) {
    if (a !== '*' && !/^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$/.test(a)) throw new PolicyDocumentError(`Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.`);
  }
  const statement: CompiledStatement = {
    effect,
    actions: { patterns: actionValues.map((a) => wildcardPattern(a, true)), negated: raw.Action === undefined },
    conditions: conditionBlock(raw.Condition),
  };
  if (typeof raw.Sid === 'string') statement.sid = raw.Sid;
  if (kind === 'resource') {
    // A resource policy (an S3 bucket policy) names both whom it is for and what it covers;
    // `NotPrincipal` is kept under that name, its values flattened (everyone but those).
    if (raw.Principal === undefined && raw.NotPrincipal === undefined) throw new PolicyDocumentError('Missing required field Principal');
    if (raw.Principal !== undefined) statement.principal = principalOf(raw.Principal);
    else {
      const excluded = principalOf(raw.NotPrincipal);
      statement.principal = { NotPrincipal: excluded === '*' ? ['*'] : Object.values(excluded).flat() };
    }
  }
  if (kind === 'identity' || kind === 'resource') {
    if (kind === 'identity' && (raw.Principal !== undefined || raw.NotPrincipal !== undefined)) throw new PolicyDocumentError('Policy document should not specify a principal.');
    if (raw.Resource !== undefined && raw.NotResource !== undefined) throw new PolicyDocumentError('Syntax errors in policy.');
    if (raw.Resource === undefined && raw.NotResource === undefined) throw new PolicyDocumentError('Policy statement must contain resources.');
    const values = stringList(raw.Resource ?? raw.NotResource);
    for (const r of values) if (r !== '*' && !r.startsWith('arn:')) throw new PolicyDocumentError(`Resource ${r} must be in ARN format or "*".`);
    statement.resources = { patterns: values.map((r) => wildcardPattern(r, false)), negated: raw.Resource === undefined };
  } else {
    if (raw.Resource !== undefined || raw.NotResource !== undefined) throw new PolicyDocumentError('Has prohibited field Resource');
    if (raw.Principal === undefined) throw new PolicyDocumentError('Missing required field Principal');
    statement.principal = principalOf(raw.Principal);
  }
  return statement;
}

function principalOf(raw: unknown): Record<string, string[]> | '*' {
  if (raw === '*') return '*';
  if (!isObject(raw)) throw new PolicyDocumentError('Invalid principal in policy');
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(raw)) out[k] = stringList(v);
  return out;
}

function conditionBlock(raw: unknown): ConditionBlock {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw new PolicyDocumentError('Syntax errors in policy.');
  const out: ConditionBlock = {};
  for (const [operator, keys] of Object.entries(raw)) {
    if (!isObject(keys)) throw new PolicyDocumentError('Syntax errors in policy.');
    const entry: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(keys)) entry[key] = (Array.isArray(values) ? values : [values]).map((v) => String(v));
    out[operator] = entry;
  }
  return out;
}

function stringList(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((v) => typeof v === 'string')) throw new PolicyDocumentError('Syntax errors in policy.');
  return list as string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
