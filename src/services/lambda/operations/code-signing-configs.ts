import { randomBytes } from 'node:crypto';
import { AwsError } from '../../../contracts/aws-error.js';
import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import type { LambdaCodeSigningConfigsTable } from '../../../store/schema.js';
import { functionArn, resolveFunctionRef } from '../arns.js';
import type { LambdaDeps } from '../deps.js';
import { errors, lambdaError } from '../errors.js';
import { lambdaTimestamp, type Scope } from '../model.js';
import { jsonBody, paginate, scopeOf } from '../request.js';
import { ConstraintCheck } from '../validation.js';

/** The botocore model's patterns and limits (lambda 2015-03-31). */
const CONFIG_ARN_PATTERN = 'arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:\\d{12}:code-signing-config:csc-[a-z0-9]{17}';
const PROFILE_ARN_PATTERN = 'arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)';
const POLICIES = ['Warn', 'Enforce'] as const;

/**
 * Code signing configs, stored and returned as AWS does. Lambkin does not verify signatures:
 * `UntrustedArtifactOnDeployment` is kept and echoed, and code is deployed either way (README).
 */
export function codeSigningConfigRoutes(deps: LambdaDeps): RestJsonRoute[] {
  const configs = '/2020-04-22/code-signing-configs';
  const ofFunction = '/2020-06-30/functions/{FunctionName}/code-signing-config';
  return [
    { operation: 'CreateCodeSigningConfig', method: 'POST', path: configs, handler: (r) => createConfig(deps, r) },
    { operation: 'ListCodeSigningConfigs', method: 'GET', path: configs, handler: (r) => listConfigs(deps, r) },
    { operation: 'ListFunctionsByCodeSigningConfig', method: 'GET', path: `${configs}/{CodeSigningConfigArn}/functions`, handler: (r) => listFunctions(deps, r) },
    { operation: 'GetCodeSigningConfig', method: 'GET', path: `${configs}/{CodeSigningConfigArn}`, handler: (r) => getConfig(deps, r) },
    { operation: 'UpdateCodeSigningConfig', method: 'PUT', path: `${configs}/{CodeSigningConfigArn}`, handler: (r) => updateConfig(deps, r) },
    { operation: 'DeleteCodeSigningConfig', method: 'DELETE', path: `${configs}/{CodeSigningConfigArn}`, handler: (r) => deleteConfig(deps, r) },
    { operation: 'PutFunctionCodeSigningConfig', method: 'PUT', path: ofFunction, handler: (r) => putFunctionConfig(deps, r) },
    { operation: 'GetFunctionCodeSigningConfig', method: 'GET', path: ofFunction, handler: (r) => getFunctionConfig(deps, r) },
    { operation: 'DeleteFunctionCodeSigningConfig', method: 'DELETE', path: ofFunction, handler: (r) => deleteFunctionConfig(deps, r) },
  ];
}

type Row = LambdaCodeSigningConfigsTable;

function view(row: Row): Record<string, unknown> {
  return {
    CodeSigningConfigId: row.id,
    CodeSigningConfigArn: row.arn,
    Description: row.description,
    AllowedPublishers: JSON.parse(row.allowed_publishers) as unknown,
    CodeSigningPolicies: JSON.parse(row.policies) as unknown,
    LastModified: row.last_modified,
  };
}

/** As recorded: a config that is not there is a ResourceNotFoundException without `Type`. */
function configNotFound(arn: string): AwsError {
  return new AwsError('ResourceNotFoundException', 404, `The Lambda code signing configuration ${arn} can not be found.`, { messageKey: 'Message', type: null });
}

