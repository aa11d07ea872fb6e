import type { AwsError } from '../../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../../contracts/request-context.js';
import type { Service } from '../../../contracts/service.js';
import { restJsonError, RestJsonRouter } from '../../../protocols/rest-json.js';
import { schedulerErrors } from './errors.js';
import { groupRoutes } from './groups.js';
import { scheduleRoutes, type SchedulerDeps } from './schedules.js';

/** EventBridge Scheduler (`scheduler`, rest-json 2021-06-30): schedules and schedule groups. */
export function createSchedulerService(deps: SchedulerDeps): Service {
  const router = new RestJsonRouter().add([...scheduleRoutes(deps), ...groupRoutes(deps)]);
  return {
    name: 'scheduler',
    signingName: 'scheduler',
    targetPrefixes: [],
    maxBodyBytes: 1024 * 1024,
    ownsPath: (_method, rawPath) => rawPath.startsWith('/schedules') || rawPath.startsWith('/schedule-groups'),
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const match = router.match(ctx.method, ctx.rawPath);
      if (!match || match === 'method-not-allowed') throw schedulerErrors.unknownOperation();
      return match.route.handler({ ...ctx, params: match.params, operation: match.route.operation });
    },
    serializeError: (error: AwsError) => restJsonError(error),
    tooLarge: () => schedulerErrors.validation('Request body too large'),
  };
}
