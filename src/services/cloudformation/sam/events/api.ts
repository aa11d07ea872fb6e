import { addRestRoute, implicitRestApi, stageSuffix } from '../rest-api.js';
import type { RestApiDraft } from '../template-model.js';
import { isObject, ref } from '../template-model.js';
import { add, fail, permission, type EventContext } from './event-context.js';

/** Api event properties Lambkin does not translate yet, refused by name. */
const UNSUPPORTED = ['Auth', 'RequestModel', 'RequestParameters', 'TimeoutInMillis', 'Cors'];

/**
 * Api (REST) events: a Lambda proxy path in the named AWS::Serverless::Api, or in the implicit
 * `ServerlessRestApi`, and a permission for apigateway.amazonaws.com on that method and path.
 */
export function expandApiEvent(event: EventContext): void {
  const p = event.properties;
  for (const name of UNSUPPORTED) if (p[name] !== undefined) fail(event, `Lambkin's SAM transform does not support '${name}' on Api events.`);
  if (event.inherited.Condition !== undefined) fail(event, "Lambkin's SAM transform does not expand Api events of a function with a Condition.");
  const path = p.Path;
  const method = p.Method;
  if (typeof path !== 'string' || typeof method !== 'string') fail(event, "Event is missing key 'Path' or 'Method'.");

  let draft: RestApiDraft | undefined;
  if (p.RestApiId === undefined) draft = implicitRestApi(event.scope);
  else {
    const apiId = isObject(p.RestApiId) && typeof p.RestApiId.Ref === 'string' ? p.RestApiId.Ref : undefined;
    draft = apiId ? event.scope.restApis.get(apiId) : undefined;
    if (!draft) fail(event, "RestApiId must be a valid reference to an 'AWS::Serverless::Api' resource in same template.");
  }

  const functionRef = event.target.functionName.Ref as string;
  const uriTarget = 'Ref' in event.target.arn ? `\${${functionRef}}` : `\${${functionRef}.Arn}`;
  addRestRoute(draft, path, method, { 'Fn::Sub': `arn:${event.partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/${uriTarget}/invocations` });

  // The source ARN: /<METHOD or *>/<path with {params} as *>, for any stage.
  const permissionMethod = method.toLowerCase() === 'any' ? '*' : method.toUpperCase();
  const permissionPath = path.replace(/{([a-zA-Z0-9._-]+|proxy\+)}/g, '*');
  const sourceArn = {
    'Fn::Sub': [`arn:${event.partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${__ApiId__}/\${__Stage__}/${permissionMethod}${permissionPath}`, { __ApiId__: ref(draft.logicalId), __Stage__: '*' }],
  };
  const [id, resource] = permission(event, 'apigateway.amazonaws.com', { SourceArn: sourceArn }, `${event.logicalId}Permission${stageSuffix(draft.properties.StageName)}`);
  add(event, id, resource);
}
