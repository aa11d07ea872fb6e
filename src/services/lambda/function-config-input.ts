import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { Store } from '../../store/database.js';
import { decodeFolderCode } from '../../contracts/folder-code.js';
import { isSupportedDeadLetterTarget } from './destination-targets.js';
import { parseLayerVersionArn } from './layer-refs.js';
import { errors, lambdaError } from './errors.js';
import * as limits from './limits.js';
import type { FunctionConfiguration, Scope } from './model.js';
import { ACCEPTED_RUNTIMES, runtimeStatus } from './runtimes.js';
import { ConstraintCheck, PATTERNS } from './validation.js';

const RESERVED_ENV_KEYS = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

const LOG_LEVELS_APP = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const LOG_LEVELS_SYSTEM = ['DEBUG', 'INFO', 'WARN'];

/**
 * Validates the configuration members shared by CreateFunction and UpdateFunctionConfiguration and
 * returns them as a patch of the stored configuration. Model constraints (ValidationException) are
 * checked before semantic rules (InvalidParameterValueException), as AWS orders them.
 */
export async function readConfigInput(
  body: Record<string, unknown>,
  ctx: { db: Store; scope: Scope; nowMs: number; allowDeprecatedRuntimes: boolean; functionName: string; creating: boolean; deliverySinks?: DeliverySinks },
): Promise<Partial<FunctionConfiguration>> {
  const check = new ConstraintCheck();
  const patch: Partial<FunctionConfiguration> = {};

  const role = body.Role as string | undefined;
  if (ctx.creating) check.required(role, 'role');
  check.pattern(asString(role), 'role', PATTERNS.role);
  const handler = asString(body.Handler);
  check.length(handler, 'handler', 0, limits.HANDLER_MAX_CHARS).pattern(handler, 'handler', PATTERNS.handler);
  const description = asString(body.Description);
  check.length(description, 'description', 0, limits.DESCRIPTION_MAX_CHARS);
  const timeout = asNumber(body.Timeout);
  check.range(timeout, 'timeout', limits.TIMEOUT_SECONDS_MIN, limits.TIMEOUT_SECONDS_MAX);
  const memory = asNumber(body.MemorySize);
  check.range(memory, 'memorySize', limits.MEMORY_MB_MIN, limits.MEMORY_MB_MAX);
  const ephemeral = (body.EphemeralStorage as { Size?: number } | undefined)?.Size;
  check.range(asNumber(ephemeral), 'ephemeralStorage.size', limits.EPHEMERAL_STORAGE_MB_MIN, limits.EPHEMERAL_STORAGE_MB_MAX);
  const architectures = body.Architectures as unknown;
  if (architectures !== undefined) {
    if (!Array.isArray(architectures) || architectures.length > 1) {
      check.fail(architectures, 'architectures', 'Member must have length less than or equal to 1');
    } else if (architectures.some((a) => a !== 'x86_64' && a !== 'arm64')) {
      check.fail(architectures, 'architectures', 'Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]');
    }
  }
  const packageType = asString(body.PackageType);
  check.oneOf(packageType, 'packageType', ['Zip', 'Image']);
  const tracing = (body.TracingConfig as { Mode?: string } | undefined)?.Mode;
  check.oneOf(asString(tracing), 'tracingConfig.mode', ['Active', 'PassThrough']);
  const logging = body.LoggingConfig as { LogFormat?: string; ApplicationLogLevel?: string; SystemLogLevel?: string; LogGroup?: string } | undefined;
  if (logging) {
    check.oneOf(asString(logging.LogFormat), 'loggingConfig.logFormat', ['JSON', 'Text']);
    check.oneOf(asString(logging.ApplicationLogLevel), 'loggingConfig.applicationLogLevel', LOG_LEVELS_APP);
    check.oneOf(asString(logging.SystemLogLevel), 'loggingConfig.systemLogLevel', LOG_LEVELS_SYSTEM);
  }
  const snapStart = (body.SnapStart as { ApplyOn?: string } | undefined)?.ApplyOn;
  check.oneOf(asString(snapStart), 'snapStart.applyOn', ['PublishedVersions', 'None']);
  const env = (body.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
  if (env) for (const key of Object.keys(env)) check.pattern(key, 'environment.variables', PATTERNS.envKey);
  const layers = body.Layers as unknown;
  if (layers !== undefined && Array.isArray(layers)) {
    const bad = layers.some((l) => typeof l !== 'string' || !new RegExp(`^(?:${PATTERNS.layerVersionArn})$`).test(l));
    if (bad) {
      check.fail(layers, 'layers', `Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ${PATTERNS.layerVersionArn}, Member must not be null]`);
    }
  }
  check.throwIfFailed();

  const runtime = asString(body.Runtime);
  if (runtime !== undefined) {
    const status = runtimeStatus(runtime, ctx.nowMs, ctx.allowDeprecatedRuntimes);
    if (status === 'unknown') throw errors.runtimeUnknown(runtime, ACCEPTED_RUNTIMES);
    if (status === 'deprecated') throw errors.runtimeNoLongerSupported(runtime);
    patch.Runtime = runtime;
  }
  if (env) {
    const variables = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
    const reserved = Object.keys(variables).filter((k) => RESERVED_ENV_KEYS.has(k));
    if (reserved.length > 0) throw errors.envVarsReserved(reserved);
    const measured = JSON.stringify(variables);
    if (Buffer.byteLength(measured) > limits.ENV_VARS_MAX_BYTES) throw errors.envVarsTooLarge(measured);
    patch.Environment = { Variables: variables };
  } else if (body.Environment !== undefined) {
    patch.Environment = { Variables: {} };
  }
  if (Array.isArray(layers)) patch.Layers = await resolveLayers(ctx.db, ctx.scope, layers as string[]);
  if (role !== undefined) patch.Role = role;
  if (handler !== undefined) patch.Handler = handler;
  if (description !== undefined) patch.Description = description;
  if (timeout !== undefined) patch.Timeout = timeout;
  if (memory !== undefined) patch.MemorySize = memory;
  if (ephemeral !== undefined) patch.EphemeralStorage = { Size: ephemeral };
  if (Array.isArray(architectures)) patch.Architectures = architectures as string[];
  if (packageType !== undefined) patch.PackageType = packageType;
  if (tracing !== undefined) patch.TracingConfig = { Mode: tracing };
  if (snapStart !== undefined) patch.SnapStart = { ApplyOn: snapStart, OptimizationStatus: 'Off' };
  if (logging) {
    patch.LoggingConfig = {
      LogFormat: logging.LogFormat ?? 'Text',
      LogGroup: logging.LogGroup ?? `/aws/lambda/${ctx.functionName}`,
      ...(logging.ApplicationLogLevel ? { ApplicationLogLevel: logging.ApplicationLogLevel } : {}),
      ...(logging.SystemLogLevel ? { SystemLogLevel: logging.SystemLogLevel } : {}),
    };
    if (patch.LoggingConfig.LogFormat === 'JSON') {
      patch.LoggingConfig.ApplicationLogLevel ??= 'INFO';
      patch.LoggingConfig.SystemLogLevel ??= 'INFO';
    }
  }
  const dlq = body.DeadLetterConfig as { TargetArn?: string } | undefined;
  if (dlq) patch.DeadLetterConfig = { TargetArn: dlq.TargetArn ?? '' };
  // A DLQ Lambkin cannot deliver to would lose events silently: refuse it until its service runs here.
  if (dlq?.TargetArn && !isSupportedDeadLetterTarget(dlq.TargetArn, ctx.deliverySinks)) throw errors.deadLetterTargetInvalid(dlq.TargetArn);
  if (typeof body.KMSKeyArn === 'string') patch.KMSKeyArn = body.KMSKeyArn;
  const imageConfig = readImageConfig(body.ImageConfig);
  if (imageConfig) patch.ImageConfigResponse = { ImageConfig: imageConfig };
  const vpc = body.VpcConfig as { SubnetIds?: string[]; SecurityGroupIds?: string[] } | undefined;
  if (vpc) patch.VpcConfig = { SubnetIds: vpc.SubnetIds ?? [], SecurityGroupIds: vpc.SecurityGroupIds ?? [], VpcId: '' };
  return patch;
}

/** `ImageConfig` (EntryPoint, Command, WorkingDirectory) as the model constrains it; undefined when absent. */
function readImageConfig(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  const input = value as { EntryPoint?: unknown; Command?: unknown; WorkingDirectory?: unknown };
  const check = new ConstraintCheck();
  const out: Record<string, unknown> = {};
  for (const [member, field] of [['EntryPoint', 'imageConfig.entryPoint'], ['Command', 'imageConfig.command']] as const) {
    const list = input[member];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) check.fail(list, field, 'Member must not be null');
    else if (list.length > limits.IMAGE_CONFIG_LIST_MAX) check.fail(list, field, `Member must have length less than or equal to ${limits.IMAGE_CONFIG_LIST_MAX}`);
    else out[member] = list;
  }
  if (input.WorkingDirectory !== undefined) {
    const dir = asString(input.WorkingDirectory);
    check.length(dir, 'imageConfig.workingDirectory', 0, limits.IMAGE_CONFIG_WORKING_DIRECTORY_MAX_CHARS);
    if (dir !== undefined) out.WorkingDirectory = dir;
  }
  check.throwIfFailed();
  return out;
}

