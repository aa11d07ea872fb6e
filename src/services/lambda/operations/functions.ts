import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import { functionArn, parseFunctionName } from '../arns.js';
import { readS3Code } from '../code-from-s3.js';
import { readZipFile } from '../code-package.js';
import { decodeFolderCode, HOT_RELOAD_BUCKET } from '../../../contracts/folder-code.js';
import { codeLocation } from '../code-location.js';
import { attachConfig, existingConfigArn } from './code-signing-configs.js';
import type { LambdaDeps } from '../deps.js';
import { errors, lambdaError } from '../errors.js';
import { readConfigInput } from '../function-config-input.js';
import { transitionState } from '../function-state.js';
import { decodeImageCode, replacingCode } from '../image-code.js';
import { resolveImageCode } from '../image-source.js';
import { resolveFunction, resolveVersion } from '../function-resolution.js';
import { listEntry, withQualifiedArn } from '../function-views.js';
import * as limits from '../limits.js';
import { lambdaTimestamp, type FunctionConfiguration, type Scope } from '../model.js';
import { functionLockKey } from '../provisioner.js';
import { jsonBody, optionalBoolean, optionalString, paginate, scopeOf } from '../request.js';
import { validateTags } from '../tag-rules.js';
import { ConstraintCheck, PATTERNS } from '../validation.js';
import { publishVersion } from '../version-publishing.js';
import { listStoredAliases } from '../tables/aliases-table.js';

export function functionRoutes(deps: LambdaDeps): RestJsonRoute[] {
  return [
    { operation: 'CreateFunction', method: 'POST', path: '/2015-03-31/functions', handler: (r) => createFunction(deps, r) },
    { operation: 'ListFunctions', method: 'GET', path: '/2015-03-31/functions', handler: (r) => listFunctions(deps, r) },
    { operation: 'GetFunction', method: 'GET', path: '/2015-03-31/functions/{FunctionName}', handler: (r) => getFunction(deps, r) },
    { operation: 'DeleteFunction', method: 'DELETE', path: '/2015-03-31/functions/{FunctionName}', handler: (r) => deleteFunction(deps, r) },
    { operation: 'GetFunctionConfiguration', method: 'GET', path: '/2015-03-31/functions/{FunctionName}/configuration', handler: (r) => getFunctionConfiguration(deps, r) },
    { operation: 'UpdateFunctionConfiguration', method: 'PUT', path: '/2015-03-31/functions/{FunctionName}/configuration', handler: (r) => updateFunctionConfiguration(deps, r) },
    { operation: 'UpdateFunctionCode', method: 'PUT', path: '/2015-03-31/functions/{FunctionName}/code', handler: (r) => updateFunctionCode(deps, r) },
  ];
}

const CREATING = { State: 'Pending', StateReason: 'The function is being created.', StateReasonCode: 'Creating' } as const;
const UPDATING = {
  LastUpdateStatus: 'InProgress',
  LastUpdateStatusReason: 'The function is being created.',
  LastUpdateStatusReasonCode: 'Creating',
} as const;

function runtimeVersionArn(region: string, runtime: string | undefined): { RuntimeVersionArn: string } | undefined {
  if (!runtime) return undefined;
  const hash = Buffer.from(runtime).toString('hex').padEnd(64, '0').slice(0, 64);
  return { RuntimeVersionArn: `arn:aws:lambda:${region}::runtime:${hash}` };
}

/** Model constraints on `FunctionName` for operations that create or update (max 140, no dots). */
function checkFunctionNameForCreate(input: unknown): string {
  const check = new ConstraintCheck();
  check.required(input, 'functionName');
  const name = typeof input === 'string' ? input : undefined;
  check.length(name, 'functionName', 1, limits.FUNCTION_NAME_INPUT_MAX_CHARS).pattern(name, 'functionName', PATTERNS.functionNameCreate);
  check.throwIfFailed();
  const parts = parseFunctionName(name ?? '');
  if (parts && parts.name.length > limits.FUNCTION_NAME_MAX_CHARS) {
    new ConstraintCheck()
      .fail(parts.name, 'functionName', `Member must have length less than or equal to ${limits.FUNCTION_NAME_MAX_CHARS}`)
      .throwIfFailed('InvalidParameterValueException');
  }
  return name ?? '';
}

