import { timingSafeEqual, createHash } from 'node:crypto';
import { AwsError } from '../contracts/aws-error.js';
import type { InternalCaller } from '../contracts/internal-route.js';
import { isLoopback } from '../contracts/loopback.js';
import type { ServiceResponse } from '../contracts/request-context.js';

/** Who may read the platform's own figures, and how far. */
export type OperatorAccess =
  /** Loopback without credentials, or the configured bearer token: the whole installation. */
  | { allowed: 'all' }
  /** A request signed with an account's own key: that account only. */
  | { allowed: 'account'; accountId: string }
  | { refused: ServiceResponse };

/**
 * The gate of `/metrics` and `/_lambkin/billing`, decided as AWS-like platforms decide for their
 * scrape and console endpoints: Prometheus scrapes from the same machine without credentials
 * (loopback); from elsewhere a request needs `Authorization: Bearer <LAMBKIN_METRICS_TOKEN>` (what
 * a Prometheus scrape config sends) or a SigV4 signature by an account key (what the AWS SDKs and
 * `lambkin bill` send). IAM users and role sessions, functions' own credentials among them, are
 * refused: the figures are an operator's, not a resource an IAM policy grants. Credentials that
 * fail are refused on loopback too, so a wrong token is noticed rather than ignored.
 */
export async function operatorAccess(caller: InternalCaller, token: string | undefined): Promise<OperatorAccess> {
  const authorization = caller.headers.authorization;
  const bearer = typeof authorization === 'string' && /^Bearer\s+/i.test(authorization) ? authorization.replace(/^Bearer\s+/i, '').trim() : undefined;
  if (bearer !== undefined) {
    if (token !== undefined && sameSecret(bearer, token)) return { allowed: 'all' };
    return { refused: refusal(403, 'The bearer token is not valid for this endpoint.') };
  }
  let principal;
  try {
    principal = await caller.signer();
  } catch (err) {
    if (err instanceof AwsError) return { refused: refusal(403, err.message) };
    throw err;
  }
  if (principal) {
    if (principal.kind !== 'account') return { refused: refusal(403, `${principal.arn} may not read platform metrics or bills: sign with an account key, or use the bearer token.`) };
    return { allowed: 'account', accountId: principal.accountId };
  }
  if (isLoopback(caller.sourceIp)) return { allowed: 'all' };
  return {
    refused: {
      ...refusal(401, `Requests from ${caller.sourceIp} need credentials: Authorization: Bearer <LAMBKIN_METRICS_TOKEN>, or a SigV4 signature.`),
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="lambkin"' },
    },
  };
}

function refusal(status: number, message: string): ServiceResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) };
}

/** Compares digests, so neither the length nor a prefix of the token leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
