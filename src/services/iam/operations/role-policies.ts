import type { XmlValue } from '../../../protocols/xml-writer.js';
import { awsManagedPolicy, isAwsManagedArn } from '../aws-managed-policies.js';
import type { IamDeps, IamRequest } from '../deps.js';
import { iamErrors } from '../errors.js';
import { ATTACHED_POLICIES_MAX } from '../limits.js';
import type { PrincipalKind } from '../tables/principal-policies.js';
import { checkedDocument, encodedDocument } from './documents.js';
import { existingRole } from './roles.js';
import { existingUser } from './users.js';
import { required, requiredName } from './params.js';

type Result = Record<string, XmlValue> | undefined;

/** Role and user policy operations differ only in which principal they name; these build both. */
interface Subject {
  kind: PrincipalKind;
  /** `RoleName` or `UserName`. */
  param: string;
  /** The principal's lower-cased name, after checking it exists. */
  resolve(deps: IamDeps, accountId: string, name: string): Promise<string>;
  noSuchInline(policy: string): Error;
  label: 'Role' | 'User';
}

const ROLE: Subject = {
  kind: 'role', param: 'RoleName', label: 'Role',
  resolve: async (deps, accountId, name) => (await existingRole(deps, accountId, name)).name_key,
  noSuchInline: (policy) => iamErrors.noSuchRolePolicy(policy),
};
const USER: Subject = {
  kind: 'user', param: 'UserName', label: 'User',
  resolve: async (deps, accountId, name) => (await existingUser(deps, accountId, name)).name_key,
  noSuchInline: (policy) => iamErrors.noSuchUserPolicy(policy),
};

function putPolicy(subject: Subject) {
  return async (deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> => {
    const name = requiredName(params, subject.param, 64);
    const policyName = requiredName(params, 'PolicyName', 128);
    const document = required(params, 'PolicyDocument');
    checkedDocument(document, 'identity');
    const key = await subject.resolve(deps, ctx.accountId, name);
    await deps.principalPolicies.putInline(ctx.accountId, subject.kind, key, policyName, document);
    deps.policySource.invalidate();
    return undefined;
  };
}

function getPolicy(subject: Subject) {
  return async (deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> => {
    const name = requiredName(params, subject.param, 64);
    const policyName = requiredName(params, 'PolicyName', 128);
    const key = await subject.resolve(deps, ctx.accountId, name);
    const row = await deps.principalPolicies.getInline(ctx.accountId, subject.kind, key, policyName);
    if (!row) throw subject.noSuchInline(policyName);
    return { [subject.param]: name, PolicyName: row.policy_name, PolicyDocument: encodedDocument(row.document) };
  };
}

function deletePolicy(subject: Subject) {
  return async (deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> => {
    const name = requiredName(params, subject.param, 64);
    const policyName = requiredName(params, 'PolicyName', 128);
    const key = await subject.resolve(deps, ctx.accountId, name);
    if (!(await deps.principalPolicies.deleteInline(ctx.accountId, subject.kind, key, policyName))) throw subject.noSuchInline(policyName);
    deps.policySource.invalidate();
    return undefined;
  };
}

function listPolicies(subject: Subject) {
  return async (deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> => {
    const key = await subject.resolve(deps, ctx.accountId, requiredName(params, subject.param, 64));
    const rows = await deps.principalPolicies.inline(ctx.accountId, subject.kind, key);
    return { PolicyNames: rows.map((r) => r.policy_name), IsTruncated: false };
  };
}

function attachPolicy(subject: Subject) {
  return async (deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> => {
    const key = await subject.resolve(deps, ctx.accountId, requiredName(params, subject.param, 64));
    const arn = required(params, 'PolicyArn');
    await attachablePolicy(deps, ctx.accountId, arn);
    const attached = await deps.principalPolicies.attached(ctx.accountId, subject.kind, key);
    if (!attached.includes(arn) && attached.length >= ATTACHED_POLICIES_MAX) throw iamErrors.attachedLimit(subject.label);
    await deps.principalPolicies.attach(ctx.accountId, subject.kind, key, arn);
    deps.policySource.invalidate();
    return undefined;
  };
}

function detachPolicy(subject: Subject) {
  return async (deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> => {
    const key = await subject.resolve(deps, ctx.accountId, requiredName(params, subject.param, 64));
    const arn = required(params, 'PolicyArn');
    if (!/^arn:aws:iam::(aws|\d{12}):policy\//.test(arn)) throw iamErrors.invalidArn(arn);
    if (!(await deps.principalPolicies.detach(ctx.accountId, subject.kind, key, arn))) throw iamErrors.notAttached(arn);
    deps.policySource.invalidate();
    return undefined;
  };
}

function listAttached(subject: Subject) {
  return async (deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> => {
    const key = await subject.resolve(deps, ctx.accountId, requiredName(params, subject.param, 64));
    const arns = await deps.principalPolicies.attached(ctx.accountId, subject.kind, key);
    return { AttachedPolicies: arns.map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn })), IsTruncated: false };
  };
}

/** An AWS-managed policy Lambkin has, or a customer-managed one of the caller's account. */
async function attachablePolicy(deps: IamDeps, accountId: string, arn: string): Promise<void> {
  if (!/^arn:aws:iam::(aws|\d{12}):policy\//.test(arn)) throw iamErrors.invalidArn(arn);
  if (isAwsManagedArn(arn)) {
    if (!awsManagedPolicy(arn)) throw iamErrors.noSuchPolicy(arn);
    return;
  }
  const policy = await deps.managed.get(arn);
  if (!policy || policy.account_id !== accountId) throw iamErrors.noSuchPolicy(arn);
}

export const putRolePolicy = putPolicy(ROLE);
export const getRolePolicy = getPolicy(ROLE);
export const deleteRolePolicy = deletePolicy(ROLE);
export const listRolePolicies = listPolicies(ROLE);
export const attachRolePolicy = attachPolicy(ROLE);
export const detachRolePolicy = detachPolicy(ROLE);
export const listAttachedRolePolicies = listAttached(ROLE);
export const putUserPolicy = putPolicy(USER);
export const getUserPolicy = getPolicy(USER);
export const deleteUserPolicy = deletePolicy(USER);
export const listUserPolicies = listPolicies(USER);
export const attachUserPolicy = attachPolicy(USER);
export const detachUserPolicy = detachPolicy(USER);
export const listAttachedUserPolicies = listAttached(USER);
