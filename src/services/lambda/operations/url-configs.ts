import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import { functionArn, resolveFunctionRef } from '../arns.js';
import type { LambdaDeps } from '../deps.js';
import { errors } from '../errors.js';
import * as limits from '../limits.js';
import { lambdaTimestamp, type Scope } from '../model.js';
import { functionLockKey } from '../provisioner.js';
import { jsonBody, optionalString, paginate, scopeOf } from '../request.js';
import { QualifiedConfigsTable } from '../tables/qualified-configs-table.js';
import { functionUrl, newUrlId } from '../url-ids.js';
import { ConstraintCheck, PATTERNS } from '../validation.js';
import { readAlias } from '../tables/aliases-table.js';
import type { UrlCors } from '../model.js';

/**
 * What is stored per qualifier. The URL itself is derived from `lookup_key` (the URL id) and the
 * endpoint of each request. `InvokeMode` is stored only when a caller set it: AWS echoes it from
 * Create/Update only then, while Get and List report `BUFFERED` by default (recorded).
 */
interface StoredUrlConfig {
  FunctionArn: string;
  AuthType: string;
  Cors?: UrlCors;
  InvokeMode?: string;
  CreationTime: string;
  LastModifiedTime: string;
}

const AUTH_TYPES = ['AWS_IAM', 'NONE'] as const;
const INVOKE_MODES = ['RESPONSE_STREAM', 'BUFFERED'] as const;
const INVOKE_MODE_DEFAULT = 'BUFFERED';
/** The model's FunctionName pattern for URL operations: a qualifier, if any, must be an alias. */
const URL_FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:((?!\\d+)[0-9a-zA-Z-_]+))?';

export function urlConfigRoutes(deps: LambdaDeps): RestJsonRoute[] {
  const path = '/2021-10-31/functions/{FunctionName}/url';
  return [
    { operation: 'CreateFunctionUrlConfig', method: 'POST', path, handler: (r) => createUrlConfig(deps, r) },
    { operation: 'GetFunctionUrlConfig', method: 'GET', path, handler: (r) => getUrlConfig(deps, r) },
    { operation: 'UpdateFunctionUrlConfig', method: 'PUT', path, handler: (r) => updateUrlConfig(deps, r) },
    { operation: 'DeleteFunctionUrlConfig', method: 'DELETE', path, handler: (r) => deleteUrlConfig(deps, r) },
    { operation: 'ListFunctionUrlConfigs', method: 'GET', path: '/2021-10-31/functions/{FunctionName}/urls', handler: (r) => listUrlConfigs(deps, r) },
  ];
}

function table(deps: LambdaDeps) {
  return new QualifiedConfigsTable<StoredUrlConfig>(deps.db, 'url-config');
}

interface UrlTarget {
  scope: Scope;
  name: string;
  /** The alias name, or '' for the unqualified function. */
  qualifier: string;
  arn: string;
}

/** `{FunctionName}` + `?Qualifier`, checked the way the model does before anything is looked up. */
function target(req: RestJsonRequest, action: string): UrlTarget {
  const scope = scopeOf(req);
  const rawName = req.params.FunctionName ?? '';
  const queryQualifier = req.query.get('Qualifier');
  const check = new ConstraintCheck();
  check.pattern(rawName, 'functionName', URL_FUNCTION_NAME_PATTERN);
  if (queryQualifier !== null) check.length(queryQualifier, 'qualifier', 1, 128).pattern(queryQualifier, 'qualifier', PATTERNS.urlQualifier);
  check.throwIfFailed();
  const ref = resolveFunctionRef(rawName, queryQualifier, scope, action);
  const qualifier = ref.qualifier ?? '';
  return { scope, name: ref.name, qualifier, arn: functionArn(scope.region, scope.accountId, ref.name, qualifier || null) };
}

