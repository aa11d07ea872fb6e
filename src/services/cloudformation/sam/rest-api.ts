import { InvalidResourceError } from './errors.js';
import { s3Location } from './code-location.js';
import { logicalIdHash } from './logical-id-hash.js';
import { inheritedAttributes, ownAttributes } from './resource-attributes.js';
import { compact, isObject, ref, type CfnResource, type JsonObject, type RestApiDraft } from './template-model.js';
import type { ExpansionScope } from './expansion-scope.js';

export const IMPLICIT_REST_API_ID = 'ServerlessRestApi';
const IMPLICIT_STAGE = 'Prod';
const ANY_METHOD = 'x-amazon-apigateway-any-method';

/** A REST API being assembled: functions' Api events add paths to its swagger body. */

/**
 * AWS::Serverless::Api properties Lambkin does not translate (yet), refused by name rather than
 * dropped. The rest (Name, Description, StageName, Variables, BinaryMediaTypes, EndpointConfiguration,
 * Tags, TracingEnabled, DefinitionBody/DefinitionUri) are.
 */
const UNSUPPORTED = ['Auth', 'Cors', 'GatewayResponses', 'Models', 'Domain', 'CanarySetting', 'AccessLogSetting', 'MethodSettings', 'CacheClusterEnabled', 'CacheClusterSize', 'OpenApiVersion', 'MergeDefinitions', 'MinimumCompressionSize', 'AlwaysDeploy', 'ApiKeySourceType', 'Mode', 'FailOnWarnings', 'DisableExecuteApiEndpoint'];

function emptySwagger(): JsonObject {
  return { swagger: '2.0', info: { version: '1.0', title: ref('AWS::StackName') }, paths: {} };
}

function checkProperties(logicalId: string, properties: JsonObject): void {
  for (const name of UNSUPPORTED) {
    if (properties[name] !== undefined) throw new InvalidResourceError(logicalId, `Lambkin's SAM transform does not support '${name}' on AWS::Serverless::Api.`);
  }
}

/** Registers an AWS::Serverless::Api (after Globals); written out once every function's events are in. */
export function registerRestApi(scope: ExpansionScope, logicalId: string, resource: CfnResource): void {
  const properties = resource.Properties ?? {};
  checkProperties(logicalId, properties);
  if (properties.DefinitionUri !== undefined && properties.DefinitionBody !== undefined) {
    throw new InvalidResourceError(logicalId, "Specify either 'DefinitionUri' or 'DefinitionBody' property and not both.");
  }
  const managed = properties.DefinitionBody === undefined && properties.DefinitionUri === undefined;
  const body = managed ? emptySwagger() : isObject(properties.DefinitionBody) ? structuredClone(properties.DefinitionBody) : undefined;
  scope.restApis.set(logicalId, { logicalId, resource, properties, body, managed });
}

/** The implicit `ServerlessRestApi` (stage `Prod`) that Api events without RestApiId attach to, made on first use. */
export function implicitRestApi(scope: ExpansionScope): RestApiDraft {
  let draft = scope.restApis.get(IMPLICIT_REST_API_ID);
  if (!draft) {
    const globals = scope.globals.get('AWS::Serverless::Api') ?? {};
    const properties: JsonObject = { ...structuredClone(globals), StageName: IMPLICIT_STAGE };
    checkProperties(IMPLICIT_REST_API_ID, properties);
    draft = { logicalId: IMPLICIT_REST_API_ID, resource: { Type: 'AWS::Serverless::Api', Properties: properties }, properties, body: emptySwagger(), managed: true };
    scope.restApis.set(IMPLICIT_REST_API_ID, draft);
  }
  return draft;
}

/** Adds a Lambda proxy integration for path and method to a SAM-written body; an existing one stays, as in samtranslator. */
export function addRestRoute(draft: RestApiDraft, path: string, method: string, uri: unknown): void {
  if (!draft.managed || !draft.body) return;
  const paths = (draft.body.paths ??= {}) as JsonObject;
  const item = (paths[path] ??= {}) as JsonObject;
  const key = method.toLowerCase() === 'any' ? ANY_METHOD : method.toLowerCase();
  if (isObject(item[key]) && isObject((item[key] as JsonObject)['x-amazon-apigateway-integration'])) return;
  item[key] = { 'x-amazon-apigateway-integration': { httpMethod: 'POST', type: 'aws_proxy', uri }, responses: {} };
}

