import { AwsError } from '../contracts/aws-error.js';
import { denialMessage, type Authorize, type PolicySource } from '../contracts/authorization.js';
import type { Principal } from '../contracts/principal.js';
import type { Service } from '../contracts/service.js';

export interface AuthorizationInput {
  principal: Principal;
  service: Service;
  region: string;
  sourceIp: string;
  now: number;
}

/**
 * The `authorize` a service calls for a caller held to IAM policies; undefined for an account's
 * own key, so those requests pay nothing. Two rules, in order: a resource of another account is
 * refused unless the service says that resource's policy grants it, then the caller's identity
 * policies decide (explicit deny, then allow, else deny).
 */
export async function authorizationFor(source: PolicySource | undefined, input: AuthorizationInput): Promise<Authorize | undefined> {
  const { principal, service } = input;
  if (principal.kind === 'account') return undefined;
  const policies = source ? await source.policiesFor(principal) : null;
  let context: Map<string, string | string[]> | undefined;
  return (action, resource, resourceAccount, grantedByResourcePolicy) => {
    const owner = resourceAccount ?? accountOfArn(resource);
    let decision: 'allow' | 'explicit-deny' | 'implicit-deny' = 'allow';
    const foreign = owner !== null && owner !== principal.accountId;
    // A function whose role Lambkin's IAM does not know has no policies to ask: it never reaches another account.
    if (foreign && (!grantedByResourcePolicy || (principal.kind === 'role-session' && !principal.managed))) decision = 'implicit-deny';
    else if (policies) decision = policies.decide(action, resource, withResourceAccount((context ??= contextKeys(input)), owner));
    if (decision === 'allow') return;
    const message = denialMessage(principal.arn, action, resource, decision);
    throw service.accessDenied?.(message) ?? new AwsError('AccessDeniedException', 403, message);
  };
}

/**
 * `aws:ResourceAccount` is the account owning the resource the request acts on (the CDK's bootstrap
 * policies require it); absent when the resource names none (`*`).
 */
function withResourceAccount(keys: Map<string, string | string[]>, owner: string | null): Map<string, string | string[]> {
  return owner === null ? keys : new Map(keys).set('aws:ResourceAccount', owner);
}

/** The account field of an ARN when it is an account id (not `aws`, not empty as in S3's). */
function accountOfArn(resource: string): string | null {
  if (!resource.startsWith('arn:')) return null;
  const account = resource.split(':')[4] ?? '';
  return /^\d{12}$/.test(account) ? account : null;
}

/** The global condition keys Lambkin knows for a request. */
function contextKeys(input: AuthorizationInput): Map<string, string | string[]> {
  const { principal } = input;
  const keys = new Map<string, string | string[]>([
    ['aws:SourceIp', input.sourceIp.replace(/^::ffff:/, '')],
    ['aws:CurrentTime', new Date(input.now).toISOString()],
    ['aws:EpochTime', String(Math.floor(input.now / 1000))],
    ['aws:SecureTransport', 'false'],
    ['aws:RequestedRegion', input.region],
    ['aws:PrincipalAccount', principal.accountId],
    ['aws:userid', principal.userId],
  ]);
  if (principal.kind === 'user') {
    keys.set('aws:PrincipalArn', principal.arn);
    keys.set('aws:PrincipalType', 'User');
    keys.set('aws:username', principal.userName);
  } else if (principal.kind === 'role-session') {
    keys.set('aws:PrincipalArn', principal.roleArn);
    keys.set('aws:PrincipalType', 'AssumedRole');
  }
  return keys;
}