/** The function and, when qualified, its alias exist; otherwise `notFound`. */
async function assertTargetExists(deps: LambdaDeps, t: UrlTarget, notFound: () => Error): Promise<void> {
  if (!(await deps.functions.getFunction(t.scope, t.name))) throw notFound();
  if (!t.qualifier) return;
  const alias = await readAlias(deps.db, t.scope, t.name, t.qualifier);
  if (!alias) throw notFound();
}

// ---- input ----

interface UrlInput {
  authType?: string;
  invokeMode?: string;
  /** undefined = not given. */
  cors?: UrlCors;
}

function readUrlInput(body: Record<string, unknown>, authTypeRequired: boolean): UrlInput {
  const check = new ConstraintCheck();
  const authType = optionalString(body, 'AuthType');
  const invokeMode = optionalString(body, 'InvokeMode');
  if (authTypeRequired) check.required(authType, 'authType');
  check.oneOf(authType, 'authType', AUTH_TYPES);
  const cors = readCors(body.Cors, check);
  check.oneOf(invokeMode, 'invokeMode', INVOKE_MODES);
  check.throwIfFailed();
  return { authType, invokeMode, cors };
}

function readCors(raw: unknown, check: ConstraintCheck): UrlCors | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw errors.invalidJson('member Cors must be an object');
  const input = raw as Record<string, unknown>;
  const cors: UrlCors = {};
  if (input.AllowCredentials !== undefined && input.AllowCredentials !== null) {
    if (typeof input.AllowCredentials !== 'boolean') throw errors.invalidJson('member AllowCredentials must be a boolean');
    cors.AllowCredentials = input.AllowCredentials;
  }
  const lists = [
    ['AllowHeaders', 'cors.allowHeaders', limits.URL_CORS_LIST_MAX_ITEMS, 0, limits.URL_CORS_HEADER_MAX_CHARS],
    ['AllowMethods', 'cors.allowMethods', limits.URL_CORS_METHODS_MAX_ITEMS, 0, limits.URL_CORS_METHOD_MAX_CHARS],
    ['AllowOrigins', 'cors.allowOrigins', limits.URL_CORS_LIST_MAX_ITEMS, 1, limits.URL_CORS_ORIGIN_MAX_CHARS],
    ['ExposeHeaders', 'cors.exposeHeaders', limits.URL_CORS_LIST_MAX_ITEMS, 0, limits.URL_CORS_HEADER_MAX_CHARS],
  ] as const;
  for (const [key, field, maxItems, minChars, maxChars] of lists) {
    const value = input[key];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw errors.invalidJson(`member ${key} must be a list of strings`);
    const items = value as string[];
    if (items.length > maxItems) {
      check.fail(items, field, `Member must have length less than or equal to ${maxItems}`);
    } else if (items.some((v) => v.length > maxChars || v.length < minChars)) {
      check.fail(items, field,
        `Member must satisfy constraint: [Member must have length less than or equal to ${maxChars}, Member must have length greater than or equal to ${minChars}, Member must satisfy regular expression pattern: .*]`);
    }
    cors[key] = items;
  }
  if (input.MaxAge !== undefined && input.MaxAge !== null) {
    if (typeof input.MaxAge !== 'number' || !Number.isInteger(input.MaxAge)) throw errors.invalidJson('member MaxAge must be an integer');
    check.range(input.MaxAge, 'cors.maxAge', 0, limits.URL_CORS_MAX_AGE_SECONDS_MAX);
    cors.MaxAge = input.MaxAge;
  }
  return cors;
}

// ---- views ----

function view(req: RestJsonRequest, id: string, config: StoredUrlConfig, kind: 'create' | 'update' | 'get') {
  const doc: Record<string, unknown> = {
    FunctionUrl: functionUrl(req.endpoint, id, req.region),
    FunctionArn: config.FunctionArn,
    AuthType: config.AuthType,
  };
  if (config.Cors) doc.Cors = config.Cors;
  doc.CreationTime = config.CreationTime;
  if (kind !== 'create') doc.LastModifiedTime = config.LastModifiedTime;
  const invokeMode = kind === 'get' ? (config.InvokeMode ?? INVOKE_MODE_DEFAULT) : config.InvokeMode;
  if (invokeMode !== undefined) doc.InvokeMode = invokeMode;
  return doc;
}

