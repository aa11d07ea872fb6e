import type { Principal } from './principal.js';

/**
 * What a service calls before it acts: throws the service's own access-denied error when the
 * caller may not take `action` (`lambda:GetFunction`) on `resource` (an ARN, or `*`).
 * `resourceAccount` names the owner when the ARN carries none (S3 buckets).
 * `grantedByResourcePolicy`: the resource's own policy already lets this caller in from another
 * account (an S3 bucket policy), so the caller's identity policies decide as for its own account.
 * Absent from the request context when the caller is unrestricted (an account's own key), so
 * the common path costs nothing.
 */
export type Authorize = (action: string, resource: string, resourceAccount?: string, grantedByResourcePolicy?: boolean) => void;

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

/** A principal's policies, compiled; `decide` is synchronous so a service's dispatch stays cheap. */
export interface PrincipalPolicies {
  decide(action: string, resource: string, context: Map<string, string | string[]>): Decision;
}

/** Looks a principal's policies up (IAM offers it; the edge asks once per request). */
export interface PolicySource {
  /** null: the principal is not held to policies (an account's own key). */
  policiesFor(principal: Principal): Promise<PrincipalPolicies | null>;
}

/** AWS's denial text, the same for every service that words it so. */
export function denialMessage(principalArn: string, action: string, resource: string, decision: Decision): string {
  const why = decision === 'explicit-deny' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}