/** A function's code as given: the bytes to store (none for a host folder or image) and what to report. */
interface CodeInput {
  bytes: Buffer | null;
  size: number;
  sha256Base64: string;
  /** The stored reference when it is not the blob hash of `bytes` (an image, a host folder). */
  stored?: string;
}

async function readCode(deps: LambdaDeps, req: RestJsonRequest, code: Record<string, unknown> | undefined): Promise<CodeInput> {
  if (!code) throw lambdaError('InvalidParameterValueException', 'Please provide a source for function code.');
  if (typeof code.ZipFile === 'string') return readZipFile(code.ZipFile);
  if (code.S3Bucket === HOT_RELOAD_BUCKET && typeof code.S3Key === 'string' && deps.hostFolders) {
    return { bytes: null, ...(await deps.hostFolders.accept(req.sourceIp, code.S3Key)) };
  }
  if (typeof code.S3Bucket === 'string' || typeof code.S3Key === 'string') return readS3Code(deps.s3Code, scopeOf(req), code);
  throw lambdaError('InvalidParameterValueException', 'Please provide a source for function code.');
}

/** `Code.ImageUri` (or UpdateFunctionCode's `ImageUri`) of a PackageType Image function, resolved. */
async function readImageUri(deps: LambdaDeps, scope: Scope, code: Record<string, unknown> | undefined, architecture: string) {
  const uri = code?.ImageUri;
  if (typeof uri !== 'string') throw lambdaError('InvalidParameterValueException', 'Please provide a source for function code.');
  return resolveImageCode(deps.images, scope, uri, architecture);
}

