import { InvalidResourceError } from './errors.js';
import { inheritedAttributes, ownAttributes } from './resource-attributes.js';
import { logicalIdHash } from './logical-id-hash.js';
import { s3Location } from './code-location.js';
import { compact, isIntrinsic, isObject, ref, type CfnResource, type HttpApiDraft, type JsonObject } from './template-model.js';

export type { HttpApiDraft } from './template-model.js';
import type { ExpansionScope } from './expansion-scope.js';

export const IMPLICIT_HTTP_API_ID = 'ServerlessHttpApi';
const DEFAULT_STAGE = '$default';
const ANY_METHOD = 'x-amazon-apigateway-any-method';
const TAG_NAME = 'httpapi:createdBy';

function emptyOpenApi(): JsonObject {
  return { openapi: '3.0.1', info: { version: '1.0', title: ref('AWS::StackName') }, paths: {} };
}

/** Registers an AWS::Serverless::HttpApi (after Globals); it is written out once every function's events are in. */
export function registerHttpApi(scope: ExpansionScope, logicalId: string, resource: CfnResource): void {
  const properties = resource.Properties ?? {};
  for (const unsupported of ['Auth', 'Domain']) {
    if (properties[unsupported] !== undefined) {
      throw new InvalidResourceError(logicalId, `Lambkin's SAM transform does not support '${unsupported}' on AWS::Serverless::HttpApi.`);
    }
  }
  if (properties.DefinitionUri !== undefined && properties.DefinitionBody !== undefined) {
    throw new InvalidResourceError(logicalId, "Specify either 'DefinitionUri' or 'DefinitionBody' property and not both.");
  }
  const body = properties.DefinitionUri !== undefined ? undefined : isObject(properties.DefinitionBody) ? structuredClone(properties.DefinitionBody) : undefined;
  scope.httpApis.set(logicalId, { logicalId, resource, properties, body, managed: properties.DefinitionBody === undefined && properties.DefinitionUri === undefined, routeConditions: new Map() });
}

/** The implicit `ServerlessHttpApi` that HttpApi events without ApiId attach to, made on first use. */
export function implicitHttpApi(scope: ExpansionScope): HttpApiDraft {
  let draft = scope.httpApis.get(IMPLICIT_HTTP_API_ID);
  if (!draft) {
    const globals = scope.globals.get('AWS::Serverless::HttpApi') ?? {};
    draft = {
      logicalId: IMPLICIT_HTTP_API_ID,
      resource: { Type: 'AWS::Serverless::HttpApi', Properties: globals },
      properties: structuredClone(globals),
      body: emptyOpenApi(),
      managed: true,
      routeConditions: new Map(),
    };
    scope.httpApis.set(IMPLICIT_HTTP_API_ID, draft);
  }
  return draft;
}

export function normalizeMethod(method: string): string {
  const lower = method.toLowerCase();
  return lower === 'any' ? ANY_METHOD : lower;
}

/** Adds a Lambda proxy route to a draft's body (first writer wins, as samtranslator keeps existing integrations). */
export function addRoute(
  draft: HttpApiDraft,
  path: string,
  method: string,
  uri: unknown,
  options: { timeoutInMillis?: unknown; payloadFormatVersion?: unknown; condition?: unknown },
): void {
  if (!draft.body) draft.body = emptyOpenApi();
  const condition = typeof options.condition === 'string' ? options.condition : null;
  const methods = draft.routeConditions.get(path) ?? new Map<string, string | null>();
  draft.routeConditions.set(path, methods);
  if (!methods.has(normalizeMethod(method))) methods.set(normalizeMethod(method), condition);
  const paths = (draft.body.paths ??= {}) as JsonObject;
  const item = (paths[path] ??= {}) as JsonObject;
  const normalized = normalizeMethod(method);
  const existing = item[normalized] as JsonObject | undefined;
  if (existing && isObject(existing['x-amazon-apigateway-integration'])) return;
  const operation: JsonObject = existing ?? {};
  // A conditional function's integration exists only when its condition holds.
  const integration: JsonObject = { type: 'aws_proxy', httpMethod: 'POST', payloadFormatVersion: '2.0', uri: condition ? conditional(condition, uri) : uri };
  if (options.timeoutInMillis) integration.timeoutInMillis = options.timeoutInMillis;
  if (options.payloadFormatVersion) integration.payloadFormatVersion = options.payloadFormatVersion;
  operation['x-amazon-apigateway-integration'] = integration;
  if (path === DEFAULT_STAGE && normalized === ANY_METHOD) operation.isDefaultRoute = true;
  operation.responses ??= {};
  const parameters = [...path.matchAll(/{(.*?)}/g)].map((match) => match[1]!);
  if (parameters.length > 0) {
    const list = (operation.parameters ??= []) as JsonObject[];
    for (const name of parameters) {
      const found = list.find((parameter) => parameter.name === name);
      if (found) Object.assign(found, { in: 'path', required: true });
      else list.push({ name, in: 'path', required: true });
    }
  }
  item[normalized] = condition ? conditional(condition, operation) : operation;
}

