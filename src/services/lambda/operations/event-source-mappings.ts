import { randomUUID } from 'node:crypto';
import { jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import { eventSourceMappingArn, functionArn, resolveFunctionRef } from '../arns.js';
import type { LambdaDeps } from '../deps.js';
import { isSupportedDestination } from '../destination-targets.js';
import { errors } from '../errors.js';
import { isFifoQueue, isStream, mappingDefaults, MEMBERS_BY_KIND, sourceKindOf, type SourceKind } from '../esm-defaults.js';
import { isValidFilterPattern } from '../esm-filter-patterns.js';
import { initialState, transition, type MappingEvent, type MappingState } from '../esm-state.js';
import { TransitionNotAllowed } from '../../../lifecycle.js';
import { mappingLockKey, scheduleSettle, settleIfDue, settleTime } from '../esm-transitions.js';
import { acceptAnyEventSource, type EventSourceLookup } from '../event-source-lookup.js';
import { versionForQualifier } from '../function-resolution.js';
import * as limits from '../limits.js';
import type { Scope } from '../model.js';
import { functionLockKey } from '../provisioner.js';
import { jsonBody, optionalBoolean, optionalString, paginate, scopeOf } from '../request.js';
import { EventSourceMappingsTable, type MappingDocument, type StoredMapping } from '../tables/event-source-mappings-table.js';
import { validateTags } from '../tag-rules.js';
import { ConstraintCheck, PATTERNS } from '../validation.js';

const EVENT_SOURCE_ARN_PATTERN =
  'arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)';
const DESTINATION_PATTERN =
  '$|kafka://([^.]([a-zA-Z0-9\\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)';
const STARTING_POSITIONS = ['LATEST', 'AT_TIMESTAMP', 'TRIM_HORIZON'] as const;
const FUNCTION_RESPONSE_TYPES = ['ReportBatchItemFailures'] as const;
/** Where a stream mapping may send records it gives up on. */
const STREAM_FAILURE_DESTINATION_SERVICES = ['sqs', 'sns', 's3'];

export function eventSourceMappingRoutes(deps: LambdaDeps, sources: EventSourceLookup = acceptAnyEventSource): RestJsonRoute[] {
  const base = '/2015-03-31/event-source-mappings';
  return [
    { operation: 'CreateEventSourceMapping', method: 'POST', path: base, handler: (r) => createMapping(deps, sources, r) },
    { operation: 'ListEventSourceMappings', method: 'GET', path: base, handler: (r) => listMappings(deps, r) },
    { operation: 'GetEventSourceMapping', method: 'GET', path: `${base}/{UUID}`, handler: (r) => getMapping(deps, r) },
    { operation: 'UpdateEventSourceMapping', method: 'PUT', path: `${base}/{UUID}`, handler: (r) => updateMapping(deps, r) },
    { operation: 'DeleteEventSourceMapping', method: 'DELETE', path: `${base}/{UUID}`, handler: (r) => deleteMapping(deps, r) },
  ];
}

// ---- input ----

type Members = Record<string, unknown>;

function objectMember(body: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw errors.invalidJson(`member ${key} must be an object`);
  return v as Record<string, unknown>;
}

/** The tunable members of Create/UpdateEventSourceMapping, checked against the model's constraints. */
function readMembers(body: Record<string, unknown>, check: ConstraintCheck): Members {
  const members: Members = {};
  const numbers: Array<[string, string, number, number]> = [
    ['BatchSize', 'batchSize', 1, limits.ESM_BATCH_SIZE_MAX],
    ['MaximumBatchingWindowInSeconds', 'maximumBatchingWindowInSeconds', 0, limits.ESM_BATCHING_WINDOW_SECONDS_MAX],
    ['ParallelizationFactor', 'parallelizationFactor', 1, limits.ESM_PARALLELIZATION_FACTOR_MAX],
    ['MaximumRecordAgeInSeconds', 'maximumRecordAgeInSeconds', -1, limits.ESM_MAX_RECORD_AGE_SECONDS_MAX],
    ['MaximumRetryAttempts', 'maximumRetryAttempts', -1, limits.ESM_MAX_RETRY_ATTEMPTS_MAX],
    ['TumblingWindowInSeconds', 'tumblingWindowInSeconds', 0, limits.ESM_TUMBLING_WINDOW_SECONDS_MAX],
  ];
  for (const [key, field, min, max] of numbers) {
    const v = body[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw errors.invalidJson(`member ${key} must be an integer`);
    check.range(v, field, min, max);
    members[key] = v;
  }
  const bisect = optionalBoolean(body, 'BisectBatchOnFunctionError');
  if (bisect !== undefined) members.BisectBatchOnFunctionError = bisect;
  const startingPosition = optionalString(body, 'StartingPosition');
  check.oneOf(startingPosition, 'startingPosition', STARTING_POSITIONS);
  if (startingPosition !== undefined) members.StartingPosition = startingPosition;
  const timestamp = body.StartingPositionTimestamp;
  if (timestamp !== undefined && timestamp !== null) {
    if (typeof timestamp !== 'number') throw errors.invalidJson('member StartingPositionTimestamp must be a number');
    members.StartingPositionTimestamp = timestamp;
  }
  const kmsKeyArn = optionalString(body, 'KMSKeyArn');
  if (kmsKeyArn !== undefined) members.KMSKeyArn = kmsKeyArn;
  readResponseTypes(body, check, members);
  readFilterCriteria(body, members);
  readDestinationConfig(body, check, members);
  const scaling = objectMember(body, 'ScalingConfig');
  if (scaling) {
    const max = scaling.MaximumConcurrency;
    if (max !== undefined && max !== null && typeof max !== 'number') throw errors.invalidJson('member MaximumConcurrency must be a number');
    check.range(max ?? undefined, 'scalingConfig.maximumConcurrency', limits.ESM_SCALING_MAX_CONCURRENCY_MIN, limits.ESM_SCALING_MAX_CONCURRENCY_MAX);
    members.ScalingConfig = max === undefined || max === null ? {} : { MaximumConcurrency: max };
  }
  const metrics = objectMember(body, 'MetricsConfig');
  if (metrics) members.MetricsConfig = metrics;
  return members;
}

function readResponseTypes(body: Record<string, unknown>, check: ConstraintCheck, members: Members): void {
  const v = body.FunctionResponseTypes;
  if (v === undefined || v === null) return;
  if (!Array.isArray(v) || v.some((t) => typeof t !== 'string')) throw errors.invalidJson('member FunctionResponseTypes must be a list of strings');
  const types = v as string[];
  if (types.some((t) => !(FUNCTION_RESPONSE_TYPES as readonly string[]).includes(t))) {
    check.fail(types, 'functionResponseTypes', `Member must satisfy constraint: [Member must satisfy enum value set: [${FUNCTION_RESPONSE_TYPES.join(', ')}]]`);
  }
  members.FunctionResponseTypes = types;
}

function readFilterCriteria(body: Record<string, unknown>, members: Members): void {
  const criteria = objectMember(body, 'FilterCriteria');
  if (!criteria) return;
  const filters = criteria.Filters ?? [];
  if (!Array.isArray(filters)) throw errors.invalidJson('member Filters must be a list');
  const kept: Array<{ Pattern: string }> = [];
  for (const filter of filters as unknown[]) {
    const pattern = filter && typeof filter === 'object' ? (filter as Record<string, unknown>).Pattern : undefined;
    if (typeof pattern !== 'string' || pattern.length > limits.ESM_FILTER_PATTERN_MAX_CHARS || !isValidFilterPattern(pattern)) {
      throw errors.invalidFilterPattern();
    }
    kept.push({ Pattern: pattern });
  }
  members.FilterCriteria = { Filters: kept };
}

function readDestinationConfig(body: Record<string, unknown>, check: ConstraintCheck, members: Members): void {
  const config = objectMember(body, 'DestinationConfig');
  if (!config) return;
  const result: Record<string, { Destination?: string }> = {};
  for (const outcome of ['OnSuccess', 'OnFailure'] as const) {
    const entry = objectMember(config, outcome);
    if (!entry) continue;
    const destination = optionalString(entry, 'Destination');
    const field = `destinationConfig.${outcome === 'OnSuccess' ? 'onSuccess' : 'onFailure'}.destination`;
    check.length(destination, field, 0, 350).pattern(destination, field, DESTINATION_PATTERN);
    result[outcome] = destination === undefined ? {} : { Destination: destination };
  }
  members.DestinationConfig = result;
}

// ---- rules ----

/** Mappings only report failures, and SQS mappings report nothing (the queue's redrive policy does). */
function checkDestinationShape(kind: SourceKind, members: Members): void {
  const config = members.DestinationConfig as Record<string, { Destination?: string }> | undefined;
  if (!config) return;
  if (config.OnSuccess) throw errors.mappingDestinationUnsupported();
  if (kind === 'sqs' && config.OnFailure?.Destination) throw errors.mappingDestinationUnsupported();
}

/** Stream mappings hand failed batches to SQS/SNS/S3: those whose service runs here (a registered sink). */
function checkFailureDestination(deps: LambdaDeps, mapping: Members): void {
  const destination = (mapping.DestinationConfig as { OnFailure?: { Destination?: string } } | undefined)?.OnFailure?.Destination;
  if (!destination) return;
  const service = destination.split(':')[2] ?? '';
  if (!STREAM_FAILURE_DESTINATION_SERVICES.includes(service) || !isSupportedDestination(destination, deps.deliverySinks)) {
    throw errors.destinationArnInvalid(destination);
  }
}

function checkSourceRules(kind: SourceKind, sourceArn: string, mapping: Members): void {
  const batchSize = mapping.BatchSize as number;
  if (kind === 'sqs') {
    if (isFifoQueue(sourceArn) && batchSize > limits.ESM_SQS_FIFO_BATCH_SIZE_MAX) throw errors.fifoBatchSizeTooLarge();
    if (batchSize > limits.ESM_SQS_BATCH_SIZE_WITHOUT_WINDOW_MAX && !mapping.MaximumBatchingWindowInSeconds) throw errors.batchWindowRequired();
    return;
  }
  if (!mapping.StartingPosition) throw errors.startingPositionMissing();
  if (kind === 'dynamodb' && mapping.StartingPosition === 'AT_TIMESTAMP') throw errors.startingPositionUnsupported(sourceArn);
}

/** The mapped function (unqualified unless the caller named a version or alias); IPVE when missing. */
async function resolveMappingFunction(deps: LambdaDeps, scope: Scope, input: string, action: string): Promise<{ name: string; arn: string }> {
  const ref = resolveFunctionRef(input, null, scope, action);
  if (!(await deps.functions.getFunction(scope, ref.name))) throw errors.mappingFunctionMissing();
  if (ref.qualifier) {
    const version = await versionForQualifier(deps, scope, ref.name, ref.qualifier);
    if (!version || !(await deps.functions.getVersion(scope, ref.name, version))) throw errors.mappingFunctionMissing();
  }
  return { name: ref.name, arn: functionArn(scope.region, scope.accountId, ref.name, ref.qualifier) };
}

function pick(members: Members, keys: readonly string[]): Members {
  const picked: Members = {};
  for (const key of keys) if (members[key] !== undefined) picked[key] = members[key];
  return picked;
}

/** Shapes AWS normalises in its responses. */
function normalise(kind: SourceKind, mapping: Members): void {
  const filters = (mapping.FilterCriteria as { Filters?: unknown[] } | undefined)?.Filters;
  if (!filters || filters.length === 0) delete mapping.FilterCriteria;
  if (isStream(kind)) mapping.DestinationConfig = { OnFailure: (mapping.DestinationConfig as { OnFailure?: object } | undefined)?.OnFailure ?? {} };
  else delete mapping.DestinationConfig;
  if (mapping.StartingPosition !== 'AT_TIMESTAMP') delete mapping.StartingPositionTimestamp;
}

function moveState(from: MappingState, event: MappingEvent, action: 'update' | 'delete'): MappingState {
  try {
    return transition(from, event);
  } catch (err) {
    if (err instanceof TransitionNotAllowed) throw errors.mappingInUse(action);
    throw err;
  }
}

// ---- handlers ----

async function createMapping(deps: LambdaDeps, sources: EventSourceLookup, req: RestJsonRequest) {
  const scope = scopeOf(req);
  const body = jsonBody(req);
  const check = new ConstraintCheck();
  const functionName = optionalString(body, 'FunctionName');
  const eventSourceArn = optionalString(body, 'EventSourceArn');
  check.required(functionName, 'functionName')
    .length(functionName, 'functionName', 1, limits.FUNCTION_NAME_INPUT_MAX_CHARS)
    .pattern(functionName, 'functionName', PATTERNS.functionNameCreate);
  check.length(eventSourceArn, 'eventSourceArn', 12, 1024).pattern(eventSourceArn, 'eventSourceArn', EVENT_SOURCE_ARN_PATTERN);
  const members = readMembers(body, check);
  const enabled = optionalBoolean(body, 'Enabled') ?? true;
  check.throwIfFailed();
  const tags = body.Tags === undefined || body.Tags === null ? {} : validateTags(body.Tags);

  if ((members.DestinationConfig as { OnSuccess?: unknown } | undefined)?.OnSuccess) throw errors.mappingDestinationUnsupported();
  const kind = eventSourceArn ? sourceKindOf(eventSourceArn) : null;
  if (!eventSourceArn || !kind) throw errors.unrecognizedEventSource();
  checkDestinationShape(kind, members);
  const defaults = mappingDefaults(kind);
  const draft: Members = { ...defaults, ...pick(members, MEMBERS_BY_KIND[kind]) };
  checkSourceRules(kind, eventSourceArn, draft);
  const fn = await resolveMappingFunction(deps, scope, functionName ?? '', 'CreateEventSourceMapping');
  checkFailureDestination(deps, draft);
  if (!(await sources.exists(eventSourceArn, { tags }))) throw kind === 'sqs' ? errors.sqsQueueMissing() : errors.streamNotFound(eventSourceArn);

  const table = new EventSourceMappingsTable(deps.db);
  // One mapping per (source, function): serialize creates for the function so two cannot race.
  const stored = await deps.lock.run(functionLockKey(scope, fn.name), async () => {
    const duplicate = (await table.list(scope, { eventSourceArn })).find((r) => r.mapping.FunctionArn === fn.arn);
    if (duplicate) {
      throw kind === 'sqs'
        ? errors.sqsMappingExists(eventSourceArn, fn.name, duplicate.mapping.UUID)
        : errors.streamMappingExists(eventSourceArn, fn.name, duplicate.mapping.UUID);
    }
    const uuid = randomUUID();
    normalise(kind, draft);
    const mapping: MappingDocument = {
      ...draft,
      UUID: uuid,
      EventSourceMappingArn: eventSourceMappingArn(scope.region, scope.accountId, uuid),
      EventSourceArn: eventSourceArn,
      FunctionArn: fn.arn,
      LastModified: deps.clock.now() / 1000,
      State: initialState(enabled),
      StateTransitionReason: defaults.StateTransitionReason as string,
    };
    const record: StoredMapping = { mapping, enabled, createdAt: deps.clock.now() };
    if (mapping.State === 'Creating') record.settleAt = settleTime(deps);
    await table.insert(scope, fn.name, record, tags);
    return record;
  });
  if (stored.settleAt !== undefined) scheduleSettle(deps, scope, stored.mapping.UUID);
  return jsonResponse(202, stored.mapping);
}

async function getMapping(deps: LambdaDeps, req: RestJsonRequest) {
  const scope = scopeOf(req);
  const uuid = req.params.UUID ?? '';
  await settleIfDue(deps, scope, uuid);
  const row = await new EventSourceMappingsTable(deps.db).get(scope, uuid);
  if (!row) throw errors.resourceNotFound();
  return jsonResponse(200, row.mapping);
}

async function updateMapping(deps: LambdaDeps, req: RestJsonRequest) {
  const scope = scopeOf(req);
  const uuid = req.params.UUID ?? '';
  const body = jsonBody(req);
  const check = new ConstraintCheck();
  const functionName = optionalString(body, 'FunctionName');
  check.length(functionName, 'functionName', 1, limits.FUNCTION_NAME_INPUT_MAX_CHARS).pattern(functionName, 'functionName', PATTERNS.functionNameCreate);
  const members = readMembers(body, check);
  const enabled = optionalBoolean(body, 'Enabled');
  check.throwIfFailed();
  await settleIfDue(deps, scope, uuid);
  const table = new EventSourceMappingsTable(deps.db);
  const stored = await deps.lock.run(mappingLockKey(uuid), async () => {
    const row = await table.get(scope, uuid);
    if (!row) throw errors.resourceNotFound();
    const sourceArn = row.mapping.EventSourceArn;
    const kind = sourceKindOf(sourceArn);
    if (!kind) throw errors.unrecognizedEventSource();
    if ((members.DestinationConfig as { OnSuccess?: unknown } | undefined)?.OnSuccess) throw errors.mappingDestinationUnsupported();
    checkDestinationShape(kind, members);
    const updatable = MEMBERS_BY_KIND[kind].filter((k) => k !== 'StartingPosition' && k !== 'StartingPositionTimestamp');
    const draft: Members = { ...row.mapping, ...pick(members, updatable) };
    checkSourceRules(kind, sourceArn, draft);
    let fnName = row.functionName;
    if (functionName !== undefined) {
      const fn = await resolveMappingFunction(deps, scope, functionName, 'UpdateEventSourceMapping');
      draft.FunctionArn = fn.arn;
      fnName = fn.name;
    }
    if (members.DestinationConfig) checkFailureDestination(deps, draft);
    const state = row.mapping.State;
    const event: MappingEvent = enabled === true && state === 'Disabled' ? 'enable' : enabled === false && state === 'Enabled' ? 'disable' : 'update';
    normalise(kind, draft);
    const mapping = { ...draft, State: moveState(state, event, 'update'), LastModified: deps.clock.now() / 1000 } as MappingDocument;
    const record: StoredMapping = { mapping, enabled: enabled ?? row.enabled, settleAt: settleTime(deps), createdAt: row.createdAt };
    await table.update(uuid, fnName, record);
    return record;
  });
  scheduleSettle(deps, scope, uuid);
  return jsonResponse(202, stored.mapping);
}

async function deleteMapping(deps: LambdaDeps, req: RestJsonRequest) {
  const scope = scopeOf(req);
  const uuid = req.params.UUID ?? '';
  await settleIfDue(deps, scope, uuid);
  const table = new EventSourceMappingsTable(deps.db);
  const stored = await deps.lock.run(mappingLockKey(uuid), async () => {
    const row = await table.get(scope, uuid);
    if (!row) throw errors.resourceNotFound();
    const record: StoredMapping = {
      mapping: { ...row.mapping, State: moveState(row.mapping.State, 'delete', 'delete') },
      enabled: row.enabled,
      settleAt: settleTime(deps),
      createdAt: row.createdAt,
    };
    await table.update(uuid, row.functionName, record);
    return record;
  });
  scheduleSettle(deps, scope, uuid);
  return jsonResponse(202, stored.mapping);
}

async function listMappings(deps: LambdaDeps, req: RestJsonRequest) {
  const scope = scopeOf(req);
  const table = new EventSourceMappingsTable(deps.db);
  const eventSourceArn = req.query.get('EventSourceArn') ?? undefined;
  const functionInput = req.query.get('FunctionName');
  let functionName: string | undefined;
  let qualifiedArn: string | undefined;
  if (functionInput) {
    const ref = resolveFunctionRef(functionInput, null, scope, 'ListEventSourceMappings');
    functionName = ref.name;
    if (ref.qualifier) qualifiedArn = functionArn(scope.region, scope.accountId, ref.name, ref.qualifier);
  }
  const now = deps.clock.now();
  for (const row of await table.list(scope, { eventSourceArn, functionName })) {
    if (row.settleAt !== undefined && row.settleAt <= now) await settleIfDue(deps, scope, row.mapping.UUID);
  }
  const rows = (await table.list(scope, { eventSourceArn, functionName })).filter((r) => !qualifiedArn || r.mapping.FunctionArn === qualifiedArn);
  const { page, nextMarker } = paginate(req, rows, (r) => r.mapping.UUID, {
    maxItemsLimit: limits.LIST_EVENT_SOURCE_MAPPINGS_MAX_ITEMS,
    pageCap: limits.LIST_EVENT_SOURCE_MAPPINGS_PAGE_MAX,
  });
  const response: Record<string, unknown> = { EventSourceMappings: page.map((r) => r.mapping) };
  if (nextMarker) response.NextMarker = nextMarker;
  return jsonResponse(200, response);
}
