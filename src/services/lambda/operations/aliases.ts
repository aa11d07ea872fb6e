import { randomUUID } from 'node:crypto';
import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import { functionArn, resolveFunctionRef } from '../arns.js';
import type { LambdaDeps } from '../deps.js';
import { errors } from '../errors.js';
import { resolveFunction } from '../function-resolution.js';
import * as limits from '../limits.js';
import type { Scope } from '../model.js';
import { functionLockKey } from '../provisioner.js';
import { jsonBody, optionalString, paginate, scopeOf } from '../request.js';
import { ConstraintCheck, PATTERNS } from '../validation.js';
import { listStoredAliases, readAlias, removeAlias, writeAlias, type AliasConfiguration } from '../tables/aliases-table.js';


export function aliasRoutes(deps: LambdaDeps): RestJsonRoute[] {
  const base = '/2015-03-31/functions/{FunctionName}/aliases';
  return [
    { operation: 'CreateAlias', method: 'POST', path: base, handler: (r) => createAlias(deps, r) },
    { operation: 'ListAliases', method: 'GET', path: base, handler: (r) => listAliases(deps, r) },
    { operation: 'GetAlias', method: 'GET', path: `${base}/{Name}`, handler: (r) => getAlias(deps, r) },
    { operation: 'UpdateAlias', method: 'PUT', path: `${base}/{Name}`, handler: (r) => updateAlias(deps, r) },
    { operation: 'DeleteAlias', method: 'DELETE', path: `${base}/{Name}`, handler: (r) => deleteAlias(deps, r) },
  ];
}

// ---- input ----

interface AliasInput {
  functionVersion?: string;
  description?: string;
  /** undefined = not given; null = given but empty (clears the routing). */
  weights?: Record<string, number> | null;
  revisionId?: string;
}

function checkAliasName(name: string | undefined, check: ConstraintCheck): void {
  check.required(name, 'name').length(name, 'name', 1, limits.ALIAS_NAME_MAX_CHARS).pattern(name, 'name', PATTERNS.aliasName);
}

function readAliasInput(body: Record<string, unknown>, check: ConstraintCheck): AliasInput {
  const functionVersion = optionalString(body, 'FunctionVersion');
  const description = optionalString(body, 'Description');
  check.length(functionVersion, 'functionVersion', 1, 1024).pattern(functionVersion, 'functionVersion', PATTERNS.version);
  check.length(description, 'description', 0, limits.DESCRIPTION_MAX_CHARS);
  return { functionVersion, description, weights: readWeights(body.RoutingConfig, check), revisionId: optionalString(body, 'RevisionId') };
}

function readWeights(routing: unknown, check: ConstraintCheck): Record<string, number> | null | undefined {
  if (routing === undefined || routing === null) return undefined;
  if (typeof routing !== 'object' || Array.isArray(routing)) throw errors.invalidJson('member RoutingConfig must be an object');
  const raw = (routing as Record<string, unknown>).AdditionalVersionWeights;
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw errors.invalidJson('member AdditionalVersionWeights must be an object');
  const weights: Record<string, number> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value !== 'number') throw errors.invalidJson('AdditionalVersionWeights values must be numbers');
    weights[key] = value;
  }
  const entries = Object.entries(weights);
  if (entries.length === 0) return null;
  // AWS prints the map the way Java does: {2=0.5, 3=1.0}
  const shown = `{${entries.map(([k, v]) => `${k}=${javaDouble(v)}`).join(', ')}}`;
  const field = 'routingConfig.additionalVersionWeights';
  if (entries.some(([k]) => k.length < 1 || k.length > 1024 || !/^[0-9]+$/.test(k))) {
    check.fail(shown, field, 'Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]');
  }
  if (entries.some(([, v]) => v < 0 || v > 1)) {
    check.fail(shown, field, 'Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]');
  }
  return weights;
}