/** A stage name in a logical id: as is when alphanumeric, else samtranslator's hash of it. */
export function stageSuffix(stageName: unknown): string {
  return typeof stageName === 'string' && /^[A-Za-z0-9]+$/.test(stageName) ? stageName : logicalIdHash(stageName);
}

function endpointConfiguration(logicalId: string, value: unknown): JsonObject | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { Types: [value] };
  if (isObject(value) && typeof value.Type === 'string') return compact({ Types: [value.Type], VpcEndpointIds: value.VPCEndpointIds });
  throw new InvalidResourceError(logicalId, "Invalid value for 'EndpointConfiguration' property.");
}

/**
 * Writes every REST API draft as AWS::ApiGateway::RestApi (swagger `Body` or `BodyS3Location`),
 * an AWS::ApiGateway::Deployment whose logical id carries a hash of the body (a changed API gets a
 * new deployment, which is how CloudFormation redeploys it) and the AWS::ApiGateway::Stage on it.
 */
export function emitRestApis(scope: ExpansionScope): void {
  for (const draft of scope.restApis.values()) {
    const { logicalId, properties } = draft;
    const api: JsonObject = {};
    if (draft.body) {
      const binary = properties.BinaryMediaTypes;
      // The swagger extension takes media types with `/`; SAM users write `~1` (the JSON-pointer escape).
      if (Array.isArray(binary) && draft.managed) draft.body['x-amazon-apigateway-binary-media-types'] = binary.map((t) => (typeof t === 'string' ? t.replaceAll('~1', '/') : t));
      api.Body = draft.body;
    } else if (properties.DefinitionUri !== undefined) {
      const location = s3Location(properties.DefinitionUri, logicalId, 'DefinitionUri');
      api.BodyS3Location = compact({ Bucket: location.S3Bucket, Key: location.S3Key, Version: location.S3ObjectVersion });
    } else {
      throw new InvalidResourceError(logicalId, "'DefinitionUri' or 'DefinitionBody' are required properties of an 'AWS::Serverless::Api'.");
    }
    const endpoint = endpointConfiguration(logicalId, properties.EndpointConfiguration);
    Object.assign(api, compact({
      BinaryMediaTypes: properties.BinaryMediaTypes, Description: properties.Description, EndpointConfiguration: endpoint, Name: properties.Name,
      Parameters: endpoint ? { endpointConfigurationTypes: (endpoint.Types as unknown[])[0] } : undefined,
    }));
    scope.put(logicalId, { Type: 'AWS::ApiGateway::RestApi', Properties: api, ...ownAttributes(draft.resource) });

    // samtranslator hashes Python's str() of the body (dict order and u'' prefixes included); Lambkin
    // hashes its stable JSON: a different suffix, changing exactly when the API does (see the README).
    const digest = logicalIdHash(api.Body ?? api.BodyS3Location);
    const deploymentId = `${logicalId}Deployment${digest}`;
    const inherited = inheritedAttributes(draft.resource);
    scope.put(deploymentId, {
      Type: 'AWS::ApiGateway::Deployment',
      Properties: { Description: `RestApi deployment id: ${digest}`, RestApiId: ref(logicalId), StageName: 'Stage' },
      ...inherited,
    });
    const stageName = properties.StageName;
    if (stageName === undefined) throw new InvalidResourceError(logicalId, "Missing required property 'StageName'.");
    const tags = isObject(properties.Tags) ? Object.entries(properties.Tags).map(([Key, Value]) => ({ Key, Value })) : undefined;
    const suffix = stageSuffix(stageName);
    scope.put(suffix === stageName ? `${logicalId}${suffix}Stage` : `${logicalId}Stage${suffix}`, {
      Type: 'AWS::ApiGateway::Stage',
      Properties: compact({ DeploymentId: ref(deploymentId), RestApiId: ref(logicalId), StageName: stageName, Tags: tags, TracingEnabled: properties.TracingEnabled, Variables: properties.Variables }),
      ...inherited,
    });
  }
}
