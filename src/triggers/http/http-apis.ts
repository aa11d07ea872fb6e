import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newTraceId } from '../../engine/trace-id.js';
import type { IntegrationDoc, RouteDoc, StageDoc } from '../../services/apigatewayv2/model.js';
import type { ApigwScope, ApigwStore } from '../../services/apigatewayv2/store.js';
import type { FunctionInvoker } from '../../services/lambda/function-invoker.js';
import { textReply, writeReply, type HttpReply } from './http-reply.js';
import { compileRoute, matchRoute, type CompiledRoute } from './http-api-routes.js';
import { readIncoming, type IncomingHttpRequest } from './incoming.js';
import { invokeForDoor } from './invoke-function.js';
import { HTTP_API_MAX_REQUEST_BYTES } from './limits.js';
import { payloadV1Event, replyFromV1 } from './payload-v1.js';
import { payloadV2Event } from './payload-v2.js';
import { replyFromV2 } from './response-v2.js';

/** A function ARN, optionally qualified, optionally followed by `/invocations` (an integration URI's tail). */
export const FUNCTION_ARN = /(arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9-_$]+))?)(?:\/invocations)?$/;
const APIGW_PRINCIPAL = 'apigateway.amazonaws.com';

const replies = {
  notFound: () => textReply(404, 'application/json', '{"message":"Not Found"}'),
  internal: () => textReply(500, 'application/json', '{"message":"Internal Server Error"}'),
  tooLarge: () => textReply(413, 'application/json', '{"message":"Request Entity Too Large"}'),
};

interface ApiRouting {
  generation: number;
  scope: ApigwScope;
  routes: CompiledRoute[];
  integrations: Map<string, IntegrationDoc>;
  stages: Map<string, StageDoc>;
}

/** Serves HTTP APIs: stage → route → AWS_PROXY integration → payload 1.0 or 2.0. */
export class HttpApiDoor {
  private readonly routing = new Map<string, ApiRouting>();

  constructor(
    private readonly invoker: FunctionInvoker,
    private readonly store: ApigwStore,
  ) {}

  async serve(req: IncomingMessage, res: ServerResponse, target: { apiId: string; rawPath: string; rawQuery: string }): Promise<void> {
    const requestId = randomUUID();
    const request = await readIncoming(req, target.rawPath, target.rawQuery, HTTP_API_MAX_REQUEST_BYTES);
    const reply = request ? await this.answer(request, target.apiId, requestId) : replies.tooLarge();
    reply.headers.push(['apigw-requestid', requestId]);
    writeReply(res, reply);
  }

  private async answer(request: IncomingHttpRequest, apiId: string, requestId: string): Promise<HttpReply> {
    const routing = await this.routingFor(apiId);
    if (!routing) return replies.notFound();
    const { stage, path } = pickStage(routing, request.rawPath);
    if (!stage) return replies.notFound();
    const match = matchRoute(routing.routes, request.method, path);
    if (!match) return replies.notFound();
    const integrationId = match.route.target?.startsWith('integrations/') ? match.route.target.slice('integrations/'.length) : undefined;
    const integration = integrationId ? routing.integrations.get(integrationId) : undefined;
    const fn = integration ? FUNCTION_ARN.exec(integration.integrationUri) : null;
    if (!integration || !fn) return replies.internal();
    const fnScope = { region: fn[2]!, accountId: fn[3]! };
    const name = fn[4]!;
    const qualifier = fn[5] ?? null;
    const routePart = match.route.routeKey === '$default' ? '$default' : match.route.routeKey.replace(' ', '');
    const sourceArn = `arn:aws:execute-api:${routing.scope.region}:${routing.scope.accountId}:${apiId}/${stage.stageName}/${routePart}`;
    const ref = { scope: fnScope, name, qualifier };
    const allowed = await this.invoker.isAllowed(ref, {
      action: 'lambda:InvokeFunction', principalService: APIGW_PRINCIPAL, sourceArn, sourceAccount: routing.scope.accountId,
    });
    if (!allowed) return replies.internal();

    const traceId = newTraceId();
    request.headers.set('x-amzn-trace-id', [traceId.split(';')[0]!]);
    const forwarded = request.headers.get('x-forwarded-for');
    request.headers.set('x-forwarded-for', [forwarded ? `${forwarded.join(', ')}, ${request.sourceIp}` : request.sourceIp]);
    request.headers.set('x-forwarded-port', [String(request.localPort)]);
    request.headers.set('x-forwarded-proto', ['http']);
    const domainName = request.hostname.includes('.execute-api.') ? request.hostname : `${apiId}.execute-api.localhost`;
    const hasParams = Object.keys(match.pathParameters).length > 0;
    const v1 = integration.payloadFormatVersion === '1.0';
    const event = v1
      ? payloadV1Event(request, {
          accountId: routing.scope.accountId, apiId, domainName, requestId, routeKey: match.route.routeKey,
          resource: match.route.routeKey === '$default' ? '$default' : match.route.routeKey.split(' ')[1]!,
          stage: stage.stageName, fullPath: request.rawPath,
          pathParameters: hasParams ? match.pathParameters : null, stageVariables: stage.stageVariables ?? null,
        })
      : payloadV2Event(request, {
          accountId: routing.scope.accountId, apiId, domainName, domainPrefix: apiId, requestId, routeKey: match.route.routeKey, stage: stage.stageName,
          pathParameters: hasParams ? match.pathParameters : undefined, stageVariables: stage.stageVariables,
        });
    const outcome = await invokeForDoor(this.invoker, ref, Buffer.from(JSON.stringify(event)), requestId, traceId);
    if (outcome.kind !== 'answered' || outcome.functionError) return replies.internal();
    return (v1 ? replyFromV1(outcome.payload) : replyFromV2(outcome.payload)) ?? replies.internal();
  }

  private async routingFor(apiId: string): Promise<ApiRouting | undefined> {
    const cached = this.routing.get(apiId);
    if (cached && cached.generation === this.store.generation) return cached;
    const generation = this.store.generation;
    const scope = await this.store.scopeOfApi(apiId);
    if (!scope) {
      this.routing.delete(apiId);
      return undefined;
    }
    const routes = (await this.store.list<RouteDoc>(apiId, 'route')).map((r) => compileRoute(r.routeKey, r.target));
    const integrations = new Map((await this.store.list<IntegrationDoc>(apiId, 'integration')).map((i) => [i.integrationId, i]));
    const stages = new Map((await this.store.list<StageDoc>(apiId, 'stage')).map((s) => [s.stageName, s]));
    const routing = { generation, scope, routes, integrations, stages };
    this.routing.set(apiId, routing);
    return routing;
  }
}

/** A named, deployed stage named by the first path segment; else the `$default` stage with the whole path. */
function pickStage(routing: ApiRouting, rawPath: string): { stage: StageDoc | undefined; path: string } {
  const slash = rawPath.indexOf('/', 1);
  const first = slash > 0 ? rawPath.slice(1, slash) : rawPath.slice(1);
  const named = first && first !== '$default' ? routing.stages.get(first) : undefined;
  if (named && (named.autoDeploy || named.deploymentId)) return { stage: named, path: slash > 0 ? rawPath.slice(slash) : '/' };
  return { stage: routing.stages.get('$default'), path: rawPath };
}
