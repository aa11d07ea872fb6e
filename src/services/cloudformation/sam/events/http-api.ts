import { addRoute, implicitHttpApi, normalizeMethod, type HttpApiDraft } from '../http-api.js';
import { isObject, ref, type JsonObject } from '../template-model.js';
import { add, fail, permission, type EventContext } from './event-context.js';

const ANY_METHOD = 'x-amazon-apigateway-any-method';

/**
 * HttpApi events: a route (Lambda proxy integration) in the named AWS::Serverless::HttpApi, or in
 * the implicit `ServerlessHttpApi`, and a permission for apigateway.amazonaws.com on that route.
 */
export function expandHttpApiEvent(event: EventContext): void {
  const p = event.properties;
  for (const unsupported of ['Auth', 'RouteSettings']) {
    if (p[unsupported] !== undefined) fail(event, `Lambkin's SAM transform does not support '${unsupported}' on HttpApi events.`);
  }
  let path = typeof p.Path === 'string' ? p.Path : '';
  let method = typeof p.Method === 'string' ? p.Method : '';
  if (!path && !method) {
    path = '$default';
    method = ANY_METHOD;
  }
  if (!path || !method) fail(event, "Event is missing key 'Path' or 'Method'.");

  let draft: HttpApiDraft | undefined;
  let apiRef: unknown;
  if (p.ApiId === undefined) {
    draft = implicitHttpApi(event.scope);
    apiRef = ref(draft.logicalId);
  } else {
    const apiId = isObject(p.ApiId) && typeof p.ApiId.Ref === 'string' ? p.ApiId.Ref : undefined;
    draft = apiId ? event.scope.httpApis.get(apiId) : undefined;
    if (!draft) fail(event, 'ApiId must be a valid reference to an \'AWS::Serverless::HttpApi\' resource in same template.');
    apiRef = p.ApiId;
  }

  const functionRef = event.target.functionName.Ref as string;
  const uriTarget = 'Ref' in event.target.arn ? `\${${functionRef}}` : `\${${functionRef}.Arn}`;
  const uri = { 'Fn::Sub': `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/${uriTarget}/invocations` };
  // A function already behind the API's default route needs no permission per route: the
  // default route's permission (/*) covers them (samtranslator checks before adding this route).
  const coveredByDefaultRoute = path !== '$default' && defaultRouteTargets(draft, functionRef);
  if (draft.body || draft.properties.DefinitionUri === undefined) {
    addRoute(draft, path, method, uri, { timeoutInMillis: p.TimeoutInMillis, payloadFormatVersion: p.PayloadFormatVersion, condition: event.inherited.Condition });
  }

  // The permission's source ARN: /<METHOD or *>/<path with {params} as *>, or /* for the default route.
  let permissionPath = path.replace(/^(.+)\/$/, '$1');
  if (permissionPath === '$default') permissionPath = '';
  permissionPath = permissionPath.replace(/{([a-zA-Z0-9._-]+|proxy\+)}/g, '*');
  const normalized = normalizeMethod(method);
  const permissionMethod = normalized === ANY_METHOD ? '*' : method.toUpperCase();
  let resourcePath = '${__ApiId__}/${__Stage__}';
  resourcePath += normalized === ANY_METHOD && permissionPath === '/$default' ? permissionPath : `/${permissionMethod}${permissionPath}`;
  const sourceArn: JsonObject = {
    'Fn::Sub': [`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:${resourcePath}`, { __ApiId__: apiRef, __Stage__: '*' }],
  };
  if (coveredByDefaultRoute) return;
  const [id, resource] = permission(event, 'apigateway.amazonaws.com', { SourceArn: sourceArn });
  add(event, id, resource);
}

/** Whether the draft's `$default` ANY route integrates `${<functionId>.Arn}` (an alias target never matches, as in samtranslator). */
function defaultRouteTargets(draft: HttpApiDraft, functionId: string): boolean {
  const paths = draft.body?.paths;
  const operation = isObject(paths) && isObject(paths.$default) ? paths.$default[ANY_METHOD] : undefined;
  const integration = isObject(operation) ? operation['x-amazon-apigateway-integration'] : undefined;
  const uri = isObject(integration) ? integration.uri : undefined;
  const text = isObject(uri) && typeof uri['Fn::Sub'] === 'string' ? uri['Fn::Sub'] : undefined;
  const match = text?.match(/([A-Za-z0-9]+\.Arn)/);
  return match !== null && match !== undefined && match[1] === `${functionId}.Arn`;
}