const conditional = (condition: string, value: unknown): JsonObject => ({ 'Fn::If': [condition, value, { Ref: 'AWS::NoValue' }] });

/** samtranslator's make_combined_condition: Fn::Or of the conditions, nested by tens. */
function combineConditions(scope: ExpansionScope, name: string, conditions: string[]): void {
  const sorted = [...conditions].sort();
  if (sorted.length <= 10) {
    scope.addCondition(name, { 'Fn::Or': sorted.map((condition) => ({ Condition: condition })) });
    return;
  }
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i += 10) {
    const part = `${name}${parts.length}`;
    const chunk = sorted.slice(i, i + 10);
    if (chunk.length === 1) parts.push(chunk[0]!);
    else {
      scope.addCondition(part, { 'Fn::Or': chunk.map((condition) => ({ Condition: condition })) });
      parts.push(part);
    }
  }
  scope.addCondition(name, { 'Fn::Or': parts.map((condition) => ({ Condition: condition })) });
}

/** The one condition all of `conditions` stand for (combined under `name` when they differ), or undefined when any is null. */
function sharedCondition(scope: ExpansionScope, name: string, conditions: Iterable<string | null>): string | undefined {
  const set = new Set(conditions);
  if (set.size === 0 || set.has(null)) return undefined;
  const list = [...set] as string[];
  if (list.length === 1) return list[0];
  combineConditions(scope, name, list);
  return name;
}

/** Paths whose every method belongs to conditional functions exist only under those conditions. */
function conditionPaths(scope: ExpansionScope, draft: HttpApiDraft): void {
  const paths = draft.body?.paths;
  if (!draft.managed || !isObject(paths)) return;
  for (const [path, methods] of draft.routeConditions) {
    if (!(path in paths)) continue;
    const pathId = path.replaceAll('/', 'SLASH').replaceAll('{', 'OB').replaceAll('}', 'CB');
    const condition = sharedCondition(scope, `${draft.logicalId}${pathId}PathCondition`, methods.values());
    if (condition) paths[path] = conditional(condition, paths[path]);
  }
}

const CORS_KEYS = ['AllowOrigins', 'AllowHeaders', 'AllowMethods', 'ExposeHeaders', 'MaxAge', 'AllowCredentials'];

function addCors(draft: HttpApiDraft, body: JsonObject): void {
  const cors = draft.properties.CorsConfiguration;
  if (!cors) return;
  let settings: JsonObject;
  if (cors === true) settings = { AllowOrigins: ['*'] };
  else if (isIntrinsic(cors)) settings = { AllowOrigins: cors };
  else if (isObject(cors)) {
    for (const key of Object.keys(cors)) {
      if (!CORS_KEYS.includes(key)) throw new InvalidResourceError(draft.logicalId, `Invalid key '${key}' for 'Cors' property.`);
    }
    settings = cors;
  } else throw new InvalidResourceError(draft.logicalId, "Invalid value for 'Cors' property.");
  if (settings.AllowCredentials === true && JSON.stringify(settings.AllowOrigins ?? ['*']) === '["*"]') {
    throw new InvalidResourceError(draft.logicalId, "Unable to add Cors configuration because 'AllowCredentials' can not be true when 'AllowOrigin' is \"'*'\" or not set.");
  }
  const out = (isObject(body['x-amazon-apigateway-cors']) ? body['x-amazon-apigateway-cors'] : {}) as JsonObject;
  for (const key of CORS_KEYS) {
    if (settings[key] !== undefined && settings[key] !== null) out[key[0]!.toLowerCase() + key.slice(1)] = settings[key];
  }
  body['x-amazon-apigateway-cors'] = out;
}

