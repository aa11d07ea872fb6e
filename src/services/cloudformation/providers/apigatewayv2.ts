import {
  CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, DeleteApiCommand, DeleteIntegrationCommand, DeleteRouteCommand,
  DeleteStageCommand, UpdateRouteCommand,
} from '@aws-sdk/client-apigatewayv2';
import { bool, num, str, tagMap } from './coerce.js';
import { ignoreNotFound, type ProviderContext, type ResourceProvider } from './provider.js';

type OpenApiIntegration = { type?: string; uri?: unknown; payloadFormatVersion?: unknown; timeoutInMillis?: unknown };

/**
 * An OpenAPI `Body` (what the SAM transform writes for HTTP APIs) as routes and integrations:
 * Lambkin's API has no ImportApi, so each path and method with an `x-amazon-apigateway-integration`
 * becomes an AWS_PROXY integration and its route.
 */
async function importBody(ctx: ProviderContext, apiId: string, body: Record<string, unknown>): Promise<void> {
  const paths = (body.paths ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const integration = op['x-amazon-apigateway-integration'] as OpenApiIntegration | undefined;
      if (!integration) continue;
      const i = await ctx.clients.apigatewayv2.send(
        new CreateIntegrationCommand({
          ApiId: apiId,
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: String(integration.uri),
          PayloadFormatVersion: str(integration.payloadFormatVersion) ?? '2.0',
          TimeoutInMillis: num(integration.timeoutInMillis),
        }),
      );
      const verb = method === 'x-amazon-apigateway-any-method' ? 'ANY' : method.toUpperCase();
      const routeKey = path === '$default' ? '$default' : `${verb} ${path}`;
      await ctx.clients.apigatewayv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: routeKey, Target: `integrations/${i.IntegrationId}` }));
    }
  }
}

/** An HTTP API: its id is the physical id and `Ref`; `ApiEndpoint` as GetAtt. */
export const apigatewayv2Api: ResourceProvider = {
  replaceOn: ['*'],
  async create(ctx, props) {
    const body = props.Body as Record<string, unknown> | undefined;
    const info = (body?.info ?? {}) as Record<string, unknown>;
    const api = await ctx.clients.apigatewayv2.send(
      new CreateApiCommand({
        Name: str(props.Name) ?? str(info.title) ?? ctx.stackName,
        ProtocolType: (str(props.ProtocolType) ?? 'HTTP') as never,
        Description: str(props.Description),
        Target: str(props.Target),
        RouteKey: str(props.RouteKey),
        CorsConfiguration: props.CorsConfiguration as never,
        DisableExecuteApiEndpoint: bool(props.DisableExecuteApiEndpoint),
        Tags: tagMap(props.Tags ?? body?.tags, []),
      }),
    );
    const apiId = String(api.ApiId);
    if (body) await importBody(ctx, apiId, body);
    return { physicalId: apiId, attributes: { ApiId: apiId, ApiEndpoint: api.ApiEndpoint } };
  },
  async delete(ctx, apiId) {
    await ignoreNotFound(ctx.clients.apigatewayv2.send(new DeleteApiCommand({ ApiId: apiId })));
  },
};

async function createStage(ctx: ProviderContext, props: Record<string, unknown>): Promise<string> {
  const name = String(props.StageName);
  await ctx.clients.apigatewayv2.send(
    new CreateStageCommand({ ApiId: str(props.ApiId), StageName: name, AutoDeploy: bool(props.AutoDeploy), Description: str(props.Description), StageVariables: props.StageVariables as never }),
  );
  return name;
}

/** A stage: its name is the physical id. Lambkin has no UpdateStage, so an update recreates it under the same name. */
export const apigatewayv2Stage: ResourceProvider = {
  replaceOn: ['ApiId', 'StageName'],
  async create(ctx, props) {
    return { physicalId: await createStage(ctx, props) };
  },
  async update(ctx, name, props) {
    await ignoreNotFound(ctx.clients.apigatewayv2.send(new DeleteStageCommand({ ApiId: str(props.ApiId), StageName: name })));
    await createStage(ctx, props);
  },
  async delete(ctx, name, props) {
    await ignoreNotFound(ctx.clients.apigatewayv2.send(new DeleteStageCommand({ ApiId: str(props.ApiId), StageName: name })));
  },
};

/** An integration: its id is the physical id. */
export const apigatewayv2Integration: ResourceProvider = {
  replaceOn: ['*'],
  async create(ctx, props) {
    const i = await ctx.clients.apigatewayv2.send(
      new CreateIntegrationCommand({
        ApiId: str(props.ApiId),
        IntegrationType: str(props.IntegrationType) as never,
        IntegrationUri: str(props.IntegrationUri),
        PayloadFormatVersion: str(props.PayloadFormatVersion),
        TimeoutInMillis: num(props.TimeoutInMillis),
        Description: str(props.Description),
      }),
    );
    return { physicalId: String(i.IntegrationId), attributes: { IntegrationId: i.IntegrationId } };
  },
  async delete(ctx, id, props) {
    await ignoreNotFound(ctx.clients.apigatewayv2.send(new DeleteIntegrationCommand({ ApiId: str(props.ApiId), IntegrationId: id })));
  },
};

/** A route: its id is the physical id. */
export const apigatewayv2Route: ResourceProvider = {
  replaceOn: ['ApiId'],
  async create(ctx, props) {
    const r = await ctx.clients.apigatewayv2.send(
      new CreateRouteCommand({ ApiId: str(props.ApiId), RouteKey: str(props.RouteKey), Target: str(props.Target), AuthorizationType: str(props.AuthorizationType) as never }),
    );
    return { physicalId: String(r.RouteId), attributes: { RouteId: r.RouteId } };
  },
  async update(ctx, id, props) {
    await ctx.clients.apigatewayv2.send(new UpdateRouteCommand({ ApiId: str(props.ApiId), RouteId: id, RouteKey: str(props.RouteKey), Target: str(props.Target) }));
  },
  async delete(ctx, id, props) {
    await ignoreNotFound(ctx.clients.apigatewayv2.send(new DeleteRouteCommand({ ApiId: str(props.ApiId), RouteId: id })));
  },
};