function javaDouble(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

// ---- rules ----

async function assertVersionExists(deps: LambdaDeps, scope: Scope, functionName: string, version: string): Promise<void> {
  if (!(await deps.functions.getVersion(scope, functionName, version))) {
    throw errors.functionNotFound(functionArn(scope.region, scope.accountId, functionName, version));
  }
}

/** Weighted routing: one extra published version, never the alias's own, never with `$LATEST`. */
async function checkRouting(deps: LambdaDeps, scope: Scope, functionName: string, target: string, weights: Record<string, number>): Promise<void> {
  const versions = Object.keys(weights);
  if (versions.length > limits.ALIAS_ROUTING_EXTRA_VERSIONS_MAX) throw errors.tooManyVersionWeights();
  for (const version of versions) {
    if (version === target) throw errors.versionAlreadyRouted(version);
    if (target === '$LATEST') throw errors.latestWithRouting();
    await assertVersionExists(deps, scope, functionName, version);
  }
}

function aliasArn(scope: Scope, functionName: string, name: string): string {
  return functionArn(scope.region, scope.accountId, functionName, name);
}

// ---- operations ----

async function createAlias(deps: LambdaDeps, req: RestJsonRequest) {
  const body = jsonBody(req);
  const name = optionalString(body, 'Name');
  const check = new ConstraintCheck();
  checkAliasName(name, check);
  const input = readAliasInput(body, check);
  check.required(input.functionVersion, 'functionVersion');
  check.throwIfFailed();
  const aliasName = name ?? '';
  const target = input.functionVersion ?? '';
  const scope = scopeOf(req);
  const { name: functionName } = resolveFunctionRef(req.params.FunctionName ?? '', null, scope, 'CreateAlias');
  return deps.lock.run(functionLockKey(scope, functionName), async () => {
    // A missing function is reported like a missing version: AWS names the ARN the alias would point at.
    await assertVersionExists(deps, scope, functionName, target);
    if (input.weights) await checkRouting(deps, scope, functionName, target, input.weights);
    if (await readAlias(deps.db, scope, functionName, aliasName)) throw errors.aliasExists(aliasArn(scope, functionName, aliasName));
    const alias: AliasConfiguration = {
      AliasArn: aliasArn(scope, functionName, aliasName),
      Name: aliasName,
      FunctionVersion: target,
      Description: input.description ?? '',
      ...(input.weights ? { RoutingConfig: { AdditionalVersionWeights: input.weights } } : {}),
      RevisionId: randomUUID(),
    };
    await writeAlias(deps.db, scope, functionName, alias);
    return jsonResponse(201, alias);
  });
}

async function getAlias(deps: LambdaDeps, req: RestJsonRequest) {
  const name = pathAliasName(req);
  const { scope, name: functionName } = await resolveFunction(deps, req, 'GetAlias', null);
  const alias = await readAlias(deps.db, scope, functionName, name);
  if (!alias) throw errors.aliasNotFound(aliasArn(scope, functionName, name));
  return jsonResponse(200, alias);
}

async function updateAlias(deps: LambdaDeps, req: RestJsonRequest) {
  const body = jsonBody(req);
  const name = req.params.Name ?? '';
  const check = new ConstraintCheck();
  checkAliasName(name, check);
  const input = readAliasInput(body, check);
  check.throwIfFailed();
  const { scope, name: functionName } = await resolveFunction(deps, req, 'UpdateAlias', null);
  return deps.lock.run(functionLockKey(scope, functionName), async () => {
    const current = await readAlias(deps.db, scope, functionName, name);
    if (!current) throw errors.aliasNotFoundForUpdate(aliasArn(scope, functionName, name));
    if (input.revisionId !== undefined && input.revisionId !== current.RevisionId) throw errors.revisionMismatch('GetFunction/GetAlias');
    const target = input.functionVersion ?? current.FunctionVersion;
    if (input.functionVersion !== undefined) await assertVersionExists(deps, scope, functionName, target);
    const weights = input.weights === undefined ? current.RoutingConfig?.AdditionalVersionWeights : input.weights ?? undefined;
    if (weights) await checkRouting(deps, scope, functionName, target, weights);
    // AWS issues a new RevisionId even when nothing changed.
    const alias: AliasConfiguration = {
      AliasArn: current.AliasArn,
      Name: current.Name,
      FunctionVersion: target,
      Description: input.description ?? current.Description,
      ...(weights ? { RoutingConfig: { AdditionalVersionWeights: weights } } : {}),
      RevisionId: randomUUID(),
    };
    await writeAlias(deps.db, scope, functionName, alias);
    return jsonResponse(200, alias);
  });
}

async function deleteAlias(deps: LambdaDeps, req: RestJsonRequest) {
  const name = pathAliasName(req);
  const { scope, name: functionName } = await resolveFunction(deps, req, 'DeleteAlias', null);
  // Deleting an alias that does not exist succeeds, as in AWS.
  await deps.lock.run(functionLockKey(scope, functionName), async () => {
    await removeAlias(deps.db, scope, functionName, name);
    // Its event-invoke config went with it: an alias made again under the name starts without one.
    deps.functions.attachedChanged(scope, functionName);
  });
  return emptyResponse(204);
}

async function listAliases(deps: LambdaDeps, req: RestJsonRequest) {
  const functionVersion = req.query.get('FunctionVersion') ?? undefined;
  const check = new ConstraintCheck();
  check.length(functionVersion, 'functionVersion', 1, 1024).pattern(functionVersion, 'functionVersion', PATTERNS.version);
  check.throwIfFailed();
  const { scope, name } = await resolveFunction(deps, req, 'ListAliases', null);
  const aliases = (await listStoredAliases(deps.db, scope, name)).filter(
    (a) => functionVersion === undefined || a.FunctionVersion === functionVersion,
  );
  const { page, nextMarker } = paginate(req, aliases, (a) => a.Name);
  return jsonResponse(200, { Aliases: page, ...(nextMarker ? { NextMarker: nextMarker } : {}) });
}

function pathAliasName(req: RestJsonRequest): string {
  const name = req.params.Name ?? '';
  const check = new ConstraintCheck();
  checkAliasName(name, check);
  check.throwIfFailed();
  return name;
}
