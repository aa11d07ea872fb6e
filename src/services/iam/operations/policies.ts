import type { XmlObject, XmlValue } from '../../../protocols/xml-writer.js';
import { awsManagedPolicies, awsManagedPolicy, isAwsManagedArn, type AwsManagedPolicy } from '../aws-managed-policies.js';
import type { IamDeps, IamRequest } from '../deps.js';
import { iamErrors } from '../errors.js';
import { iamDate, iamId } from '../ids.js';
import { POLICY_VERSIONS_MAX } from '../limits.js';
import type { PolicyRow } from '../tables/managed-policies.js';
import { checkedDocument, encodedDocument } from './documents.js';
import { pageResult, paging, pathOf, required, requiredName } from './params.js';

type Result = Record<string, XmlValue> | undefined;

/** AWS-managed policies date from before any account: one fixed date for all of them. */
const AWS_MANAGED_DATE = Date.UTC(2015, 1, 6, 18, 40, 0);

export async function createPolicy(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const name = requiredName(params, 'PolicyName', 128);
  const document = required(params, 'PolicyDocument');
  const path = pathOf(params);
  checkedDocument(document, 'identity');
  const now = deps.clock.now();
  const row: PolicyRow = {
    arn: `arn:aws:iam::${ctx.accountId}:policy${path}${name}`,
    account_id: ctx.accountId,
    name_key: name.toLowerCase(),
    policy_name: name,
    policy_id: iamId('ANPA'),
    path,
    description: params.get('Description') ?? null,
    default_version: 1,
    next_version: 2,
    created_at: now,
    updated_at: now,
  };
  if ((await deps.managed.byName(ctx.accountId, name)) || !(await deps.managed.create(row, document))) throw iamErrors.policyExists(name);
  return { Policy: customerView(row, 0) };
}

export async function getPolicy(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const arn = required(params, 'PolicyArn');
  const aws = awsManagedPolicy(arn);
  if (aws) return { Policy: awsView(aws, await deps.principalPolicies.attachmentCount(ctx.accountId, arn)) };
  const row = await existingPolicy(deps, ctx.accountId, arn);
  return { Policy: customerView(row, await deps.principalPolicies.attachmentCount(ctx.accountId, arn)) };
}

/** Refused while attached or while versions other than the default remain, as AWS does. */
export async function deletePolicy(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const arn = required(params, 'PolicyArn');
  if (isAwsManagedArn(arn)) throw iamErrors.accessDenied(`User: ${ctx.principal?.arn ?? `arn:aws:iam::${ctx.accountId}:root`} is not authorized to perform: iam:DeletePolicy on resource: policy ${arn}`);
  const row = await existingPolicy(deps, ctx.accountId, arn);
  if ((await deps.principalPolicies.attachmentCount(ctx.accountId, arn)) > 0) throw iamErrors.deleteConflictPolicyAttached();
  if ((await deps.managed.versions(arn)).length > 1) throw iamErrors.deleteConflictVersions();
  await deps.managed.delete(row.arn);
  deps.policySource.invalidate();
  return undefined;
}

/** `Scope` All (default), AWS or Local; `OnlyAttached` narrows to attached ones. */
export async function listPolicies(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const scope = params.get('Scope') ?? 'All';
  const onlyAttached = params.get('OnlyAttached') === 'true';
  const { marker, maxItems } = paging(params);
  const views: XmlObject[] = [];
  if (scope !== 'Local') {
    for (const p of awsManagedPolicies()) {
      const count = await deps.principalPolicies.attachmentCount(ctx.accountId, p.arn);
      if (!onlyAttached || count > 0) views.push(awsView(p, count));
    }
  }
  let truncated = false;
  let nextMarker: string | undefined;
  if (scope !== 'AWS') {
    const page = pageResult(await deps.managed.page(ctx.accountId, marker, maxItems + 1), maxItems);
    truncated = page.truncated;
    nextMarker = page.marker;
    for (const row of page.shown) {
      const count = await deps.principalPolicies.attachmentCount(ctx.accountId, row.arn);
      if (!onlyAttached || count > 0) views.push(customerView(row, count));
    }
  }
  // AWS-managed ones come only on the first page.
  return { Policies: marker === null ? views : views.filter((v) => !String(v.Arn).startsWith('arn:aws:iam::aws:')), IsTruncated: truncated, Marker: nextMarker };
}

