import { SamTransformError } from './errors.js';
import { isIntrinsic, isObject, type JsonObject } from './template-model.js';

/** Properties each `Globals` section may set, as samtranslator accepts them. */
const GLOBAL_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  Api: ['Auth', 'Name', 'DefinitionUri', 'CacheClusterEnabled', 'CacheClusterSize', 'MergeDefinitions', 'Variables', 'EndpointConfiguration', 'MethodSettings', 'BinaryMediaTypes', 'MinimumCompressionSize', 'Cors', 'GatewayResponses', 'AccessLogSetting', 'CanarySetting', 'TracingEnabled', 'OpenApiVersion', 'Domain', 'AlwaysDeploy', 'PropagateTags', 'SecurityPolicy', 'EndpointAccessMode'],
  CapacityProvider: ['VpcConfig', 'OperatorRole', 'Tags', 'InstanceRequirements', 'ScalingConfig', 'KmsKeyArn', 'PropagateTags'],
  Function: ['Handler', 'Runtime', 'CodeUri', 'DeadLetterQueue', 'Description', 'MemorySize', 'Timeout', 'VpcConfig', 'Environment', 'Tags', 'PropagateTags', 'Tracing', 'KmsKeyArn', 'AutoPublishAlias', 'AutoPublishAliasAllProperties', 'Layers', 'DeploymentPreference', 'RolePath', 'PermissionsBoundary', 'ReservedConcurrentExecutions', 'ProvisionedConcurrencyConfig', 'AssumeRolePolicyDocument', 'EventInvokeConfig', 'FileSystemConfigs', 'CodeSigningConfigArn', 'Architectures', 'SnapStart', 'EphemeralStorage', 'FunctionUrlConfig', 'RuntimeManagementConfig', 'LoggingConfig', 'RecursiveLoop', 'SourceKMSKeyArn', 'TenancyConfig', 'DurableConfig', 'CapacityProviderConfig', 'FunctionScalingConfig', 'PublishToLatestPublished', 'VersionDeletionPolicy'],
  HttpApi: ['Auth', 'AccessLogSettings', 'StageVariables', 'Tags', 'CorsConfiguration', 'DefaultRouteSettings', 'Domain', 'RouteSettings', 'FailOnWarnings', 'PropagateTags'],
  LayerVersion: ['PublishLambdaVersion'],
  SimpleTable: ['SSESpecification'],
  StateMachine: ['PropagateTags'],
  WebSocketApi: ['AccessLogSettings', 'ApiKeySelectionExpression', 'DefaultRouteSettings', 'DisableExecuteApiEndpoint', 'DisableSchemaValidation', 'Domain', 'FailOnWarnings', 'IpAddressType', 'PropagateTags', 'RouteSelectionExpression', 'RouteSettings', 'StageVariables', 'Tags'],
};

/** Python's repr of a list of strings, which samtranslator's messages print. */
export const pythonList = (items: readonly string[]): string => `[${items.map((item) => `'${item}'`).join(', ')}]`;

function globalsError(reason: string): SamTransformError {
  return new SamTransformError([`'Globals' section is invalid. ${reason}`]);
}

/** The Globals section, checked, by resource type (`AWS::Serverless::Function` …). */
export function parseGlobals(section: unknown): Map<string, JsonObject> {
  const byType = new Map<string, JsonObject>();
  if (section === undefined) return byType;
  if (!isObject(section)) throw globalsError('It must be a non-empty dictionary');
  for (const [name, properties] of Object.entries(section)) {
    const supported = GLOBAL_PROPERTIES[name];
    if (!supported) {
      throw globalsError(`'${name}' is not supported. Must be one of the following values - ${pythonList(Object.keys(GLOBAL_PROPERTIES).sort())}`);
    }
    if (!isObject(properties)) throw globalsError('Value of ${section} must be a dictionary');
    for (const key of Object.keys(properties)) {
      if (!supported.includes(key)) {
        throw globalsError(`'${key}' is not a supported property of '${name}'. Must be one of the following values - ${pythonList(supported)}`);
      }
    }
    byType.set(`AWS::Serverless::${name}`, properties);
  }
  return byType;
}

type Token = 'primitive' | 'dict' | 'list';
const tokenOf = (value: unknown): Token =>
  Array.isArray(value) ? 'list' : isObject(value) && !isIntrinsic(value) ? 'dict' : 'primitive';

/**
 * Globals under a resource's own properties: the resource wins for values, maps merge key by key,
 * lists concatenate (globals first) without removing duplicates, intrinsics count as values.
 */
export function mergeGlobal(globalValue: unknown, localValue: unknown): unknown {
  const globalToken = tokenOf(globalValue);
  if (globalToken !== tokenOf(localValue) || globalToken === 'primitive') return localValue;
  if (globalToken === 'list') return [...(globalValue as unknown[]), ...(localValue as unknown[])];
  const merged: JsonObject = { ...(globalValue as JsonObject) };
  for (const [key, value] of Object.entries(localValue as JsonObject)) {
    merged[key] = key in merged ? mergeGlobal(merged[key], value) : value;
  }
  return merged;
}

/** The Globals that apply to one resource after its `IgnoreGlobals` attribute. */
export function globalsFor(logicalId: string, globals: JsonObject, ignore: unknown): JsonObject {
  if (ignore === undefined || ignore === null || ignore === '' || (Array.isArray(ignore) && ignore.length === 0)) return globals;
  if (ignore === '*') return {};
  if (Array.isArray(ignore)) {
    const kept = { ...globals };
    for (const key of ignore) {
      if (typeof key !== 'string' || !(key in kept)) {
        throw new SamTransformError([`Attribute 'IgnoreGlobals' on item '${String(key)}' is invalid. Resource ${logicalId} has invalid resource attribute 'IgnoreGlobals' on item '${String(key)}'.`]);
      }
      delete kept[key];
    }
    return kept;
  }
  throw new SamTransformError([`Attribute 'IgnoreGlobals' is invalid. Resource ${logicalId} has invalid resource attribute 'IgnoreGlobals'.`]);
}

