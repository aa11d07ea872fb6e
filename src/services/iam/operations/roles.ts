import type { XmlObject, XmlValue } from '../../../protocols/xml-writer.js';
import type { IamDeps, IamRequest } from '../deps.js';
import { iamErrors } from '../errors.js';
import { iamDate, iamId } from '../ids.js';
import { ROLE_SESSION_SECONDS_DEFAULT, ROLE_SESSION_SECONDS_MAX } from '../limits.js';
import type { RoleRow } from '../tables/roles.js';
import { checkedDocument, encodedDocument } from './documents.js';
import { pageResult, paging, pathOf, required, requiredName } from './params.js';

type Result = Record<string, XmlValue> | undefined;

export async function createRole(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const name = requiredName(params, 'RoleName', 64);
  const trust = required(params, 'AssumeRolePolicyDocument');
  const path = pathOf(params);
  checkedDocument(trust, 'trust');
  const maxSession = sessionSeconds(params.get('MaxSessionDuration'));
  const tags = params.structureList('Tags').map((t) => ({ Key: t.get('Key') ?? '', Value: t.get('Value') ?? '' }));
  const row: RoleRow = {
    account_id: ctx.accountId,
    name_key: name.toLowerCase(),
    role_name: name,
    role_id: iamId('AROA'),
    path,
    arn: `arn:aws:iam::${ctx.accountId}:role${path}${name}`,
    trust_policy: trust,
    description: params.get('Description') ?? null,
    max_session_seconds: maxSession,
    tags: JSON.stringify(tags),
    created_at: deps.clock.now(),
  };
  if (!(await deps.roles.insert(row))) throw iamErrors.roleExists(name);
  return { Role: roleView(row) };
}

export async function getRole(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const role = await existingRole(deps, ctx.accountId, requiredName(params, 'RoleName', 64));
  return { Role: roleView(role) };
}

export async function listRoles(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const { marker, maxItems } = paging(params);
  const rows = await deps.roles.page(ctx.accountId, params.get('PathPrefix') ?? '/', marker, maxItems + 1);
  const page = pageResult(rows, maxItems);
  // ListRoles leaves the trust policy out of each role (AWS does since 2023); GetRole has it.
  return { Roles: page.shown.map((r) => roleView(r, false)), IsTruncated: page.truncated, Marker: page.marker };
}

export async function updateAssumeRolePolicy(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const role = await existingRole(deps, ctx.accountId, requiredName(params, 'RoleName', 64));
  const trust = required(params, 'PolicyDocument');
  checkedDocument(trust, 'trust');
  await deps.roles.update(ctx.accountId, role.role_name, { trust_policy: trust });
  return undefined;
}

export async function updateRole(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const role = await existingRole(deps, ctx.accountId, requiredName(params, 'RoleName', 64));
  const changes: { description?: string; max_session_seconds?: number } = {};
  if (params.has('Description')) changes.description = params.get('Description') ?? '';
  if (params.has('MaxSessionDuration')) changes.max_session_seconds = sessionSeconds(params.get('MaxSessionDuration'));
  await deps.roles.update(ctx.accountId, role.role_name, changes);
  return {};
}

/** Refused while policies are attached or inline, as AWS does; every session of the role ends with it. */
export async function deleteRole(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const role = await existingRole(deps, ctx.accountId, requiredName(params, 'RoleName', 64));
  if ((await deps.principalPolicies.attached(ctx.accountId, 'role', role.name_key)).length > 0) throw iamErrors.deleteConflictAttached();
  if ((await deps.principalPolicies.inline(ctx.accountId, 'role', role.name_key)).length > 0) throw iamErrors.deleteConflictInline();
  await deps.roles.delete(ctx.accountId, role.role_name);
  await deps.sessions.revoke(ctx.accountId, 'role', role.name_key);
  deps.policySource.invalidate();
  return undefined;
}

export async function existingRole(deps: IamDeps, accountId: string, name: string): Promise<RoleRow> {
  const role = await deps.roles.get(accountId, name);
  if (!role) throw iamErrors.noSuchRole(name);
  return role;
}

function sessionSeconds(text: string | undefined): number {
  if (text === undefined) return ROLE_SESSION_SECONDS_DEFAULT;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 3600 || value > ROLE_SESSION_SECONDS_MAX) {
    throw iamErrors.validation(
      `1 validation error detected: Value '${text}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value ${value < 3600 ? 'greater than or equal to 3600' : `less than or equal to ${ROLE_SESSION_SECONDS_MAX}`}`,
    );
  }
  return value;
}

export function roleView(row: RoleRow, withTrust = true): XmlObject {
  const tags = JSON.parse(row.tags) as Array<{ Key: string; Value: string }>;
  return {
    Path: row.path,
    RoleName: row.role_name,
    RoleId: row.role_id,
    Arn: row.arn,
    CreateDate: iamDate(row.created_at),
    AssumeRolePolicyDocument: withTrust ? encodedDocument(row.trust_policy) : undefined,
    Description: row.description ?? undefined,
    MaxSessionDuration: row.max_session_seconds,
    Tags: tags.length > 0 ? tags : undefined,
  };
}
