import { compilePolicy } from '../../../auth/policy/document.js';
import { trustAllows } from '../../../auth/policy/evaluate.js';
import { accountPrincipal, type Principal } from '../../../contracts/principal.js';
import type { XmlValue } from '../../../protocols/xml-writer.js';
import type { IamDeps, IamRequest } from '../deps.js';
import { stsErrors } from '../errors.js';
import { iamDate } from '../ids.js';
import {
  CHAINED_SESSION_SECONDS_MAX, ROOT_SESSION_TOKEN_SECONDS_MAX, SESSION_SECONDS_MIN, SESSION_TOKEN_SECONDS_DEFAULT, SESSION_TOKEN_SECONDS_MAX,
} from '../limits.js';
import { parseRoleArn } from '../role-arns.js';

type Result = Record<string, XmlValue> | undefined;

/** Needs no permission, as on AWS: anyone may ask who they are. */
export async function getCallerIdentity(_deps: IamDeps, { ctx }: IamRequest): Promise<Result> {
  const principal = ctx.principal ?? accountPrincipal(ctx.accountId);
  return { UserId: principal.userId, Account: principal.accountId, Arn: principal.arn };
}

export async function assumeRole(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const roleArn = params.get('RoleArn');
  if (roleArn === undefined) throw stsErrors.missing('roleArn');
  const sessionName = params.get('RoleSessionName');
  if (sessionName === undefined) throw stsErrors.missing('roleSessionName');
  if (sessionName.length < 2 || sessionName.length > 64) {
    throw stsErrors.validation(`1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must have length ${sessionName.length < 2 ? 'greater than or equal to 2' : 'less than or equal to 64'}`);
  }
  if (!/^[\w+=,.@-]+$/.test(sessionName)) throw stsErrors.sessionNamePattern(sessionName);
  const caller = ctx.principal ?? accountPrincipal(ctx.accountId);
  // The role's trust policy is the other account's consent, so no resource account is named here.
  ctx.authorize?.('sts:AssumeRole', roleArn, caller.accountId);
  const denied = () => stsErrors.accessDenied(`User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  const parsed = parseRoleArn(roleArn);
  if (!parsed) throw stsErrors.validation(`${roleArn} is invalid`);
  const role = await deps.roles.get(parsed.accountId, parsed.name);
  if (!role) throw denied();
  const trustedAs = caller.kind === 'role-session' ? caller.roleArn : caller.arn;
  if (!trustAllows(compilePolicy(role.trust_policy, 'trust'), { arn: trustedAs, accountId: caller.accountId }, 'sts:AssumeRole')) throw denied();
  const duration = Number(params.get('DurationSeconds') ?? 3600);
  if (!Number.isInteger(duration) || duration < SESSION_SECONDS_MIN || duration > 43_200) throw stsErrors.durationRange(duration, 'durationSeconds', SESSION_SECONDS_MIN, 43_200);
  if (duration > role.max_session_seconds) throw stsErrors.durationTooLong();
  if (caller.kind === 'role-session' && duration > CHAINED_SESSION_SECONDS_MAX) throw stsErrors.chainedDuration();
  const principal: Principal = {
    kind: 'role-session',
    accountId: role.account_id,
    arn: `arn:aws:sts::${role.account_id}:assumed-role/${role.role_name}/${sessionName}`,
    userId: `${role.role_id}:${sessionName}`,
    roleArn: role.arn,
    roleName: role.role_name,
    roleId: role.role_id,
    sessionName,
    managed: true,
  };
  const session = await deps.sessions.issue({ principal, kind: 'role', principalKey: role.name_key, durationSeconds: duration });
  return {
    Credentials: credentialsView(session),
    AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn },
  };
}

/** For an account's own key or a user; role sessions cannot (AWS refuses session credentials here). */
export async function getSessionToken(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const caller = ctx.principal ?? accountPrincipal(ctx.accountId);
  if (caller.kind === 'role-session' || ctx.accessKeyId?.startsWith('ASIA')) throw stsErrors.accessDenied('Cannot call GetSessionToken with session credentials');
  const max = caller.kind === 'account' ? ROOT_SESSION_TOKEN_SECONDS_MAX : SESSION_TOKEN_SECONDS_MAX;
  const duration = Number(params.get('DurationSeconds') ?? Math.min(SESSION_TOKEN_SECONDS_DEFAULT, max));
  if (!Number.isInteger(duration) || duration < SESSION_SECONDS_MIN || duration > max) throw stsErrors.durationRange(duration, 'durationSeconds', SESSION_SECONDS_MIN, max);
  const session = await deps.sessions.issue({
    principal: caller,
    kind: caller.kind === 'user' ? 'user' : 'account',
    principalKey: caller.kind === 'user' ? caller.userName.toLowerCase() : '',
    durationSeconds: duration,
  });
  return { Credentials: credentialsView(session) };
}

function credentialsView(session: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiresAt: number }) {
  return { AccessKeyId: session.accessKeyId, SecretAccessKey: session.secretAccessKey, SessionToken: session.sessionToken, Expiration: iamDate(session.expiresAt) };
}
