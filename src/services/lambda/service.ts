import { AwsError } from '../../contracts/aws-error.js';
import { lambdaAction, lambdaResource } from './iam-actions.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import { restJsonError, RestJsonRouter } from '../../protocols/rest-json.js';
import type { LambdaDeps } from './deps.js';
import { errors } from './errors.js';
import { LAMBDA_MAX_REQUEST_BYTES } from './limits.js';
import { lambdaManagementCall } from './management-calls.js';
import { lambdaRoutes } from './routes.js';

const LAMBDA_PATH = /^\/(2015-03-31|2014-11-13|2016-08-19|2017-03-31|2017-10-31|2018-10-31|2019-09-25|2019-09-30|2020-04-22|2020-06-30|2021-07-20|2021-10-31|2021-11-15|2024-08-31)\//;

type Matched = Exclude<ReturnType<RestJsonRouter['match']>, 'method-not-allowed' | null>;

export function createLambdaService(deps: LambdaDeps): Service {
  const router = new RestJsonRouter().add(lambdaRoutes(deps));
  // The route `handle` matched, for `managementCall` on the same request: matching again (a scan of
  // every route's pattern) cost every warm invoke a second match only to learn Invoke is no write.
  const matched = new WeakMap<RequestContext, Matched>();
  return {
    name: 'lambda',
    signingName: 'lambda',
    targetPrefixes: [],
    maxBodyBytes: LAMBDA_MAX_REQUEST_BYTES,
    ownsPath: (_method, rawPath) => LAMBDA_PATH.test(rawPath),
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const match = router.match(ctx.method, ctx.rawPath);
      if (!match || match === 'method-not-allowed') throw errors.unknownOperation();
      matched.set(ctx, match);
      ctx.authorize?.(lambdaAction(match.route.operation), lambdaResource(ctx, match.params));
      return match.route.handler({ ...ctx, params: match.params, operation: match.route.operation });
    },
    managementCall(ctx: RequestContext, response: ServiceResponse) {
      const match = matched.get(ctx);
      return match ? lambdaManagementCall(match.route.operation, match.params, ctx, response) : null;
    },
    serializeError: (error: AwsError) => restJsonError(error),
    accessDenied: (message: string) => new AwsError('AccessDeniedException', 403, message, { messageKey: 'Message' }),
    tooLarge(limit: number, method: string, rawPath: string) {
      const match = router.match(method, rawPath);
      // The message names the operation the path belongs to; Invoke is spelled InvokeFunction there.
      const operation = match && match !== 'method-not-allowed' ? wireOperationName(match.route.operation) : 'CreateFunction';
      return errors.requestTooLarge(limit, operation);
    },
  };
}

function wireOperationName(operation: string): string {
  return operation === 'Invoke' ? 'InvokeFunction' : operation;
}
