import { conditionsHold, type RequestContextKeys } from './conditions.js';
import type { CompiledPolicy, CompiledStatement } from './document.js';

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

/**
 * Identity-policy evaluation as AWS describes it: an explicit Deny in any statement wins, then any
 * Allow, and anything else is denied by default.
 */
export function evaluate(policies: readonly CompiledPolicy[], action: string, resource: string, context: RequestContextKeys): Decision {
  let allowed = false;
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (!statementApplies(statement, action, resource, context)) continue;
      if (statement.effect === 'Deny') return 'explicit-deny';
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
}

function statementApplies(statement: CompiledStatement, action: string, resource: string, context: RequestContextKeys): boolean {
  const actionHit = statement.actions.patterns.some((p) => p.test(action));
  if (actionHit === statement.actions.negated) return false;
  if (statement.resources) {
    const resourceHit = statement.resources.patterns.some((p) => p.test(resource));
    if (resourceHit === statement.resources.negated) return false;
  }
  return conditionsHold(statement.conditions, context);
}

/** Whether a trust policy lets `principal` (a service name like `lambda.amazonaws.com`, or an ARN / account) take `action`. */
export function trustAllows(policy: CompiledPolicy, principal: { service?: string; arn?: string; accountId?: string }, action: string): boolean {
  let allowed = false;
  for (const statement of policy.statements) {
    if (!statement.actions.patterns.some((p) => p.test(action)) === !statement.actions.negated) continue;
    if (!principalMatches(statement.principal, principal)) continue;
    if (statement.effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}

function principalMatches(declared: CompiledStatement['principal'], who: { service?: string; arn?: string; accountId?: string }): boolean {
  if (declared === undefined) return false;
  if (declared === '*') return true;
  if (who.service) return (declared.Service ?? []).includes(who.service);
  for (const entry of declared.AWS ?? []) {
    if (entry === '*') return true;
    if (who.arn && entry === who.arn) return true;
    // An account (bare id or its root ARN) trusts every principal of that account.
    if (who.accountId && (entry === who.accountId || entry === `arn:aws:iam::${who.accountId}:root`)) return true;
  }
  return false;
}
