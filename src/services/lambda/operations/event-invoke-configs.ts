import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import { functionArn, parseFunctionName, resolveFunctionRef } from '../arns.js';
import type { LambdaDeps } from '../deps.js';
import { arnService, isSupportedDestination } from '../destination-targets.js';
import { errors } from '../errors.js';
import { versionForQualifier } from '../function-resolution.js';
import * as limits from '../limits.js';
import type { FunctionEventInvokeConfig, Scope } from '../model.js';
import { functionLockKey } from '../provisioner.js';
import { jsonBody, optionalNumber, paginate, scopeOf } from '../request.js';
import { QualifiedConfigsTable } from '../tables/qualified-configs-table.js';
import { ConstraintCheck } from '../validation.js';

type Outcome = 'OnSuccess' | 'OnFailure';

interface EventInvokeInput {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  /** Only the outcomes the caller named; `{}` means "named without a destination". */
  destinations: Partial<Record<Outcome, { Destination?: string }>>;
  destinationConfigGiven: boolean;
}

const DESTINATION_PATTERN =
  '$|kafka://([^.]([a-zA-Z0-9\\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)';
const DESTINATION_MAX_CHARS = 350;
/** Where AWS can deliver each outcome of an asynchronous invocation. */
const DESTINATION_SERVICES: Record<Outcome, readonly string[]> = {
  OnSuccess: ['sqs', 'sns', 'lambda', 'events'],
  OnFailure: ['sqs', 'sns', 'lambda', 'events', 's3'],
};

export function eventInvokeConfigRoutes(deps: LambdaDeps): RestJsonRoute[] {
  const path = '/2019-09-25/functions/{FunctionName}/event-invoke-config';
  return [
    { operation: 'PutFunctionEventInvokeConfig', method: 'PUT', path, handler: (r) => putConfig(deps, r, 'replace') },
    { operation: 'UpdateFunctionEventInvokeConfig', method: 'POST', path, handler: (r) => putConfig(deps, r, 'merge') },
    { operation: 'GetFunctionEventInvokeConfig', method: 'GET', path, handler: (r) => getConfig(deps, r) },
    { operation: 'DeleteFunctionEventInvokeConfig', method: 'DELETE', path, handler: (r) => deleteConfig(deps, r) },
    { operation: 'ListFunctionEventInvokeConfigs', method: 'GET', path: `${path}/list`, handler: (r) => listConfigs(deps, r) },
  ];
}

function table(deps: LambdaDeps) {
  return new QualifiedConfigsTable<FunctionEventInvokeConfig>(deps.db, 'event-invoke-config');
}

/** Name and qualifier (`$LATEST` when none) from `{FunctionName}` + `?Qualifier`. */
function target(req: RestJsonRequest, action: string): { scope: Scope; name: string; qualifier: string; arn: string } {
  const scope = scopeOf(req);
  const ref = resolveFunctionRef(req.params.FunctionName ?? '', req.query.get('Qualifier'), scope, action);
  const qualifier = ref.qualifier ?? '$LATEST';
  return { scope, name: ref.name, qualifier, arn: functionArn(scope.region, scope.accountId, ref.name, qualifier) };
}

// ---- input ----

function readInput(body: Record<string, unknown>): EventInvokeInput {
  const check = new ConstraintCheck();
  const maximumRetryAttempts = optionalNumber(body, 'MaximumRetryAttempts');
  const maximumEventAgeInSeconds = optionalNumber(body, 'MaximumEventAgeInSeconds');
  check.range(maximumRetryAttempts, 'maximumRetryAttempts', 0, limits.EVENT_INVOKE_RETRY_ATTEMPTS_MAX);
  check.range(maximumEventAgeInSeconds, 'maximumEventAgeInSeconds', limits.EVENT_INVOKE_MAX_AGE_SECONDS_MIN, limits.EVENT_INVOKE_MAX_AGE_SECONDS_MAX);
  const raw = body.DestinationConfig;
  const destinations: EventInvokeInput['destinations'] = {};
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'object' || Array.isArray(raw)) throw errors.invalidJson('member DestinationConfig must be an object');
    for (const outcome of ['OnSuccess', 'OnFailure'] as const) {
      const entry = (raw as Record<string, unknown>)[outcome];
      if (entry === undefined || entry === null) continue;
      if (typeof entry !== 'object' || Array.isArray(entry)) throw errors.invalidJson(`member ${outcome} must be an object`);
      const destination = (entry as Record<string, unknown>).Destination;
      if (destination !== undefined && destination !== null && typeof destination !== 'string') {
        throw errors.invalidJson('member Destination must be a string');
      }
      const field = `destinationConfig.${outcome === 'OnSuccess' ? 'onSuccess' : 'onFailure'}.destination`;
      const value = destination ?? undefined;
      check.length(value, field, 0, DESTINATION_MAX_CHARS).pattern(value, field, DESTINATION_PATTERN);
      destinations[outcome] = value === undefined ? {} : { Destination: value };
    }
  }
  check.throwIfFailed();
  return { maximumRetryAttempts, maximumEventAgeInSeconds, destinations, destinationConfigGiven: raw !== undefined && raw !== null };
}

function requireSomeSetting(input: EventInvokeInput): void {
  if (input.maximumRetryAttempts === undefined && input.maximumEventAgeInSeconds === undefined && !input.destinationConfigGiven) {
    throw errors.eventInvokeConfigEmpty();
  }
}

// ---- rules ----

