import type { RequestContextKeys } from './conditions.js';
import { compilePolicy, type CompiledPolicy, type CompiledStatement } from './document.js';
import { evaluate, type Decision } from './evaluate.js';

/**
 * Who asks a resource policy (an SQS queue policy, an SNS topic policy) for access: a service
 * principal acting for a resource (`s3.amazonaws.com` for a bucket, with `sourceArn` and
 * `sourceAccount`), or an IAM principal of some account.
 */
export interface ResourcePolicyCaller {
  service?: string;
  accountId?: string;
  /** The IAM principal's ARN (`arn:aws:iam::<account>:root` for an account's own key). */
  arn?: string;
  sourceArn?: string;
  sourceAccount?: string;
}

/** Whether a statement's Principal (or NotPrincipal) names the caller. `*` and `{"AWS": "*"}` name everyone, services too. */
function principalMatches(statement: CompiledStatement, caller: ResourcePolicyCaller): boolean {
  const declared = statement.principal;
  if (declared === undefined) return false;
  if (declared === '*') return true;
  if (declared.NotPrincipal) return !declared.NotPrincipal.some((entry) => entry === '*' || namesCaller(entry, caller));
  if ((declared.AWS ?? []).some((entry) => entry === '*' || (caller.service === undefined && namesCaller(entry, caller)))) return true;
  return caller.service !== undefined && (declared.Service ?? []).includes(caller.service);
}

function namesCaller(entry: string, caller: ResourcePolicyCaller): boolean {
  if (caller.service !== undefined) return entry === caller.service;
  if (caller.arn !== undefined && entry === caller.arn) return true;
  // An account (bare id or its root ARN) names every principal of that account.
  return caller.accountId !== undefined && (entry === caller.accountId || entry === `arn:aws:iam::${caller.accountId}:root`);
}

/** The global condition keys AWS sets for this kind of caller. */
function contextOf(caller: ResourcePolicyCaller): RequestContextKeys {
  const keys: RequestContextKeys = new Map();
  if (caller.service !== undefined) {
    keys.set('aws:PrincipalServiceName', caller.service);
    if (caller.sourceArn !== undefined) keys.set('aws:SourceArn', caller.sourceArn);
    // Not `aws:SourceOwner`: SNS's default topic policy grants on it, and that policy does not let
    // S3 or EventBridge publish (they need a statement of their own, as AWS documents).
    if (caller.sourceAccount !== undefined) keys.set('aws:SourceAccount', caller.sourceAccount);
  } else {
    if (caller.accountId !== undefined) keys.set('aws:PrincipalAccount', caller.accountId);
    if (caller.arn !== undefined) keys.set('aws:PrincipalArn', caller.arn);
  }
  return keys;
}

/** Compiles a stored resource policy; a document that does not compile grants nothing. */
export function compileResourcePolicy(text: string | undefined | null): CompiledPolicy | null {
  if (!text) return null;
  try {
    return compilePolicy(text, 'resource');
  } catch {
    return null;
  }
}

/**
 * A resource policy's verdict on one request, as AWS evaluates it: only the statements whose
 * principal names the caller count; among them an explicit Deny wins, then an Allow whose action,
 * resource and conditions hold; no policy, or no such statement, is an implicit deny.
 */
export function resourcePolicyDecision(policy: CompiledPolicy | null, caller: ResourcePolicyCaller, action: string, resource: string): Decision {
  if (!policy) return 'implicit-deny';
  const mine = { statements: policy.statements.filter((s) => principalMatches(s, caller)) };
  return evaluate([mine], action, resource, contextOf(caller));
}
