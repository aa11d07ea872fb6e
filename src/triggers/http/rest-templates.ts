import type { IntegrationDoc, IntegrationResponseDoc } from '../../services/apigatewayv2/rest/model.js';
import { METHOD_RESPONSE_HEADER } from '../../services/apigatewayv2/rest/response-parameters.js';
import { textReply, type HttpReply } from './http-reply.js';
import { firstHeader, queryPairs } from './incoming.js';
import { jsonPath, renderTemplate, type TemplateInput } from './mapping-template.js';
import type { RestCall } from './rest-call.js';
import { restReplies } from './rest-api-replies.js';

/** What templates of this call read; `body` is the request's, or the integration's answer for response templates. */
export function templateInputOf(call: RestCall, body: string, authorizer: Record<string, unknown> | null): TemplateInput {
  const { request, stage, resource, routing } = call;
  const header: Record<string, string> = {};
  for (const [name, values] of request.headers) header[name] = values[0] ?? '';
  const querystring: Record<string, string> = {};
  for (const [k, v] of queryPairs(request.rawQuery, true)) if (querystring[k] === undefined) querystring[k] = v;
  return {
    context: {
      requestId: call.requestId, extendedRequestId: call.requestId, stage: stage.stageName, httpMethod: request.method, resourcePath: resource.path,
      resourceId: resource.id, apiId: routing.api.id, accountId: routing.scope.accountId, path: request.rawPath,
      domainName: request.hostname.includes('.execute-api.') ? request.hostname : `${routing.api.id}.execute-api.localhost`,
      protocol: 'HTTP/1.1', requestTimeEpoch: request.receivedAt,
      identity: { sourceIp: request.sourceIp, userAgent: firstHeader(request, 'user-agent') ?? '', apiKey: call.apiKey?.value ?? firstHeader(request, 'x-api-key') ?? '', apiKeyId: call.apiKey?.id ?? '' },
      authorizer: authorizer ?? {},
    },
    stageVariables: stage.variables ?? {},
    params: { path: { ...call.pathParameters }, querystring, header },
    body,
  };
}

export type RequestMapping = { payload: string } | { reply: HttpReply };

/**
 * The integration request's payload: the template for the request's content type (application/json
 * when it has none), or the body passed through as passthroughBehavior allows; otherwise 415.
 */
export function mapRequest(call: RestCall, integration: IntegrationDoc, authorizer: Record<string, unknown> | null): RequestMapping {
  const contentType = firstHeader(call.request, 'content-type')?.split(';')[0]?.trim().toLowerCase() || 'application/json';
  const templates = integration.requestTemplates ?? {};
  const template = templates[contentType];
  const body = call.request.body.toString('utf8');
  if (template === undefined) {
    const behavior = integration.passthroughBehavior;
    const passes = behavior === 'WHEN_NO_MATCH' || (behavior === 'WHEN_NO_TEMPLATES' && Object.keys(templates).length === 0);
    return passes ? { payload: body } : { reply: restReplies.unsupportedMediaType() };
  }
  try {
    return { payload: renderTemplate(template, templateInputOf(call, body, authorizer)) };
  } catch {
    return { reply: restReplies.internal() };
  }
}

/**
 * The integration response for `selector` (a MOCK's status code, a Lambda error's errorMessage): the
 * one whose selectionPattern matches it whole, else the default one (no pattern). A successful
 * Lambda answer (selector undefined) always takes the default one.
 */
export function selectResponse(integration: IntegrationDoc, selector: string | undefined): IntegrationResponseDoc | undefined {
  const responses = Object.values(integration.integrationResponses ?? {});
  const matched = selector === undefined ? undefined : responses.find((r) => r.selectionPattern && matches(r.selectionPattern, selector));
  return matched ?? responses.find((r) => !r.selectionPattern);
}

function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}

/** Reads `path` (`a.b.c`) in a template input object; undefined when any step is missing. */
function valueAt(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const part of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

const headerText = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

/** One responseParameters source's value for this answer (sources as PutIntegrationResponse accepts them). */
function responseParameterValue(source: string, input: TemplateInput, answer: string, answerHeaders: Headers | undefined): string | undefined {
  const literal = /^'(.*)'$/s.exec(source)?.[1];
  if (literal !== undefined) return literal;
  if (source === 'integration.response.body') return answer;
  if (source.startsWith('integration.response.body.')) return headerText(jsonPath(answer.trim() ? JSON.parse(answer) : {}, `$${source.slice('integration.response.body'.length)}`));
  const header = /^integration\.response\.(?:header|multivalueheader)\.(.+)$/.exec(source);
  // A header sent several times reads as its values joined with ", " (both the single- and multi-value forms).
  if (header) return answerHeaders?.get(header[1]!) ?? undefined;
  if (source.startsWith('context.')) return headerText(valueAt(input.context, source.slice('context.'.length)));
  if (source.startsWith('stageVariables.')) return input.stageVariables[source.slice('stageVariables.'.length)];
  return undefined;
}

/**
 * The method response from an integration response: its status, headers from responseParameters
 * (`'literal'`, `integration.response.body[.path]`, `integration.response.header.X` of an HTTP
 * backend's answer, `context.X`, `stageVariables.X`), and the body its template renders from the
 * integration's answer (or that answer itself when it has no template).
 */
export function mapResponse(call: RestCall, chosen: IntegrationResponseDoc, answer: string, authorizer: Record<string, unknown> | null, answerHeaders?: Headers): HttpReply {
  const input = templateInputOf(call, answer, authorizer);
  const headers: Array<[string, string]> = [];
  try {
    for (const [name, source] of Object.entries(chosen.responseParameters ?? {})) {
      const header = METHOD_RESPONSE_HEADER.exec(name)?.[1];
      const value = header ? responseParameterValue(source, input, answer, answerHeaders) : undefined;
      if (header && value !== undefined) headers.push([header, value]);
    }
    const templates = chosen.responseTemplates ?? {};
    const [type, template] = templates['application/json'] !== undefined
      ? ['application/json', templates['application/json']]
      : (Object.entries(templates)[0] ?? ['application/json', undefined]);
    const body = template === undefined ? answer : renderTemplate(template, input);
    if (!headers.some(([n]) => n.toLowerCase() === 'content-type')) headers.unshift(['content-type', type]);
    return { ...textReply(Number(chosen.statusCode), type, body), headers };
  } catch {
    return restReplies.internal();
  }
}
