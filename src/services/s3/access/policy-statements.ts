import { compilePolicy, type CompiledPolicy, type CompiledStatement } from '../../../auth/policy/document.js';
import type { Principal } from '../../../contracts/principal.js';
import type { S3Request } from '../request.js';

/**
 * Whom a bucket policy statement is matched against: nobody (an unsigned request, reached only
 * by `*`), or a signed caller known by its account and ARNs (an assumed role also by its role ARN).
 */
export type PolicyCaller = { kind: 'anonymous' } | { kind: 'signed'; accountId: string; arns: string[] };

export function callerOf(principal: Principal | undefined, accountId: string): PolicyCaller {
  if (!principal) return { kind: 'signed', accountId, arns: [`arn:aws:iam::${accountId}:root`] };
  const arns = [principal.arn];
  if (principal.kind === 'role-session') arns.push(principal.roleArn);
  return { kind: 'signed', accountId: principal.accountId, arns };
}

function names(caller: PolicyCaller, entry: string): boolean {
  if (entry === '*') return true;
  if (caller.kind === 'anonymous') return false;
  return entry === caller.accountId || entry === `arn:aws:iam::${caller.accountId}:root` || caller.arns.includes(entry);
}

/** Whether a statement's Principal (or NotPrincipal) covers the caller. */
function statementCovers(statement: CompiledStatement, caller: PolicyCaller): boolean {
  const p = statement.principal;
  if (p === '*') return true;
  if (p === undefined) return false;
  if (p.NotPrincipal) return !p.NotPrincipal.some((entry) => names(caller, entry));
  return (p.AWS ?? []).some((entry) => names(caller, entry));
}

/** The statements of a bucket policy that speak to this caller. */
export function policyFor(text: string, caller: PolicyCaller): CompiledPolicy {
  return { statements: compilePolicy(text, 'resource').statements.filter((s) => statementCovers(s, caller)) };
}

/** The request's condition keys as a bucket policy sees them. */
export function requestKeys(req: S3Request, nowMs: number, caller: PolicyCaller): Map<string, string | string[]> {
  const keys = new Map<string, string | string[]>([
    ['aws:SourceIp', req.ctx.sourceIp.replace(/^::ffff:/, '')],
    ['aws:CurrentTime', new Date(nowMs).toISOString()],
    ['aws:EpochTime', String(Math.floor(nowMs / 1000))],
    ['aws:SecureTransport', req.ctx.endpoint.protocol === 'https' ? 'true' : 'false'],
  ]);
  if (caller.kind === 'signed') {
    keys.set('aws:PrincipalAccount', caller.accountId);
    keys.set('aws:PrincipalArn', caller.arns[caller.arns.length - 1]!);
  }
  const referer = req.ctx.headers.referer;
  if (typeof referer === 'string') keys.set('aws:Referer', referer);
  const agent = req.ctx.headers['user-agent'];
  if (typeof agent === 'string') keys.set('aws:UserAgent', agent);
  return keys;
}
