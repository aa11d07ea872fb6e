import type { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import { restJsonError, RestJsonRouter } from '../../protocols/rest-json.js';
import { apiRoutes } from './apis.js';
import type { ApigwDeps } from './deps.js';
import { errors } from './errors.js';
import { integrationRoutes } from './integrations.js';
import { routeRoutes } from './routes.js';
import { stageRoutes } from './stages.js';
import { ownsRestApiPath, restApiOperations } from './rest/routes.js';
import { apigatewayManagementCall } from './management-calls.js';

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * API Gateway, as one service because both APIs sign as `apigateway`: the apigatewayv2 subset that
 * configures HTTP APIs (`/v2/apis`) and the apigateway REST API operations (`/restapis`).
 */
export function createApigatewayV2Service(deps: ApigwDeps): Service {
  const router = new RestJsonRouter().add([...apiRoutes(deps), ...routeRoutes(deps), ...integrationRoutes(deps), ...stageRoutes(deps), ...restApiOperations(deps)]);
  return {
    name: 'apigateway',
    signingName: 'apigateway',
    targetPrefixes: [],
    maxBodyBytes: MAX_BODY_BYTES,
    ownsPath: (_method, rawPath) => rawPath.startsWith('/v2/apis') || ownsRestApiPath(rawPath),
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const match = router.match(ctx.method, ctx.rawPath);
      if (!match || match === 'method-not-allowed') throw errors.unknownOperation();
      return match.route.handler({ ...ctx, params: match.params, operation: match.route.operation });
    },
    serializeError: (error: AwsError) => restJsonError(error),
    tooLarge: () => errors.badRequest('Request body too large'),
    managementCall(ctx: RequestContext, response: ServiceResponse) {
      const match = router.match(ctx.method, ctx.rawPath);
      return match && match !== 'method-not-allowed' ? apigatewayManagementCall(match.route.operation, match.params, ctx, response) : null;
    },
  };
}
