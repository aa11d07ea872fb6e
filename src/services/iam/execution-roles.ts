import { compilePolicy } from '../../auth/policy/document.js';
import { trustAllows } from '../../auth/policy/evaluate.js';
import { createHash } from 'node:crypto';
import type { ExecutionRoleCheck, FunctionCredentialIssuer, FunctionCredentials, LambdaTrust } from '../../contracts/execution-roles.js';
import type { Principal } from '../../contracts/principal.js';
import type { IamDeps } from './deps.js';
import { FUNCTION_SESSION_SECONDS } from './limits.js';
import { parseRoleArn } from './role-arns.js';

const LAMBDA_SERVICE = 'lambda.amazonaws.com';

/** What Lambda asks of IAM: may it assume a role, and credentials for each environment. */
export function executionRoles(deps: IamDeps): { check: ExecutionRoleCheck; issue: FunctionCredentialIssuer } {
  const check: ExecutionRoleCheck = {
    async trustForLambda(accountId: string, roleArn: string): Promise<LambdaTrust> {
      const parsed = parseRoleArn(roleArn);
      if (!parsed || parsed.accountId !== accountId) return 'unknown';
      const role = await deps.roles.get(accountId, parsed.name);
      if (!role) return 'unknown';
      return trustAllows(compilePolicy(role.trust_policy, 'trust'), { service: LAMBDA_SERVICE }, 'sts:AssumeRole') ? 'trusted' : 'untrusted';
    },
  };

  /**
   * A session of the function's role named after the function, as AWS names it. A role IAM does
   * not know (or one of another account) still gets a session, unmanaged: full access to the
   * function's own account, nothing beyond; the function's log says so.
   */
  const issue: FunctionCredentialIssuer = async ({ accountId, functionName, role: roleArn }): Promise<FunctionCredentials> => {
    const parsed = parseRoleArn(roleArn);
    const sameAccount = parsed !== null && parsed.accountId === accountId;
    const role = sameAccount ? await deps.roles.get(accountId, parsed.name) : undefined;
    const roleName = role?.role_name ?? parsed?.name ?? 'unknown-role';
    const roleId = role?.role_id ?? unmanagedRoleId(accountId, roleArn);
    const principal: Principal = {
      kind: 'role-session',
      accountId,
      arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${functionName}`,
      userId: `${roleId}:${functionName}`,
      roleArn: role?.arn ?? `arn:aws:iam::${accountId}:role/${roleName}`,
      roleName,
      roleId,
      sessionName: functionName,
      managed: role !== undefined,
    };
    const session = await deps.sessions.issue({ principal, kind: 'role', principalKey: roleName.toLowerCase(), durationSeconds: FUNCTION_SESSION_SECONDS });
    const credentials: FunctionCredentials = { ...session };
    if (!role) {
      credentials.warning =
        `WARNING Lambkin: the execution role ${roleArn} is not in Lambkin's IAM, so this function's credentials keep full access to account ${accountId} ` +
        `(and none to other accounts). Create the role (iam create-role) to hold the function to its policies.`;
    }
    return credentials;
  };
  return { check, issue };
}

/** A stable id for a role IAM does not have, so `GetCallerIdentity` answers the same across environments. */
function unmanagedRoleId(accountId: string, roleArn: string): string {
  const digest = createHash('sha256').update(`${accountId}\0${roleArn}`).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = 'AROA';
  for (let i = 0; i < 17; i++) id += alphabet[digest[i]! & 31];
  return id;
}
