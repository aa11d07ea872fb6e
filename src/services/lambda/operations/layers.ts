import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { decodeFolderCode, HOT_RELOAD_BUCKET } from '../../../contracts/folder-code.js';
import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import { layerArn, layerVersionArn } from '../arns.js';
import { codeLocation } from '../code-location.js';
import { readS3Code } from '../code-from-s3.js';
import { readZipFile, type CodePackage } from '../code-package.js';
import type { LambdaDeps } from '../deps.js';
import { errors } from '../errors.js';
import { parseLayerVersionArn } from '../layer-refs.js';
import * as limits from '../limits.js';
import { lambdaTimestamp, type Scope } from '../model.js';
import { jsonBody, optionalString, paginate, scopeOf } from '../request.js';
import { ACCEPTED_RUNTIMES } from '../runtimes.js';
import { LayersTable, type LayerPolicyStatement, type LayerVersionDoc, type LayerVersionRow } from '../tables/layers-table.js';
import { ConstraintCheck, PATTERNS } from '../validation.js';

/**
 * The model's full `Runtime` enum in the order AWS prints it for ListLayers filters (recorded).
 * PublishLayerVersion accepts any of these, deprecated ones included, yet its error message lists
 * only the runtimes open for new functions (also recorded).
 */
const MODEL_RUNTIMES = [
  'ruby3.5', 'ruby2.6', 'dotnetcore1.0', 'python3.7', 'nodejs8.10', 'nasa', 'ruby2.7', 'python2.7-greengrass', 'dotnetcore2.0',
  'python3.8', 'java21', 'dotnet6', 'dotnetcore2.1', 'python3.9', 'java11', 'nodejs6.10', 'provided', 'dotnetcore3.1', 'dotnet8',
  'java25', 'java17', 'nodejs', 'nodejs4.3', 'java8.al2', 'go1.x', 'dotnet10', 'nodejs20.x', 'go1.9', 'byol', 'nodejs10.x',
  'provided.al2023', 'nodejs22.x', 'python3.10', 'java8', 'nodejs12.x', 'python3.11', 'nodejs24.x', 'nodejs8.x', 'python3.12',
  'nodejs14.x', 'nodejs8.9', 'nodejs26.x', 'python3.13', 'python3.14', 'nodejs16.x', 'python3.15', 'provided.al2',
  'nodejs4.3-edge', 'nodejs18.x', 'ruby3.2', 'python3.4', 'ruby3.3', 'ruby3.4', 'ruby2.5', 'python3.6', 'python2.7',
] as const;
const ARCHITECTURES = ['x86_64', 'arm64'] as const;
const LAYER_ACTION_PATTERN = 'lambda:GetLayerVersion';
const LAYER_PRINCIPAL_PATTERN = '\\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root';
const ORGANIZATION_ID_PATTERN = 'o-[a-z0-9]{10,32}';

export function layerRoutes(deps: LambdaDeps): RestJsonRoute[] {
  const layers = new LayersTable(deps.db);
  const versions = '/2018-10-31/layers/{LayerName}/versions';
  const version = `${versions}/{VersionNumber}`;
  const ctx = { deps, layers };
  return [
    // ListLayers and GetLayerVersionByArn share `GET /layers`; the latter sends `find=LayerVersion`.
    {
      operation: 'ListLayers',
      method: 'GET',
      path: '/2018-10-31/layers',
      handler: (r) => (r.query.get('find') === 'LayerVersion' ? getLayerVersionByArn(ctx, r) : listLayers(ctx, r)),
    },
    { operation: 'PublishLayerVersion', method: 'POST', path: versions, handler: (r) => publishLayerVersion(ctx, r) },
    { operation: 'ListLayerVersions', method: 'GET', path: versions, handler: (r) => listLayerVersions(ctx, r) },
    { operation: 'GetLayerVersion', method: 'GET', path: version, handler: (r) => getLayerVersion(ctx, r) },
    { operation: 'DeleteLayerVersion', method: 'DELETE', path: version, handler: (r) => deleteLayerVersion(ctx, r) },
    { operation: 'AddLayerVersionPermission', method: 'POST', path: `${version}/policy`, handler: (r) => addPermission(ctx, r) },
    { operation: 'GetLayerVersionPolicy', method: 'GET', path: `${version}/policy`, handler: (r) => getPolicy(ctx, r) },
    { operation: 'RemoveLayerVersionPermission', method: 'DELETE', path: `${version}/policy/{StatementId}`, handler: (r) => removePermission(ctx, r) },
  ];
}