async function resolveLayers(db: Store, scope: Scope, arns: string[]): Promise<Array<{ Arn: string; CodeSize: number }>> {
  if (arns.length > limits.LAYERS_MAX) throw errors.tooManyLayers();
  const seen = new Map<string, string>();
  const resolved: Array<{ Arn: string; CodeSize: number }> = [];
  for (const arn of arns) {
    const ref = parseLayerVersionArn(arn);
    if (!ref) throw errors.layerVersionNotFound(arn);
    if (ref.region !== scope.region) throw errors.layerWrongRegion(scope.region);
    const prior = seen.get(ref.layerArn);
    if (prior) throw errors.duplicateLayer(prior, arn);
    seen.set(ref.layerArn, arn);
    const row = await db
      .selectFrom('lambda_layer_versions')
      .select(['data', 'code_sha256_hex'])
      .where('account_id', '=', ref.accountId)
      .where('region', '=', ref.region)
      .where('layer_name', '=', ref.name)
      .where('version', '=', ref.version)
      .executeTakeFirst();
    if (!row) throw errors.layerVersionNotFound(arn);
    // A folder is mounted as /opt itself: merging it with other layers would mean copying it.
    if (arns.length > 1 && decodeFolderCode(row.code_sha256_hex)) {
      throw lambdaError('InvalidParameterValueException', `Layer version ${arn} is a folder on the Lambkin host (hot reload), which can only be a function's only layer.`);
    }
    const data = JSON.parse(row.data) as { Content?: { CodeSize?: number } };
    resolved.push({ Arn: arn, CodeSize: data.Content?.CodeSize ?? 0 });
  }
  return resolved;
}

function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function asNumber(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