/** AWS's checks on each destination, plus Lambkin's refusal of services it cannot deliver to yet. */
async function checkDestinations(deps: LambdaDeps, scope: Scope, functionName: string, input: EventInvokeInput): Promise<void> {
  const shown = (outcome: Outcome) => {
    const entry = input.destinations[outcome];
    return entry ? `${outcome}(destination=${entry.Destination ?? null})` : null;
  };
  for (const outcome of ['OnSuccess', 'OnFailure'] as const) {
    const arn = input.destinations[outcome]?.Destination;
    if (!arn) continue;
    const service = arnService(arn);
    if (!service || !DESTINATION_SERVICES[outcome].includes(service)) {
      throw errors.destinationConfigInvalid(shown('OnSuccess'), shown('OnFailure'));
    }
    if (service === 'lambda') await checkFunctionDestination(deps, scope, functionName, arn);
    // S3 takes stream mappings' failure records, but the asynchronous record's object layout in a
    // bucket is not modelled, so an S3 destination here is still refused rather than guessed at.
    if (service === 's3' || !isSupportedDestination(arn, deps.deliverySinks)) throw errors.destinationArnInvalid(arn);
  }
}

async function checkFunctionDestination(deps: LambdaDeps, scope: Scope, functionName: string, arn: string): Promise<void> {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.startsWith('function:') ? parseFunctionName(arn) : null;
  const sameScope = parts && (parts.accountId ?? scope.accountId) === scope.accountId && (parts.region ?? scope.region) === scope.region;
  if (parts && sameScope && parts.name === functionName) throw errors.destinationIsSelf();
  // AWS checks that a function destination exists when the config is written (recorded).
  if (!parts || !sameScope || !(await deps.functions.getFunction(scope, parts.name))) throw errors.destinationArnInvalid(arn);
  if (parts.qualifier) {
    const version = await versionForQualifier(deps, scope, parts.name, parts.qualifier);
    if (!version || !(await deps.functions.getVersion(scope, parts.name, version))) throw errors.destinationArnInvalid(arn);
  }
}

async function assertTargetExists(deps: LambdaDeps, scope: Scope, name: string, qualifier: string): Promise<void> {
  if (!(await deps.functions.getFunction(scope, name))) throw errors.eventInvokeFunctionMissing();
  const version = await versionForQualifier(deps, scope, name, qualifier);
  if (!version || !(await deps.functions.getVersion(scope, name, version))) throw errors.eventInvokeFunctionMissing();
}

// ---- handlers ----

async function putConfig(deps: LambdaDeps, req: RestJsonRequest, mode: 'replace' | 'merge') {
  const action = mode === 'replace' ? 'PutFunctionEventInvokeConfig' : 'UpdateFunctionEventInvokeConfig';
  const { scope, name, qualifier, arn } = target(req, action);
  const input = readInput(jsonBody(req));
  requireSomeSetting(input);
  return deps.lock.run(functionLockKey(scope, name), async () => {
    await assertTargetExists(deps, scope, name, qualifier);
    const existing = await table(deps).get(scope, name, qualifier);
    if (mode === 'merge' && !existing) throw errors.eventInvokeConfigNotFound(arn);
    await checkDestinations(deps, scope, name, input);
    const base: Partial<FunctionEventInvokeConfig> = mode === 'merge' && existing ? existing.config : {};
    const config: FunctionEventInvokeConfig = {
      LastModified: deps.clock.now() / 1000,
      FunctionArn: arn,
      DestinationConfig: {
        OnSuccess: input.destinations.OnSuccess ?? base.DestinationConfig?.OnSuccess ?? {},
        OnFailure: input.destinations.OnFailure ?? base.DestinationConfig?.OnFailure ?? {},
      },
    };
    const retries = input.maximumRetryAttempts ?? base.MaximumRetryAttempts;
    const maxAge = input.maximumEventAgeInSeconds ?? base.MaximumEventAgeInSeconds;
    if (retries !== undefined) config.MaximumRetryAttempts = retries;
    if (maxAge !== undefined) config.MaximumEventAgeInSeconds = maxAge;
    await table(deps).put(scope, name, qualifier, config);
    // Asynchronous attempts read the config through the function's cache.
    deps.functions.attachedChanged(scope, name);
    return jsonResponse(200, config);
  });
}

async function getConfig(deps: LambdaDeps, req: RestJsonRequest) {
  const { scope, name, qualifier, arn } = target(req, 'GetFunctionEventInvokeConfig');
  const row = await table(deps).get(scope, name, qualifier);
  if (!row) throw errors.eventInvokeConfigNotFound(arn);
  return jsonResponse(200, row.config);
}

async function deleteConfig(deps: LambdaDeps, req: RestJsonRequest) {
  const { scope, name, qualifier, arn } = target(req, 'DeleteFunctionEventInvokeConfig');
  const deleted = await deps.lock.run(functionLockKey(scope, name), async () => {
    const gone = await table(deps).delete(scope, name, qualifier);
    deps.functions.attachedChanged(scope, name);
    return gone;
  });
  if (!deleted) throw errors.eventInvokeConfigNotFound(arn);
  return emptyResponse(204);
}

async function listConfigs(deps: LambdaDeps, req: RestJsonRequest) {
  const scope = scopeOf(req);
  const ref = resolveFunctionRef(req.params.FunctionName ?? '', null, scope, 'ListFunctionEventInvokeConfigs');
  if (!(await deps.functions.getFunction(scope, ref.name))) throw errors.eventInvokeFunctionMissing();
  const rows = await table(deps).list(scope, ref.name);
  const { page, nextMarker } = paginate(req, rows, (r) => r.qualifier, { maxItemsLimit: limits.LIST_EVENT_INVOKE_CONFIGS_MAX_ITEMS });
  const body: Record<string, unknown> = { FunctionEventInvokeConfigs: page.map((r) => r.config) };
  if (nextMarker) body.NextMarker = nextMarker;
  return jsonResponse(200, body);
}