interface Ctx {
  deps: LambdaDeps;
  layers: LayersTable;
}

/** A `{LayerName}` (a name or a layer ARN) resolved to the account and region that own it. */
interface LayerRef {
  scope: Scope;
  name: string;
  /** True when the layer belongs to another account, which may read it only when a policy allows. */
  foreign: boolean;
}

function parseLayerName(req: RestJsonRequest): LayerRef {
  const input = req.params.LayerName ?? '';
  new ConstraintCheck()
    .length(input, 'layerName', 1, limits.LAYER_NAME_MAX_CHARS)
    .pattern(input, 'layerName', PATTERNS.layerName)
    .throwIfFailed();
  const caller = scopeOf(req);
  const m = /^arn:[^:]+:lambda:([^:]+):(\d{12}):layer:(.+)$/.exec(input);
  if (!m) return { scope: caller, name: input, foreign: false };
  const [, region = '', accountId = '', name = ''] = m;
  return { scope: { accountId, region }, name, foreign: accountId !== caller.accountId };
}

/** Mutations are for the owner only. */
function ownLayer(req: RestJsonRequest, action: string, version?: number): LayerRef {
  const ref = parseLayerName(req);
  if (ref.foreign) {
    const arn = version === undefined ? layerArn(ref.scope.region, ref.scope.accountId, ref.name) : layerVersionArn(ref.scope.region, ref.scope.accountId, ref.name, version);
    throw errors.accessDenied(action, arn, req.accountId);
  }
  return ref;
}

function parseVersionNumber(req: RestJsonRequest): number {
  const n = Number(req.params.VersionNumber);
  if (!Number.isInteger(n) || n < 1) throw errors.layerVersionBelowOne();
  return n;
}

function layerLockKey(ref: LayerRef): string {
  return `layer:${ref.scope.accountId}/${ref.scope.region}/${ref.name}`;
}

/** Whether `accountId` may read a version: its own, or granted by the version's policy. */
function readableBy(row: LayerVersionRow, ref: LayerRef, accountId: string): boolean {
  if (!ref.foreign) return true;
  return row.statements.some(
    (s) => !s.Condition && (s.Principal === '*' || (typeof s.Principal === 'object' && s.Principal.AWS === `arn:aws:iam::${accountId}:root`)),
  );
}

/** A host folder has no package to download, so its path is named instead (as GetFunction does). */
function withLocation(ctx: Ctx, req: RestJsonRequest, row: LayerVersionRow) {
  const folder = decodeFolderCode(row.codeHex);
  const location = folder ? pathToFileURL(folder).href : codeLocation(ctx.deps, req, row.codeHex);
  return { ...row.doc, Content: { Location: location, ...row.doc.Content } };
}

/** The ListLayerVersions / LatestMatchingVersion entry: no Content, no LayerArn. */
function listEntry(doc: LayerVersionDoc) {
  const { Content: _content, LayerArn: _layerArn, ...entry } = doc;
  return entry;
}

function checkRuntimeList(check: ConstraintCheck, value: unknown, field: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw errors.invalidJson(`member ${field} must be a list`);
  if (value.length > limits.LAYER_COMPATIBLE_RUNTIMES_MAX) {
    check.fail(value, field, `Member must have length less than or equal to ${limits.LAYER_COMPATIBLE_RUNTIMES_MAX}`);
  } else if (value.some((r) => !(MODEL_RUNTIMES as readonly unknown[]).includes(r))) {
    check.fail(value, field, `Member must satisfy enum value set: [${ACCEPTED_RUNTIMES.join(', ')}]`);
  }
  return value as string[];
}

