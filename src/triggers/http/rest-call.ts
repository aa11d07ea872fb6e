import { LAMBDA_INTEGRATION_URI } from '../../services/apigatewayv2/rest/integration-uri.js';
import type { MethodDoc, ResourceDoc, StageDoc } from '../../services/apigatewayv2/rest/model.js';
import type { FunctionRef } from '../../services/lambda/function-invoker.js';
import { FUNCTION_ARN } from './http-apis.js';
import type { IncomingHttpRequest } from './incoming.js';
import type { DeployedApi, RestApiRouting } from './rest-api-routing.js';

/** One request on its way through a REST API: what the authorizer, the integration and the event need. */
export interface RestCall {
  request: IncomingHttpRequest;
  routing: RestApiRouting;
  deployed: DeployedApi;
  stage: StageDoc;
  resource: ResourceDoc;
  method: MethodDoc;
  path: string;
  pathParameters: Record<string, string>;
  requestId: string;
  /** `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<VERB>/<path>`, what authorizers get as methodArn. */
  methodArn: string;
  /** The API key a usage plan let through (`x-api-key`, or the authorizer's usageIdentifierKey). */
  apiKey?: { id: string; value: string };
}

/** `ref` of the function an integration or authorizer URI names, or undefined. */
export function functionOfUri(uri: string | undefined): FunctionRef | undefined {
  const arn = uri ? LAMBDA_INTEGRATION_URI.exec(uri)?.[2] : undefined;
  const fn = arn ? FUNCTION_ARN.exec(arn) : null;
  return fn ? { scope: { region: fn[2]!, accountId: fn[3]! }, name: fn[4]!, qualifier: fn[5] ?? null } : undefined;
}