/** `csc-` and 17 lowercase letters and digits. */
function newConfigId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return 'csc-' + [...randomBytes(17)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Checks the members Create and Update share; absent ones stay undefined. */
function readConfigInput(body: Record<string, unknown>, check: ConstraintCheck): { publishers?: string[]; policy?: string; description?: string } {
  const out: { publishers?: string[]; policy?: string; description?: string } = {};
  const publishers = body.AllowedPublishers;
  if (publishers !== undefined && publishers !== null) {
    const arns = (publishers as { SigningProfileVersionArns?: unknown }).SigningProfileVersionArns;
    if (typeof publishers !== 'object' || Array.isArray(publishers)) throw errors.invalidJson('member AllowedPublishers must be an object');
    check.required(arns, 'allowedPublishers.signingProfileVersionArns');
    if (arns !== undefined && arns !== null) {
      if (!Array.isArray(arns) || arns.some((a) => typeof a !== 'string')) throw errors.invalidJson('member SigningProfileVersionArns must be a list of strings');
      if (arns.length < 1) check.fail(arns, 'allowedPublishers.signingProfileVersionArns', 'Member must have length greater than or equal to 1');
      if (arns.length > 20) check.fail(arns, 'allowedPublishers.signingProfileVersionArns', 'Member must have length less than or equal to 20');
      (arns as string[]).forEach((arn, i) => check.pattern(arn, `allowedPublishers.signingProfileVersionArns.${i + 1}.member`, PROFILE_ARN_PATTERN));
      out.publishers = arns as string[];
    }
  }
  const policies = body.CodeSigningPolicies;
  if (policies !== undefined && policies !== null) {
    if (typeof policies !== 'object' || Array.isArray(policies)) throw errors.invalidJson('member CodeSigningPolicies must be an object');
    const value = (policies as { UntrustedArtifactOnDeployment?: unknown }).UntrustedArtifactOnDeployment;
    if (value !== undefined && value !== null) {
      if (typeof value !== 'string') throw errors.invalidJson('member UntrustedArtifactOnDeployment must be a string');
      check.oneOf(value, 'codeSigningPolicies.untrustedArtifactOnDeployment', POLICIES);
      out.policy = value;
    }
  }
  const description = body.Description;
  if (description !== undefined && description !== null) {
    if (typeof description !== 'string') throw errors.invalidJson('member Description must be a string');
    check.length(description, 'description', 0, 256);
    out.description = description;
  }
  return out;
}

async function createConfig(deps: LambdaDeps, req: RestJsonRequest) {
  const body = jsonBody(req);
  const scope = scopeOf(req);
  const check = new ConstraintCheck().required(body.AllowedPublishers, 'allowedPublishers');
  const input = readConfigInput(body, check);
  check.throwIfFailed();
  const id = newConfigId();
  const row: Row = {
    arn: `arn:aws:lambda:${scope.region}:${scope.accountId}:code-signing-config:${id}`,
    account_id: scope.accountId,
    region: scope.region,
    id,
    description: input.description ?? '',
    allowed_publishers: JSON.stringify({ SigningProfileVersionArns: input.publishers ?? [] }),
    // AWS's default policy is Warn.
    policies: JSON.stringify({ UntrustedArtifactOnDeployment: input.policy ?? 'Warn' }),
    last_modified: lambdaTimestamp(deps.clock.now()),
  };
  await deps.db.insertInto('lambda_code_signing_configs').values(row).execute();
  return jsonResponse(201, { CodeSigningConfig: view(row) });
}

/** The config named by the path, in the caller's account and region; a malformed ARN is a ValidationException. */
async function configOf(deps: LambdaDeps, req: RestJsonRequest): Promise<Row> {
  const arn = req.params.CodeSigningConfigArn ?? '';
  new ConstraintCheck().length(arn, 'codeSigningConfigArn', 0, 200).pattern(arn, 'codeSigningConfigArn', CONFIG_ARN_PATTERN).throwIfFailed();
  const scope = scopeOf(req);
  const row = await deps.db
    .selectFrom('lambda_code_signing_configs')
    .selectAll()
    .where('arn', '=', arn)
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .executeTakeFirst();
  if (!row) throw configNotFound(arn);
  return row;
}

async function listConfigs(deps: LambdaDeps, req: RestJsonRequest) {
  const scope = scopeOf(req);
  const rows = await deps.db
    .selectFrom('lambda_code_signing_configs')
    .selectAll()
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .orderBy('arn')
    .execute();
  const { page, nextMarker } = paginate(req, rows, (r) => r.arn);
  return jsonResponse(200, { CodeSigningConfigs: page.map(view), ...(nextMarker ? { NextMarker: nextMarker } : {}) });
}

async function getConfig(deps: LambdaDeps, req: RestJsonRequest) {
  return jsonResponse(200, { CodeSigningConfig: view(await configOf(deps, req)) });
}

async function updateConfig(deps: LambdaDeps, req: RestJsonRequest) {
  const body = jsonBody(req);
  const row = await configOf(deps, req);
  const check = new ConstraintCheck();
  const input = readConfigInput(body, check);
  check.throwIfFailed();
  const next: Row = {
    ...row,
    description: input.description ?? row.description,
    allowed_publishers: input.publishers ? JSON.stringify({ SigningProfileVersionArns: input.publishers }) : row.allowed_publishers,
    policies: input.policy ? JSON.stringify({ UntrustedArtifactOnDeployment: input.policy }) : row.policies,
  };
  // As recorded, an update that changes nothing answers the config as it was.
  const changed = next.description !== row.description || next.allowed_publishers !== row.allowed_publishers || next.policies !== row.policies;
  if (changed) {
    next.last_modified = lambdaTimestamp(deps.clock.now());
    await deps.db
      .updateTable('lambda_code_signing_configs')
      .set({ description: next.description, allowed_publishers: next.allowed_publishers, policies: next.policies, last_modified: next.last_modified })
      .where('arn', '=', row.arn)
      .execute();
  }
  return jsonResponse(200, { CodeSigningConfig: view(next) });
}

async function deleteConfig(deps: LambdaDeps, req: RestJsonRequest) {
  const row = await configOf(deps, req);
  const user = await deps.db.selectFrom('lambda_function_code_signing').select('function_name').where('config_arn', '=', row.arn).executeTakeFirst();
  // AWS deletes a config only when no function uses it.
  if (user) throw lambdaError('ResourceConflictException', `The code signing configuration ${row.arn} cannot be deleted because it is used by one or more functions.`);
  await deps.db.deleteFrom('lambda_code_signing_configs').where('arn', '=', row.arn).execute();
  return emptyResponse(204);
}

async function listFunctions(deps: LambdaDeps, req: RestJsonRequest) {
  const row = await configOf(deps, req);
  const users = await deps.db
    .selectFrom('lambda_function_code_signing')
    .select(['account_id', 'region', 'function_name'])
    .where('config_arn', '=', row.arn)
    .orderBy('function_name')
    .execute();
  const arns = users.map((u) => functionArn(u.region, u.account_id, u.function_name));
  const { page, nextMarker } = paginate(req, arns, (a) => a);
  return jsonResponse(200, { FunctionArns: page, ...(nextMarker ? { NextMarker: nextMarker } : {}) });
}

/** The unqualified function the path names; AWS's not-found names its unqualified ARN. */
async function functionOf(deps: LambdaDeps, req: RestJsonRequest, action: string): Promise<{ scope: Scope; name: string }> {
  const scope = scopeOf(req);
  const ref = resolveFunctionRef(req.params.FunctionName ?? '', null, scope, action);
  const fn = await deps.functions.getFunction(scope, ref.name);
  if (!fn) throw errors.functionNotFound(functionArn(scope.region, scope.accountId, ref.name));
  return { scope, name: ref.name };
}

/**
 * The existing config a `CodeSigningConfigArn` member names (PutFunctionCodeSigningConfig, and
 * CreateFunction where `required` is false and an absent member gives undefined).
 */
export async function existingConfigArn(deps: LambdaDeps, scope: Scope, arn: unknown, required: boolean): Promise<string | undefined> {
  if (!required && (arn === undefined || arn === null)) return undefined;
  const check = new ConstraintCheck().required(arn, 'codeSigningConfigArn');
  if (arn !== undefined && arn !== null && typeof arn !== 'string') throw errors.invalidJson('member CodeSigningConfigArn must be a string');
  check.length(arn as string | undefined, 'codeSigningConfigArn', 0, 200).pattern(arn as string | undefined, 'codeSigningConfigArn', CONFIG_ARN_PATTERN).throwIfFailed();
  const config = await deps.db
    .selectFrom('lambda_code_signing_configs')
    .select('arn')
    .where('arn', '=', arn as string)
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .executeTakeFirst();
  if (!config) {
    throw lambdaError('CodeSigningConfigNotFoundException', `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${arn as string}.`);
  }
  return config.arn;
}

/** Records that the function uses the config (replacing any it used). */
export async function attachConfig(deps: LambdaDeps, scope: Scope, functionName: string, configArn: string): Promise<void> {
  await deps.db
    .insertInto('lambda_function_code_signing')
    .values({ account_id: scope.accountId, region: scope.region, function_name: functionName, config_arn: configArn })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'function_name']).doUpdateSet({ config_arn: configArn }))
    .execute();
}