function checkArchitectureList(check: ConstraintCheck, value: unknown, field: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw errors.invalidJson(`member ${field} must be a list`);
  if (value.length > limits.LAYER_COMPATIBLE_ARCHITECTURES_MAX) {
    check.fail(value, field, `Member must have length less than or equal to ${limits.LAYER_COMPATIBLE_ARCHITECTURES_MAX}`);
  } else if (value.some((a) => !(ARCHITECTURES as readonly unknown[]).includes(a))) {
    check.fail(value, field, `Member must satisfy constraint: [Member must satisfy enum value set: [${ARCHITECTURES.join(', ')}], Member must not be null]`);
  }
  return value as string[];
}

/** A layer's content as given: the bytes to store, or the stored reference of a host folder. */
type LayerContent = Omit<CodePackage, 'unzippedSize'> | { bytes: null; size: number; sha256Base64: string; folder: string; stored: string };

async function readContent(ctx: Ctx, req: RestJsonRequest, scope: Scope, content: unknown): Promise<LayerContent> {
  const c = content as Record<string, unknown>;
  if (typeof c.ZipFile === 'string') return readZipFile(c.ZipFile);
  if (c.S3Bucket === HOT_RELOAD_BUCKET && typeof c.S3Key === 'string' && ctx.deps.hostFolders) {
    return { bytes: null, ...(await ctx.deps.hostFolders.accept(req.sourceIp, c.S3Key)) };
  }
  if (typeof c.S3Bucket === 'string' || typeof c.S3Key === 'string') return readS3Code(ctx.deps.s3Code, scope, c);
  throw errors.layerContentMissing();
}

async function publishLayerVersion(ctx: Ctx, req: RestJsonRequest) {
  const body = jsonBody(req);
  const ref = ownLayer(req, 'PublishLayerVersion');
  const check = new ConstraintCheck();
  const description = optionalString(body, 'Description');
  check.length(description, 'description', 0, limits.DESCRIPTION_MAX_CHARS);
  check.required(body.Content, 'content');
  const runtimes = checkRuntimeList(check, body.CompatibleRuntimes, 'compatibleRuntimes');
  const licenseInfo = optionalString(body, 'LicenseInfo');
  check.length(licenseInfo, 'licenseInfo', 0, limits.LAYER_LICENSE_INFO_MAX_CHARS);
  const architectures = checkArchitectureList(check, body.CompatibleArchitectures, 'compatibleArchitectures');
  check.throwIfFailed();
  const code = await readContent(ctx, req, ref.scope, body.Content);

  return ctx.deps.lock.run(layerLockKey(ref), async () => {
    const { scope, name } = ref;
    const codeHex = code.bytes ? await ctx.deps.blobs.put(code.bytes) : code.stored;
    const version = await ctx.layers.nextVersion(scope, name);
    const doc: LayerVersionDoc = {
      Content: { CodeSha256: code.sha256Base64, CodeSize: code.size },
      LayerArn: layerArn(scope.region, scope.accountId, name),
      LayerVersionArn: layerVersionArn(scope.region, scope.accountId, name, version),
      Description: description ?? '',
      CreatedDate: lambdaTimestamp(ctx.deps.clock.now()),
      Version: version,
      ...(runtimes ? { CompatibleRuntimes: runtimes } : {}),
      ...(licenseInfo !== undefined ? { LicenseInfo: licenseInfo } : {}),
      ...(architectures ? { CompatibleArchitectures: architectures } : {}),
    };
    await ctx.layers.putVersion(scope, name, doc, codeHex);
    if (!code.bytes) await ctx.deps.hostFolderLayers?.follow({ scope, name, version }, code.folder);
    return jsonResponse(201, withLocation(ctx, req, { layerName: name, version, doc, codeHex, statements: [], policyRevisionId: '' }));
  });
}

async function readableVersion(ctx: Ctx, req: RestJsonRequest, ref: LayerRef, version: number): Promise<LayerVersionRow> {
  const row = await ctx.layers.getVersion(ref.scope, ref.name, version);
  if (!row) throw errors.resourceNotFound();
  if (!readableBy(row, ref, req.accountId)) throw errors.accessDenied('GetLayerVersion', row.doc.LayerVersionArn, req.accountId);
  return row;
}