function stageLogicalId(apiId: string, stageName: unknown): string {
  const prefix = typeof stageName === 'string' ? stageName : '';
  if (/^[A-Za-z0-9]+$/.test(prefix)) return `${apiId}${prefix}Stage`;
  if (prefix === DEFAULT_STAGE) return `${apiId}ApiGatewayDefaultStage`;
  return `${apiId}Stage${logicalIdHash(prefix)}`;
}

/** Writes every HTTP API draft as AWS::ApiGatewayV2::Api (OpenAPI `Body` or `BodyS3Location`) and its Stage. */
export function emitHttpApis(scope: ExpansionScope): void {
  for (const draft of scope.httpApis.values()) {
    const { logicalId, properties } = draft;
    conditionPaths(scope, draft);
    if (logicalId === IMPLICIT_HTTP_API_ID) {
      // The implicit API exists only when one of the conditional functions using it does.
      const all = [...draft.routeConditions.values()].flatMap((methods) => [...methods.values()]);
      const condition = sharedCondition(scope, 'ServerlessHttpApiCondition', all);
      if (condition) draft.resource = { ...draft.resource, Condition: condition };
    }
    const api: JsonObject = {};
    const tags: JsonObject | undefined = draft.body ? { ...(isObject(properties.Tags) ? properties.Tags : {}), [TAG_NAME]: 'SAM' } : undefined;
    if (properties.Tags && !draft.body) throw new InvalidResourceError(logicalId, "Tags works only with inline OpenApi specified in the 'DefinitionBody' property.");
    if (draft.body) {
      const body = draft.body;
      addCors(draft, body);
      body.tags = Object.entries(tags!).map(([name, value]) => ({ name, 'x-amazon-apigateway-tag-value': value }));
      if (properties.Name !== undefined) (body.info as JsonObject).title = properties.Name;
      if (properties.Description) (body.info as JsonObject).description = properties.Description;
      if (properties.DisableExecuteApiEndpoint !== undefined) body['x-amazon-apigateway-endpoint-configuration'] = { disableExecuteApiEndpoint: properties.DisableExecuteApiEndpoint };
      if (properties.FailOnWarnings && isObject(body.paths) && DEFAULT_STAGE in body.paths) {
        const paths = body.paths as JsonObject;
        paths[`/${DEFAULT_STAGE}`] = paths[DEFAULT_STAGE];
        delete paths[DEFAULT_STAGE];
      }
      if (properties.FailOnWarnings) api.FailOnWarnings = properties.FailOnWarnings;
      api.Body = body;
    } else if (properties.DefinitionUri !== undefined) {
      if (properties.FailOnWarnings) api.FailOnWarnings = properties.FailOnWarnings;
      const location = s3Location(properties.DefinitionUri, logicalId, 'DefinitionUri');
      api.BodyS3Location = compact({ Bucket: location.S3Bucket, Key: location.S3Key, Version: location.S3ObjectVersion });
    } else {
      throw new InvalidResourceError(
        logicalId,
        "'DefinitionUri' or 'DefinitionBody' are required properties of an 'AWS::Serverless::HttpApi'. Add a value for one of these properties or add a 'HttpApi' event to an 'AWS::Serverless::Function'.",
      );
    }
    scope.put(logicalId, { Type: 'AWS::ApiGatewayV2::Api', Properties: api, ...ownAttributes(draft.resource) });
    const stageName = properties.StageName ?? DEFAULT_STAGE;
    scope.put(stageLogicalId(logicalId, stageName), {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: compact({
        ApiId: ref(logicalId),
        StageName: stageName,
        StageVariables: properties.StageVariables,
        AccessLogSettings: properties.AccessLogSettings,
        DefaultRouteSettings: properties.DefaultRouteSettings,
        Tags: tags,
        AutoDeploy: true,
        RouteSettings: properties.RouteSettings,
      }),
      ...inheritedAttributes(draft.resource),
    });
  }
}