async function createFunction(deps: LambdaDeps, req: RestJsonRequest) {
  const body = jsonBody(req);
  const input = checkFunctionNameForCreate(body.FunctionName);
  const scope = scopeOf(req);
  const parts = parseFunctionName(input);
  const name = parts?.name ?? input;
  if (parts?.accountId && parts.accountId !== scope.accountId) {
    throw errors.accessDenied('CreateFunction', functionArn(scope.region, parts.accountId, name), scope.accountId);
  }
  const now = deps.clock.now();
  const patch = await readConfigInput(body, {
    db: deps.db, scope, nowMs: now, allowDeprecatedRuntimes: deps.allowDeprecatedRuntimes, functionName: name, creating: true, deliverySinks: deps.deliverySinks,
  });
  await checkRoleAssumable(deps, scope.accountId, patch.Role);
  const packageType = patch.PackageType ?? 'Zip';
  if (packageType === 'Zip' && (!patch.Runtime || !patch.Handler)) {
    throw lambdaError('InvalidParameterValueException', 'Runtime and Handler are mandatory parameters for functions created with deployment packages.');
  }
  const tags = validateTags(body.Tags);
  const codeInput = body.Code as Record<string, unknown> | undefined;
  const architecture = patch.Architectures?.[0] ?? 'x86_64';
  const image = packageType === 'Image' ? await readImageUri(deps, scope, codeInput, architecture) : null;
  if (!image && typeof codeInput?.ImageUri === 'string') {
    throw lambdaError('InvalidParameterValueException', 'Please provide a source for function code.');
  }
  const code: CodeInput = image ? { bytes: null, size: 0, sha256Base64: image.codeSha256, stored: image.stored } : await readCode(deps, req, codeInput);
  const publish = optionalBoolean(body, 'Publish') ?? false;
  // Stored like PutFunctionCodeSigningConfig; signatures are not verified (README).
  const codeSigningConfigArn = await existingConfigArn(deps, scope, body.CodeSigningConfigArn, false);

  return deps.lock.run(functionLockKey(scope, name), async () => {
    if (await deps.functions.getFunction(scope, name)) throw errors.functionAlreadyExists(name);
    const codeHex = code.stored ?? (await deps.blobs.put(code.bytes!));
    const config: FunctionConfiguration = {
      FunctionName: name,
      FunctionArn: functionArn(scope.region, scope.accountId, name),
      Runtime: patch.Runtime,
      Role: patch.Role ?? '',
      Handler: patch.Handler,
      CodeSize: code.size,
      Description: patch.Description ?? '',
      Timeout: patch.Timeout ?? limits.TIMEOUT_SECONDS_DEFAULT,
      MemorySize: patch.MemorySize ?? limits.MEMORY_MB_DEFAULT,
      LastModified: lambdaTimestamp(now),
      CodeSha256: code.sha256Base64,
      Version: '$LATEST',
      ...(patch.Environment ? { Environment: patch.Environment } : {}),
      ...(patch.VpcConfig ? { VpcConfig: patch.VpcConfig } : {}),
      ...(patch.DeadLetterConfig?.TargetArn ? { DeadLetterConfig: patch.DeadLetterConfig } : {}),
      ...(patch.KMSKeyArn ? { KMSKeyArn: patch.KMSKeyArn } : {}),
      TracingConfig: patch.TracingConfig ?? { Mode: 'PassThrough' },
      RevisionId: randomUUID(),
      ...(patch.Layers && patch.Layers.length > 0 ? { Layers: patch.Layers } : {}),
      ...CREATING,
      PackageType: packageType,
      Architectures: patch.Architectures ?? ['x86_64'],
      EphemeralStorage: patch.EphemeralStorage ?? { Size: limits.EPHEMERAL_STORAGE_MB_DEFAULT },
      SnapStart: patch.SnapStart ?? { ApplyOn: 'None', OptimizationStatus: 'Off' },
      RuntimeVersionConfig: runtimeVersionArn(scope.region, patch.Runtime),
      LoggingConfig: patch.LoggingConfig ?? { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` },
    };
    if (!config.RuntimeVersionConfig) delete config.RuntimeVersionConfig;
    if (config.Runtime === undefined) delete config.Runtime;
    if (config.Handler === undefined) delete config.Handler;
    await deps.functions.insertFunction(scope, name, now, tags);
    await deps.functions.putVersion(scope, name, '$LATEST', config, codeHex, now);
    if (codeSigningConfigArn) await attachConfig(deps, scope, name, codeSigningConfigArn);
    deps.provisioner.schedule(scope, name, '$LATEST');
    // A Node major not installed yet downloads while the function is Pending, not at its first invoke.
    if (config.Runtime) deps.engine?.prepareRuntime(config.Runtime);
    await deps.hostFolders?.follow(scope, name);
    if (!publish) return jsonResponse(201, config);
    const published = await publishVersion(deps, scope, name, {});
    return jsonResponse(201, { ...config, Version: published.Version });
  });
}

async function getFunction(deps: LambdaDeps, req: RestJsonRequest) {
  const resolved = await resolveVersion(deps, req, 'GetFunction');
  const { scope, fn, row, qualifier } = resolved;
  const image = decodeImageCode(row.codeHex);
  const out: Record<string, unknown> = {
    Configuration: withQualifiedArn(row.config, scope, qualifier),
    Code: image
      ? { RepositoryType: 'ECR', ImageUri: image.imageUri, ResolvedImageUri: image.resolvedImageUri }
      : codeOf(deps, req, row.codeHex),
  };
  if (Object.keys(fn.tags).length > 0) out.Tags = fn.tags;
  if (fn.reservedConcurrency !== null) out.Concurrency = { ReservedConcurrentExecutions: fn.reservedConcurrency };
  return jsonResponse(200, out);
}

/** A package's download URL; a host folder has none to download, so its path is named instead. */
function codeOf(deps: LambdaDeps, req: RestJsonRequest, codeHex: string | null): Record<string, string> {
  const folder = decodeFolderCode(codeHex);
  if (folder) return { RepositoryType: 'S3', Location: pathToFileURL(folder).href };
  return { RepositoryType: 'S3', Location: codeLocation(deps, req, codeHex ?? '') };
}

async function getFunctionConfiguration(deps: LambdaDeps, req: RestJsonRequest) {
  const { scope, row, qualifier } = await resolveVersion(deps, req, 'GetFunctionConfiguration');
  return jsonResponse(200, withQualifiedArn(row.config, scope, qualifier));
}

async function listFunctions(deps: LambdaDeps, req: RestJsonRequest) {
  const scope = scopeOf(req);
  const functionVersion = req.query.get('FunctionVersion') ?? undefined;
  const check = new ConstraintCheck().oneOf(functionVersion, 'functionVersion', ['ALL']);
  const masterRegion = req.query.get('MasterRegion') ?? undefined;
  check.pattern(masterRegion, 'masterRegion', 'ALL|[a-z]{2}(-gov)?-[a-z]+-\\d{1}');
  check.throwIfFailed();
  const all = functionVersion === 'ALL';
  const entries = all
    ? (await deps.functions.listAllVersions(scope))
        .sort((a, b) => a.functionName.localeCompare(b.functionName) || versionRank(a.version) - versionRank(b.version))
        .map((v) => listEntry(v.config, true))
    : await latestConfigs(deps, scope);
  const { page, nextMarker } = paginate(req, entries, (c) => `${c.FunctionName}:${c.Version}`, {
    pageCap: limits.LIST_FUNCTIONS_PAGE_MAX,
  });
  return jsonResponse(200, { Functions: page, ...(nextMarker ? { NextMarker: nextMarker } : {}) });
}

async function latestConfigs(deps: LambdaDeps, scope: Scope): Promise<FunctionConfiguration[]> {
  const out: FunctionConfiguration[] = [];
  for (const name of await deps.functions.listFunctionNames(scope)) {
    const latest = await deps.functions.getVersion(scope, name, '$LATEST');
    if (latest) out.push(listEntry(latest.config, false));
  }
  return out;
}

function versionRank(version: string): number {
  return version === '$LATEST' ? -1 : Number(version);
}

/** Guards every mutation of `$LATEST`: not while Pending or InProgress, and RevisionId must match. */
function assertUpdatable(config: FunctionConfiguration, revisionId: string | undefined): void {
  if (config.State === 'Pending' || config.LastUpdateStatus === 'InProgress') throw errors.updateInProgress(config.FunctionArn);
  if (revisionId !== undefined && revisionId !== config.RevisionId) throw errors.revisionMismatch('GetFunction/GetAlias');
}

async function updateFunctionConfiguration(deps: LambdaDeps, req: RestJsonRequest) {
  const body = jsonBody(req);
  const { scope, name } = await resolveFunction(deps, req, 'UpdateFunctionConfiguration', null);
  const now = deps.clock.now();
  const patch = await readConfigInput(body, {
    db: deps.db, scope, nowMs: now, allowDeprecatedRuntimes: deps.allowDeprecatedRuntimes, functionName: name, creating: false, deliverySinks: deps.deliverySinks,
  });
  await checkRoleAssumable(deps, scope.accountId, patch.Role);
  return deps.lock.run(functionLockKey(scope, name), async () => {
    const latest = await deps.functions.getVersion(scope, name, '$LATEST');
    if (!latest) throw errors.functionNotFound(functionArn(scope.region, scope.accountId, name));
    assertUpdatable(latest.config, optionalString(body, 'RevisionId'));
    const config: FunctionConfiguration = { ...latest.config, ...patch, LastModified: lambdaTimestamp(now), RevisionId: randomUUID(), ...UPDATING };
    if (patch.Layers && patch.Layers.length === 0) delete config.Layers;
    if (patch.DeadLetterConfig && !patch.DeadLetterConfig.TargetArn) delete config.DeadLetterConfig;
    if (patch.Runtime) config.RuntimeVersionConfig = runtimeVersionArn(scope.region, patch.Runtime);
    if (patch.Runtime === undefined && latest.config.Runtime === undefined) delete config.Runtime;
    await deps.functions.putVersion(scope, name, '$LATEST', config, latest.codeHex, now);
    deps.provisioner.schedule(scope, name, '$LATEST');
    return jsonResponse(200, config);
  });
}

async function updateFunctionCode(deps: LambdaDeps, req: RestJsonRequest) {
  const body = jsonBody(req);
  const { scope, name } = await resolveFunction(deps, req, 'UpdateFunctionCode', null);
  const check = new ConstraintCheck();
  const architectures = body.Architectures as unknown;
  if (architectures !== undefined && (!Array.isArray(architectures) || architectures.length !== 1)) {
    check.fail(architectures, 'architectures', 'Member must have length less than or equal to 1');
  }
  check.throwIfFailed();
  const current = await deps.functions.getVersion(scope, name, '$LATEST');
  const isImage = current?.config.PackageType === 'Image';
  if (isImage && typeof body.ImageUri !== 'string') {
    throw lambdaError('InvalidParameterValueException', 'Please provide ImageUri when updating a function with packageType Image.');
  }
  if (current && !isImage && typeof body.ImageUri === 'string') {
    throw lambdaError('InvalidParameterValueException', "Please don't provide ImageUri when updating a function with packageType Zip.");
  }
  const architecture = (Array.isArray(architectures) ? (architectures[0] as string) : undefined) ?? current?.config.Architectures[0] ?? 'x86_64';
  const image = isImage ? await readImageUri(deps, scope, body, architecture) : null;
  const code: CodeInput = image ? { bytes: null, size: 0, sha256Base64: image.codeSha256, stored: image.stored } : await readCode(deps, req, body);
  const dryRun = optionalBoolean(body, 'DryRun') ?? false;
  const publish = optionalBoolean(body, 'Publish') ?? false;
  const now = deps.clock.now();
  return deps.lock.run(functionLockKey(scope, name), async () => {
    const latest = await deps.functions.getVersion(scope, name, '$LATEST');
    if (!latest) throw errors.functionNotFound(functionArn(scope.region, scope.accountId, name));
    assertUpdatable(latest.config, optionalString(body, 'RevisionId'));
    // A Failed image function (its image deleted, or unusable) comes back through Pending.
    const recreating = image !== null && latest.config.State === 'Failed';
    const config: FunctionConfiguration = {
      ...latest.config,
      ...(recreating ? { ...CREATING, State: transitionState('Failed', 'imageReplaced') } : {}),
      CodeSize: code.size,
      CodeSha256: code.sha256Base64,
      LastModified: lambdaTimestamp(now),
      RevisionId: randomUUID(),
      ...(Array.isArray(architectures) ? { Architectures: architectures as string[] } : {}),
      ...UPDATING,
    };
    if (dryRun) return jsonResponse(200, { ...latest.config, CodeSha256: code.sha256Base64, CodeSize: code.size });
    const codeHex = image ? replacingCode(image.stored, recreating ? null : latest.codeHex, latest.config.LastModified) : (code.stored ?? (await deps.blobs.put(code.bytes!)));
    await deps.functions.putVersion(scope, name, '$LATEST', config, codeHex, now);
    deps.provisioner.schedule(scope, name, '$LATEST');
    await deps.hostFolders?.follow(scope, name);
    if (!publish) return jsonResponse(200, config);
    const published = await publishVersion(deps, scope, name, {});
    return jsonResponse(200, { ...config, Version: published.Version });
  });
}

async function deleteFunction(deps: LambdaDeps, req: RestJsonRequest) {
  const { scope, name, qualifier } = await resolveFunction(deps, req, 'DeleteFunction');
  return deps.lock.run(functionLockKey(scope, name), async () => {
    if (!qualifier) {
      await deps.functions.deleteFunction(scope, name);
      deps.engine?.retireFunction({ accountId: scope.accountId, region: scope.region, functionName: name });
      await deps.hostFolders?.follow(scope, name);
      return emptyResponse(204);
    }
    if (qualifier === '$LATEST') throw errors.latestNotDeletable();
    const check = new ConstraintCheck().pattern(qualifier, 'qualifier', PATTERNS.version);
    check.throwIfFailed('InvalidParameterValueException');
    const row = await deps.functions.getVersion(scope, name, qualifier);
    if (!row) throw errors.functionNotFound(functionArn(scope.region, scope.accountId, name, qualifier));
    const aliases = await listStoredAliases(deps.db, scope, name);
    const referencing = aliases
      .filter((a) => a.FunctionVersion === qualifier || Object.keys(a.RoutingConfig?.AdditionalVersionWeights ?? {}).includes(qualifier))
      .map((a) => functionArn(scope.region, scope.accountId, name, a.Name));
    if (referencing.length > 0) {
      throw lambdaError('ResourceConflictException', `Unable to delete version because the following aliases reference it: [${referencing.join(', ')}]`);
    }
    await deps.functions.deleteVersion(scope, name, qualifier);
    deps.engine?.retireFunction({ accountId: scope.accountId, region: scope.region, functionName: name, version: qualifier });
    await deps.hostFolders?.follow(scope, name);
    return emptyResponse(204);
  });
}

/**
 * A role Lambkin's IAM has must trust `lambda.amazonaws.com`, as AWS requires; a role it does not
 * have is accepted (the function then keeps its account's access, with a warning in its log).
 */
async function checkRoleAssumable(deps: LambdaDeps, accountId: string, role: string | undefined): Promise<void> {
  if (role === undefined || !deps.executionRoles) return;
  if ((await deps.executionRoles.trustForLambda(accountId, role)) === 'untrusted') throw errors.roleNotAssumable();
}