async function getLayerVersion(ctx: Ctx, req: RestJsonRequest) {
  const ref = parseLayerName(req);
  const version = parseVersionNumber(req);
  return jsonResponse(200, withLocation(ctx, req, await readableVersion(ctx, req, ref, version)));
}

async function getLayerVersionByArn(ctx: Ctx, req: RestJsonRequest) {
  const arn = req.query.get('Arn') ?? undefined;
  new ConstraintCheck()
    .required(arn, 'arn')
    .length(arn, 'arn', 1, limits.LAYER_NAME_MAX_CHARS)
    .pattern(arn, 'arn', PATTERNS.layerVersionArn)
    .throwIfFailed();
  const parsed = parseLayerVersionArn(arn ?? '');
  if (!parsed) throw errors.resourceNotFound();
  if (parsed.version < 1) throw errors.layerVersionBelowOne();
  const ref: LayerRef = { scope: { accountId: parsed.accountId, region: parsed.region }, name: parsed.name, foreign: parsed.accountId !== req.accountId };
  return jsonResponse(200, withLocation(ctx, req, await readableVersion(ctx, req, ref, parsed.version)));
}

/** `CompatibleRuntime` / `CompatibleArchitecture` query filters, validated against the model enums. */
function readFilters(req: RestJsonRequest): (doc: LayerVersionDoc) => boolean {
  const runtime = req.query.get('CompatibleRuntime') ?? undefined;
  const architecture = req.query.get('CompatibleArchitecture') ?? undefined;
  new ConstraintCheck()
    .oneOf(runtime, 'compatibleRuntime', MODEL_RUNTIMES)
    .oneOf(architecture, 'compatibleArchitecture', ARCHITECTURES)
    .throwIfFailed();
  return (doc) =>
    (runtime === undefined || (doc.CompatibleRuntimes ?? []).includes(runtime)) &&
    (architecture === undefined || (doc.CompatibleArchitectures ?? []).includes(architecture));
}

const PAGING = { maxItemsLimit: limits.LIST_LAYERS_MAX_ITEMS, pageCap: limits.LIST_LAYERS_MAX_ITEMS };

async function listLayerVersions(ctx: Ctx, req: RestJsonRequest) {
  const ref = parseLayerName(req);
  const matches = readFilters(req);
  const rows = (await ctx.layers.listVersions(ref.scope, ref.name)).filter((row) => matches(row.doc) && readableBy(row, ref, req.accountId));
  const { page, nextMarker } = paginate(req, rows, (row) => String(row.version), PAGING);
  return jsonResponse(200, { LayerVersions: page.map((row) => listEntry(row.doc)), ...(nextMarker ? { NextMarker: nextMarker } : {}) });
}

async function listLayers(ctx: Ctx, req: RestJsonRequest) {
  const scope = scopeOf(req);
  const matches = readFilters(req);
  const latest = new Map<string, LayerVersionDoc>();
  // Versions arrive newest first per layer, so the first match is the latest matching one.
  for (const row of await ctx.layers.listAll(scope)) {
    if (!latest.has(row.layerName) && matches(row.doc)) latest.set(row.layerName, row.doc);
  }
  const entries = [...latest.entries()].map(([name, doc]) => ({ LayerName: name, LayerArn: doc.LayerArn, LatestMatchingVersion: listEntry(doc) }));
  const { page, nextMarker } = paginate(req, entries, (e) => e.LayerName, PAGING);
  return jsonResponse(200, { Layers: page, ...(nextMarker ? { NextMarker: nextMarker } : {}) });
}

async function deleteLayerVersion(ctx: Ctx, req: RestJsonRequest) {
  const version = parseVersionNumber(req);
  const ref = ownLayer(req, 'DeleteLayerVersion', version);
  await ctx.deps.lock.run(layerLockKey(ref), () => ctx.layers.deleteVersion(ref.scope, ref.name, version));
  ctx.deps.hostFolderLayers?.forget({ scope: ref.scope, name: ref.name, version });
  return emptyResponse(204);
}