// ---- handlers ----

async function createUrlConfig(deps: LambdaDeps, req: RestJsonRequest) {
  const t = target(req, 'CreateFunctionUrlConfig');
  const input = readUrlInput(jsonBody(req), true);
  return deps.lock.run(functionLockKey(t.scope, t.name), async () => {
    await assertTargetExists(deps, t, errors.urlFunctionMissing);
    if (await table(deps).get(t.scope, t.name, t.qualifier)) throw errors.urlConfigExists(t.arn);
    const now = lambdaTimestamp(deps.clock.now());
    const config: StoredUrlConfig = { FunctionArn: t.arn, AuthType: input.authType ?? 'NONE', CreationTime: now, LastModifiedTime: now };
    if (input.cors) config.Cors = input.cors;
    if (input.invokeMode) config.InvokeMode = input.invokeMode;
    const id = newUrlId();
    await table(deps).put(t.scope, t.name, t.qualifier, config, id);
    return jsonResponse(201, view(req, id, config, 'create'));
  });
}

async function updateUrlConfig(deps: LambdaDeps, req: RestJsonRequest) {
  const t = target(req, 'UpdateFunctionUrlConfig');
  const input = readUrlInput(jsonBody(req), false);
  return deps.lock.run(functionLockKey(t.scope, t.name), async () => {
    await assertTargetExists(deps, t, errors.urlFunctionMissing);
    const row = await table(deps).get(t.scope, t.name, t.qualifier);
    if (!row?.lookupKey) throw errors.resourceNotFound();
    const config: StoredUrlConfig = { ...row.config, LastModifiedTime: lambdaTimestamp(deps.clock.now()) };
    if (input.authType) config.AuthType = input.authType;
    if (input.cors) config.Cors = input.cors;
    if (input.invokeMode) config.InvokeMode = input.invokeMode;
    await table(deps).put(t.scope, t.name, t.qualifier, config, row.lookupKey);
    return jsonResponse(200, view(req, row.lookupKey, config, 'update'));
  });
}

async function getUrlConfig(deps: LambdaDeps, req: RestJsonRequest) {
  const t = target(req, 'GetFunctionUrlConfig');
  await assertTargetExists(deps, t, errors.resourceNotFound);
  const row = await table(deps).get(t.scope, t.name, t.qualifier);
  if (!row?.lookupKey) throw errors.resourceNotFound();
  return jsonResponse(200, view(req, row.lookupKey, row.config, 'get'));
}

async function deleteUrlConfig(deps: LambdaDeps, req: RestJsonRequest) {
  const t = target(req, 'DeleteFunctionUrlConfig');
  await deps.lock.run(functionLockKey(t.scope, t.name), async () => {
    await assertTargetExists(deps, t, errors.resourceNotFound);
    if (!(await table(deps).delete(t.scope, t.name, t.qualifier))) throw errors.resourceNotFound();
  });
  return emptyResponse(204);
}

async function listUrlConfigs(deps: LambdaDeps, req: RestJsonRequest) {
  const scope = scopeOf(req);
  const ref = resolveFunctionRef(req.params.FunctionName ?? '', null, scope, 'ListFunctionUrlConfigs');
  if (!(await deps.functions.getFunction(scope, ref.name))) throw errors.urlFunctionMissing();
  const rows = (await table(deps).list(scope, ref.name)).filter((r) => r.lookupKey);
  const { page, nextMarker } = paginate(req, rows, (r) => r.qualifier || '$unqualified', { maxItemsLimit: limits.LIST_URL_CONFIGS_MAX_ITEMS });
  const body: Record<string, unknown> = { FunctionUrlConfigs: page.map((r) => view(req, r.lookupKey ?? '', r.config, 'get')) };
  if (nextMarker) body.NextMarker = nextMarker;
  return jsonResponse(200, body);
}