export async function createPolicyVersion(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const arn = required(params, 'PolicyArn');
  const document = required(params, 'PolicyDocument');
  await existingPolicy(deps, ctx.accountId, arn);
  checkedDocument(document, 'identity');
  if ((await deps.managed.versions(arn)).length >= POLICY_VERSIONS_MAX) throw iamErrors.versionsLimit();
  const setDefault = params.get('SetAsDefault') === 'true';
  const now = deps.clock.now();
  const version = await deps.managed.addVersion(arn, document, setDefault, now);
  deps.policySource.invalidate();
  return { PolicyVersion: { VersionId: `v${version}`, IsDefaultVersion: setDefault, CreateDate: iamDate(now) } };
}

export async function getPolicyVersion(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const arn = required(params, 'PolicyArn');
  const versionId = required(params, 'VersionId');
  const aws = awsManagedPolicy(arn);
  if (aws) {
    if (versionId !== aws.version) throw iamErrors.noSuchPolicyVersion(arn, versionId);
    return { PolicyVersion: { Document: encodedDocument(JSON.stringify(aws.document)), VersionId: aws.version, IsDefaultVersion: true, CreateDate: iamDate(AWS_MANAGED_DATE) } };
  }
  const row = await existingPolicy(deps, ctx.accountId, arn);
  const version = await deps.managed.version(arn, versionNumber(versionId));
  if (!version) throw iamErrors.noSuchPolicyVersion(arn, versionId);
  return {
    PolicyVersion: { Document: encodedDocument(version.document), VersionId: versionId, IsDefaultVersion: row.default_version === version.version, CreateDate: iamDate(version.created_at) },
  };
}

export async function listPolicyVersions(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const arn = required(params, 'PolicyArn');
  const aws = awsManagedPolicy(arn);
  if (aws) return { Versions: [{ VersionId: aws.version, IsDefaultVersion: true, CreateDate: iamDate(AWS_MANAGED_DATE) }], IsTruncated: false };
  const row = await existingPolicy(deps, ctx.accountId, arn);
  const versions = await deps.managed.versions(arn);
  return {
    Versions: versions.reverse().map((v) => ({ VersionId: `v${v.version}`, IsDefaultVersion: v.version === row.default_version, CreateDate: iamDate(v.created_at) })),
    IsTruncated: false,
  };
}

export async function deletePolicyVersion(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const arn = required(params, 'PolicyArn');
  const versionId = required(params, 'VersionId');
  const row = await existingPolicy(deps, ctx.accountId, arn);
  const version = versionNumber(versionId);
  if (!(await deps.managed.version(arn, version))) throw iamErrors.noSuchPolicyVersion(arn, versionId);
  if (version === row.default_version) throw iamErrors.deleteConflictDefaultVersion();
  await deps.managed.deleteVersion(arn, version);
  return undefined;
}

export async function setDefaultPolicyVersion(deps: IamDeps, { ctx, params }: IamRequest): Promise<Result> {
  const arn = required(params, 'PolicyArn');
  const versionId = required(params, 'VersionId');
  await existingPolicy(deps, ctx.accountId, arn);
  const version = versionNumber(versionId);
  if (!(await deps.managed.version(arn, version))) throw iamErrors.noSuchPolicyVersion(arn, versionId);
  await deps.managed.setDefault(arn, version, deps.clock.now());
  deps.policySource.invalidate();
  return undefined;
}

async function existingPolicy(deps: IamDeps, accountId: string, arn: string): Promise<PolicyRow> {
  if (!/^arn:aws:iam::(aws|\d{12}):policy\//.test(arn)) throw iamErrors.invalidArn(arn);
  const row = await deps.managed.get(arn);
  if (!row || row.account_id !== accountId) throw iamErrors.noSuchPolicy(arn);
  return row;
}

function versionNumber(versionId: string): number {
  const m = /^v([1-9]\d*)$/.exec(versionId);
  if (!m) {
    throw iamErrors.validation(`1 validation error detected: Value '${versionId}' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?`);
  }
  return Number(m[1]);
}

function customerView(row: PolicyRow, attachments: number): XmlObject {
  return {
    PolicyName: row.policy_name,
    PolicyId: row.policy_id,
    Arn: row.arn,
    Path: row.path,
    DefaultVersionId: `v${row.default_version}`,
    AttachmentCount: attachments,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: row.description ?? undefined,
    CreateDate: iamDate(row.created_at),
    UpdateDate: iamDate(row.updated_at),
  };
}

function awsView(policy: AwsManagedPolicy, attachments: number): XmlObject {
  return {
    PolicyName: policy.name,
    PolicyId: `ANPA${Buffer.from(policy.name).toString('hex').toUpperCase().slice(0, 17).padEnd(17, 'A')}`,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.version,
    AttachmentCount: attachments,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: policy.description,
    CreateDate: iamDate(AWS_MANAGED_DATE),
    UpdateDate: iamDate(AWS_MANAGED_DATE),
  };
}