/** The version a policy operation works on, or AWS's 404 naming its ARN. */
async function policyTarget(ctx: Ctx, req: RestJsonRequest, action: string) {
  const version = parseVersionNumber(req);
  const ref = ownLayer(req, action, version);
  const arn = layerVersionArn(ref.scope.region, ref.scope.accountId, ref.name, version);
  const load = async () => {
    const row = await ctx.layers.getVersion(ref.scope, ref.name, version);
    if (!row) throw errors.layerVersionMissing(arn);
    return row;
  };
  return { ref, version, arn, load };
}

async function addPermission(ctx: Ctx, req: RestJsonRequest) {
  const body = jsonBody(req);
  const sid = optionalString(body, 'StatementId');
  const action = optionalString(body, 'Action');
  const principal = optionalString(body, 'Principal');
  const organizationId = optionalString(body, 'OrganizationId');
  new ConstraintCheck()
    .required(sid, 'statementId')
    .length(sid, 'statementId', 1, limits.STATEMENT_ID_MAX_CHARS)
    .pattern(sid, 'statementId', PATTERNS.statementId)
    .required(action, 'action')
    .pattern(action, 'action', LAYER_ACTION_PATTERN)
    .required(principal, 'principal')
    .pattern(principal, 'principal', LAYER_PRINCIPAL_PATTERN)
    .length(organizationId, 'organizationId', 0, 34)
    .pattern(organizationId, 'organizationId', ORGANIZATION_ID_PATTERN)
    .throwIfFailed();
  const target = await policyTarget(ctx, req, 'AddLayerVersionPermission');
  const revisionId = req.query.get('RevisionId');
  return ctx.deps.lock.run(layerLockKey(target.ref), async () => {
    const row = await target.load();
    if (revisionId !== null && revisionId !== row.policyRevisionId) throw errors.revisionMismatch('GetLayerPolicy');
    if (row.statements.some((s) => s.Sid === sid)) throw errors.statementIdExists(sid ?? '');
    const statement: LayerPolicyStatement = {
      Sid: sid ?? '',
      Effect: 'Allow',
      Principal: principal === '*' ? '*' : { AWS: /^\d{12}$/.test(principal ?? '') ? `arn:aws:iam::${principal}:root` : (principal ?? '') },
      Action: action ?? LAYER_ACTION_PATTERN,
      Resource: target.arn,
      ...(organizationId ? { Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } } } : {}),
    };
    const newRevision = randomUUID();
    await ctx.layers.putPolicy(target.ref.scope, target.ref.name, target.version, [...row.statements, statement], newRevision);
    return jsonResponse(201, { Statement: JSON.stringify(statement), RevisionId: newRevision });
  });
}

async function getPolicy(ctx: Ctx, req: RestJsonRequest) {
  const target = await policyTarget(ctx, req, 'GetLayerVersionPolicy');
  const row = await target.load();
  if (row.statements.length === 0) throw errors.noPolicyForResource();
  const policy = { Version: '2012-10-17', Id: 'default', Statement: row.statements };
  return jsonResponse(200, { Policy: JSON.stringify(policy), RevisionId: row.policyRevisionId });
}

async function removePermission(ctx: Ctx, req: RestJsonRequest) {
  const sid = req.params.StatementId ?? '';
  const target = await policyTarget(ctx, req, 'RemoveLayerVersionPermission');
  const revisionId = req.query.get('RevisionId');
  await ctx.deps.lock.run(layerLockKey(target.ref), async () => {
    const row = await target.load();
    if (revisionId !== null && revisionId !== row.policyRevisionId) throw errors.revisionMismatch('GetLayerPolicy');
    if (!row.statements.some((s) => s.Sid === sid)) throw errors.statementNotFound(sid);
    await ctx.layers.putPolicy(target.ref.scope, target.ref.name, target.version, row.statements.filter((s) => s.Sid !== sid), randomUUID());
  });
  return emptyResponse(204);
}
