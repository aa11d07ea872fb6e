import { parse as parseYaml } from 'yaml';
import { restErrors } from './errors.js';
import { LAMBDA_INTEGRATION_URI } from './integration-uri.js';
import type { IntegrationDoc, MethodDoc } from './model.js';

/**
 * Reading a swagger 2.0 / OpenAPI 3 document into what a REST API holds: paths become resources,
 * operations methods with their `x-amazon-apigateway-integration` (AWS_PROXY, AWS and
 * HTTP_PROXY as the API serves them, MOCK), security schemes with
 * `x-amazon-apigateway-authorizer` Lambda authorizers. Pure: applying the plan is import-apply.ts's.
 */
export interface ImportedAuthorizer {
  name: string;
  type: 'TOKEN' | 'REQUEST';
  authorizerUri: string;
  identitySource?: string;
  identityValidationExpression?: string;
  authorizerResultTtlInSeconds: number;
}

/** A method before its authorizer has an id: `authorizerName` names one of the plan's authorizers. */
export type ImportedMethod = MethodDoc & { authorizerName?: string };

export interface ImportPlan {
  title?: string;
  description?: string;
  version?: string;
  binaryMediaTypes?: string[];
  /** Resource paths (`/`, `/a/{b}`) with their methods, by upper-case HTTP method (`ANY` included). */
  paths: Map<string, Record<string, ImportedMethod>>;
  authorizers: ImportedAuthorizer[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const OPERATION_KEYS: Readonly<Record<string, string>> = {
  get: 'GET', put: 'PUT', post: 'POST', delete: 'DELETE', patch: 'PATCH', options: 'OPTIONS', head: 'HEAD', 'x-amazon-apigateway-any-method': 'ANY',
};
const PATH_PART = /^([a-zA-Z0-9._:@-]+|\{[a-zA-Z0-9._-]+\+?\})$/;

/** The document from a request body: JSON or YAML, as ImportRestApi accepts both. */
export function parseOpenApiDocument(text: string): Json {
  let doc: unknown;
  try {
    doc = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
  } catch {
    throw restErrors.badRequest('Invalid OpenAPI input.');
  }
  if (!isObject(doc)) throw restErrors.badRequest('Invalid OpenAPI input.');
  return doc;
}

/** Every problem found, reported at once as AWS does ("Errors found during import:" and one tab-indented line each). */
export function planImport(doc: Json): ImportPlan {
  const problems: string[] = [];
  const swagger = doc.swagger === '2.0' || doc.swagger === 2;
  const openapi = typeof doc.openapi === 'string' && doc.openapi.startsWith('3.');
  if (!swagger && !openapi) throw restErrors.badRequest('Invalid OpenAPI input: the document has neither swagger: "2.0" nor openapi: "3.x"');
  const info = isObject(doc.info) ? doc.info : {};
  const plan: ImportPlan = { paths: new Map([['/', {}]]), authorizers: [] };
  if (typeof info.title === 'string') plan.title = info.title;
  if (typeof info.description === 'string') plan.description = info.description;
  if (typeof info.version === 'string') plan.version = info.version;
  const binary = doc['x-amazon-apigateway-binary-media-types'];
  if (Array.isArray(binary)) plan.binaryMediaTypes = binary.map(String);

  const schemes = swagger ? doc.securityDefinitions : isObject(doc.components) ? doc.components.securitySchemes : undefined;
  for (const [name, scheme] of Object.entries(isObject(schemes) ? schemes : {})) {
    const authorizer = isObject(scheme) ? scheme['x-amazon-apigateway-authorizer'] : undefined;
    if (!isObject(authorizer)) continue;
    const type = String(authorizer.type ?? '').toUpperCase();
    const uri = authorizer.authorizerUri;
    if (type !== 'TOKEN' && type !== 'REQUEST') {
      problems.push(`Unable to create authorizer '${name}': type ${String(authorizer.type)} is not supported by Lambkin (token or request Lambda authorizers are)`);
      continue;
    }
    if (typeof uri !== 'string' || !LAMBDA_INTEGRATION_URI.test(uri)) {
      problems.push(`Unable to create authorizer '${name}': Invalid Authorizer URI specified`);
      continue;
    }
    const ttl = authorizer.authorizerResultTtlInSeconds;
    const imported: ImportedAuthorizer = { name, type, authorizerUri: uri, authorizerResultTtlInSeconds: typeof ttl === 'number' ? ttl : 300 };
    // A token authorizer's header comes from the security scheme (`in: header`, `name`).
    const header = isObject(scheme) && scheme.in === 'header' && typeof scheme.name === 'string' ? `method.request.header.${scheme.name}` : undefined;
    const source = typeof authorizer.identitySource === 'string' ? authorizer.identitySource : header;
    if (source) imported.identitySource = source;
    if (typeof authorizer.identityValidationExpression === 'string') imported.identityValidationExpression = authorizer.identityValidationExpression;
    plan.authorizers.push(imported);
  }
  const defaultSecurity = doc.security;

  for (const [path, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    const parts = path.split('/').filter((p) => p !== '');
    if (!path.startsWith('/') || parts.some((p) => !PATH_PART.test(p))) {
      problems.push(`Unable to create resource at path '${path}': Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.`);
      continue;
    }
    if (parts.slice(0, -1).some((p) => p.endsWith('+}'))) {
      problems.push(`Unable to create resource at path '${path}': A greedy path variable must be the last part of the path`);
      continue;
    }
    // Every ancestor is a resource too, with or without methods.
    for (let i = 1; i <= parts.length; i++) {
      const prefix = `/${parts.slice(0, i).join('/')}`;
      if (!plan.paths.has(prefix)) plan.paths.set(prefix, {});
    }
    const methods = plan.paths.get(path === '/' ? '/' : `/${parts.join('/')}`)!;
    for (const [key, operation] of Object.entries(isObject(item) ? item : {})) {
      const httpMethod = OPERATION_KEYS[key.toLowerCase()];
      if (!httpMethod || !isObject(operation)) continue;
      const where = `Unable to put method '${httpMethod}' on resource at path '${path}'`;
      const method: ImportedMethod = { httpMethod, authorizationType: 'NONE', apiKeyRequired: false };
      if (typeof operation.operationId === 'string') method.operationName = operation.operationId;
      const security = operation.security ?? defaultSecurity;
      const names = Array.isArray(security) ? security.flatMap((s) => (isObject(s) ? Object.keys(s) : [])) : [];
      if (names.some((n) => n === 'api_key')) method.apiKeyRequired = true;
      const authorizerName = names.find((n) => plan.authorizers.some((a) => a.name === n));
      if (authorizerName) {
        method.authorizationType = 'CUSTOM';
        method.authorizerName = authorizerName;
      }
      const integration = operation['x-amazon-apigateway-integration'];
      if (isObject(integration)) {
        const problem = integrationOf(integration, method);
        if (problem) problems.push(`Unable to put integration on '${httpMethod}' for resource at path '${path}': ${problem}`);
      } else if (integration !== undefined) problems.push(`${where}: x-amazon-apigateway-integration must be an object`);
      methods[httpMethod] = method;
    }
  }
  if (problems.length > 0) throw restErrors.badRequest(`Errors found during import:\n\t${problems.join('\n\t')}`);
  return plan;
}

/** Fills the method's integration; returns the problem when Lambkin cannot serve it. */
function integrationOf(integration: Json, method: ImportedMethod): string | undefined {
  const type = String(integration.type ?? '').toUpperCase();
  if (!['AWS_PROXY', 'AWS', 'MOCK', 'HTTP_PROXY', 'HTTP'].includes(type)) return 'Invalid integration type specified. Valid options are HTTP,AWS,MOCK,HTTP_PROXY,AWS_PROXY';
  const timeout = typeof integration.timeoutInMillis === 'number' ? integration.timeoutInMillis : 29_000;
  if (!Number.isInteger(timeout) || timeout < 50 || timeout > 29_000) return 'Timeout should be between 50 ms and 29000 ms';
  const doc: IntegrationDoc = {
    type, passthroughBehavior: typeof integration.passthroughBehavior === 'string' ? integration.passthroughBehavior.toUpperCase() : 'WHEN_NO_MATCH',
    timeoutInMillis: timeout, cacheNamespace: '', cacheKeyParameters: [],
  };
  if (type !== 'MOCK') {
    const uri = integration.uri;
    if (type === 'HTTP_PROXY' || type === 'HTTP') {
      if (typeof uri !== 'string' || !/^https?:\/\/[^/\s]+/.test(uri)) return 'Invalid HTTP endpoint specified for URI';
    } else if (typeof uri !== 'string' || !LAMBDA_INTEGRATION_URI.test(uri)) {
      // AWS_PROXY and AWS integrations are served for Lambda functions only.
      return type === 'AWS_PROXY' ? 'Invalid ARN specified in the request' : 'Integration type AWS is served by Lambkin for Lambda functions only';
    }
    doc.uri = uri;
    doc.httpMethod = typeof integration.httpMethod === 'string' ? integration.httpMethod.toUpperCase() : 'POST';
  }
  if (isObject(integration.requestParameters)) doc.requestParameters = Object.fromEntries(Object.entries(integration.requestParameters).map(([k, v]) => [k, String(v)]));
  if (isObject(integration.requestTemplates)) doc.requestTemplates = Object.fromEntries(Object.entries(integration.requestTemplates).map(([k, v]) => [k, String(v)]));
  if (isObject(integration.responses)) {
    // `responses` is keyed by selection pattern; `default` is the one without.
    doc.integrationResponses = {};
    for (const [pattern, response] of Object.entries(integration.responses)) {
      if (!isObject(response) || response.statusCode === undefined) continue;
      const statusCode = String(response.statusCode);
      doc.integrationResponses[statusCode] = { statusCode, ...(pattern === 'default' ? {} : { selectionPattern: pattern }) };
      if (isObject(response.responseTemplates)) doc.integrationResponses[statusCode]!.responseTemplates = response.responseTemplates as Record<string, string>;
      if (isObject(response.responseParameters)) doc.integrationResponses[statusCode]!.responseParameters = response.responseParameters as Record<string, string>;
      method.methodResponses = { ...(method.methodResponses ?? {}), [statusCode]: method.methodResponses?.[statusCode] ?? { statusCode } };
    }
  }
  method.methodIntegration = doc;
  return undefined;
}