async function putFunctionConfig(deps: LambdaDeps, req: RestJsonRequest) {
  const body = jsonBody(req);
  const scope = scopeOf(req);
  // Recorded: with both the config and the function missing, the config is what AWS names.
  const configArn = (await existingConfigArn(deps, scope, body.CodeSigningConfigArn, true)) as string;
  const { name } = await functionOf(deps, req, 'PutFunctionCodeSigningConfig');
  await attachConfig(deps, scope, name, configArn);
  return jsonResponse(200, { CodeSigningConfigArn: configArn, FunctionName: name });
}

async function getFunctionConfig(deps: LambdaDeps, req: RestJsonRequest) {
  const { scope, name } = await functionOf(deps, req, 'GetFunctionCodeSigningConfig');
  const row = await deps.db
    .selectFrom('lambda_function_code_signing')
    .select('config_arn')
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('function_name', '=', name)
    .executeTakeFirst();
  // Recorded: a function without a config answers an empty object.
  return jsonResponse(200, row ? { CodeSigningConfigArn: row.config_arn, FunctionName: name } : {});
}

async function deleteFunctionConfig(deps: LambdaDeps, req: RestJsonRequest) {
  const { scope, name } = await functionOf(deps, req, 'DeleteFunctionCodeSigningConfig');
  // Recorded: nothing to delete still answers 204.
  await deps.db
    .deleteFrom('lambda_function_code_signing')
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('function_name', '=', name)
    .execute();
  return emptyResponse(204);
}
