import { createUserAccessKey } from '../../../auth/credentials.js';
import type { XmlObject, XmlValue } from '../../../protocols/xml-writer.js';
import type { IamDeps, IamRequest } from '../deps.js';
import { iamErrors } from '../errors.js';
import { iamDate, iamId } from '../ids.js';
import { ACCESS_KEYS_PER_USER_MAX } from '../limits.js';
import type { UserRow } from '../tables/users.js';
import { pageResult, paging, pathOf, required, requiredName } from './params.js';

type Result = Record<string, XmlValue> | undefined;

export async function createUser(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const name = requiredName(params, 'UserName', 64);
  const path = pathOf(params);
  const tags = params.structureList('Tags').map((t) => ({ Key: t.get('Key') ?? '', Value: t.get('Value') ?? '' }));
  const row: UserRow = {
    account_id: ctx.accountId,
    name_key: name.toLowerCase(),
    user_name: name,
    user_id: iamId('AIDA'),
    path,
    arn: `arn:aws:iam::${ctx.accountId}:user${path}${name}`,
    tags: JSON.stringify(tags),
    created_at: deps.clock.now(),
  };
  if (!(await deps.users.insert(row))) throw iamErrors.userExists(name);
  return { User: userView(row) };
}

/** Without `UserName`, the caller itself (an account's own key answers as the root user). */
export async function getUser(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const name = params.get('UserName');
  if (name === undefined) {
    const principal = ctx.principal;
    if (principal?.kind === 'user') return { User: userView(await existingUser(deps, ctx.accountId, principal.userName)) };
    return { User: { UserId: ctx.accountId, Arn: `arn:aws:iam::${ctx.accountId}:root`, CreateDate: iamDate(0) } };
  }
  return { User: userView(await existingUser(deps, ctx.accountId, requiredName(params, 'UserName', 64))) };
}

export async function listUsers(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const { marker, maxItems } = paging(params);
  const page = pageResult(await deps.users.page(ctx.accountId, params.get('PathPrefix') ?? '/', marker, maxItems + 1), maxItems);
  return { Users: page.shown.map(userView), IsTruncated: page.truncated, Marker: page.marker };
}

/** Refused while the user has access keys or policies, as AWS does. */
export async function deleteUser(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const user = await existingUser(deps, ctx.accountId, requiredName(params, 'UserName', 64));
  if ((await deps.users.accessKeys(ctx.accountId, user.user_name)).length > 0) throw iamErrors.deleteConflictAccessKeys();
  if ((await deps.principalPolicies.attached(ctx.accountId, 'user', user.name_key)).length > 0) throw iamErrors.deleteConflictAttached();
  if ((await deps.principalPolicies.inline(ctx.accountId, 'user', user.name_key)).length > 0) throw iamErrors.deleteConflictInline();
  await deps.users.delete(ctx.accountId, user.user_name);
  await deps.sessions.revoke(ctx.accountId, 'user', user.name_key);
  deps.policySource.invalidate();
  return undefined;
}

export async function createAccessKey(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const user = await callerOrNamedUser(deps, ctx, params.get('UserName'));
  if ((await deps.users.accessKeys(ctx.accountId, user.user_name)).length >= ACCESS_KEYS_PER_USER_MAX) throw iamErrors.accessKeysLimit();
  const now = deps.clock.now();
  const key = await createUserAccessKey(deps.db, ctx.accountId, user.name_key, now);
  return {
    AccessKey: { UserName: user.user_name, AccessKeyId: key.accessKeyId, Status: 'Active', SecretAccessKey: key.secretAccessKey, CreateDate: iamDate(now) },
  };
}

export async function listAccessKeys(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const user = await callerOrNamedUser(deps, ctx, params.get('UserName'));
  const keys = await deps.users.accessKeys(ctx.accountId, user.user_name);
  return {
    AccessKeyMetadata: keys.map((k) => ({ UserName: user.user_name, AccessKeyId: k.access_key_id, Status: k.status, CreateDate: iamDate(k.created_at) })),
    IsTruncated: false,
  };
}

export async function deleteAccessKey(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const user = await callerOrNamedUser(deps, ctx, params.get('UserName'));
  const id = required(params, 'AccessKeyId');
  if (!(await deps.users.deleteAccessKey(ctx.accountId, user.user_name, id))) throw iamErrors.noSuchAccessKey(id);
  deps.credentials.forget(id);
  return undefined;
}

export async function updateAccessKey(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const user = await callerOrNamedUser(deps, ctx, params.get('UserName'));
  const id = required(params, 'AccessKeyId');
  const status = required(params, 'Status');
  if (status !== 'Active' && status !== 'Inactive') {
    throw iamErrors.validation(`1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`);
  }
  if (!(await deps.users.setAccessKeyStatus(ctx.accountId, user.user_name, id, status))) throw iamErrors.noSuchAccessKey(id);
  deps.credentials.forget(id);
  return undefined;
}

export async function existingUser(deps: IamDeps, accountId: string, name: string): Promise<UserRow> {
  const user = await deps.users.get(accountId, name);
  if (!user) throw iamErrors.noSuchUser(name);
  return user;
}

/** AWS's access-key operations default to the calling user. */
async function callerOrNamedUser(deps: IamDeps, ctx: IamRequest['ctx'], name: string | undefined): Promise<UserRow> {
  if (name !== undefined) return existingUser(deps, ctx.accountId, name);
  if (ctx.principal?.kind === 'user') return existingUser(deps, ctx.accountId, ctx.principal.userName);
  throw iamErrors.missing('userName');
}

function userView(row: UserRow): XmlObject {
  const tags = JSON.parse(row.tags) as Array<{ Key: string; Value: string }>;
  return { Path: row.path, UserName: row.user_name, UserId: row.user_id, Arn: row.arn, CreateDate: iamDate(row.created_at), Tags: tags.length > 0 ? tags : undefined };
}
