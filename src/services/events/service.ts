import { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import { JsonRpcRouter, type JsonRpcDialect } from '../../protocols/json-rpc.js';
import type { EventsDeps } from './deps.js';
import { EVENTS_MAX_REQUEST_BYTES } from './limits.js';
import { busOperations } from './operations/buses.js';
import { putEventsOperations } from './operations/put-events.js';
import { ruleOperations } from './operations/rules.js';
import { tagOperations } from './operations/tags.js';
import { targetOperations } from './operations/targets.js';
import { testEventPatternOperations } from './operations/test-event-pattern.js';

/** EventBridge's awsJson: bare error codes, repeated in `x-amzn-ErrorType`. */
const JSON_DIALECT: JsonRpcDialect = { targetPrefix: 'AWSEvents', jsonVersion: '1.1', errorTypeHeader: true };

/** The EventBridge API (awsJson 1.1, `X-Amz-Target: AWSEvents.*`, signing name `events`). */
export function createEventsService(deps: EventsDeps): Service {
  const router = new JsonRpcRouter(JSON_DIALECT, {
    ...busOperations(deps),
    ...ruleOperations(deps),
    ...targetOperations(deps),
    ...putEventsOperations(deps),
    ...testEventPatternOperations(),
    ...tagOperations(deps),
  });
  return {
    name: 'events',
    signingName: 'events',
    targetPrefixes: [JSON_DIALECT.targetPrefix],
    maxBodyBytes: EVENTS_MAX_REQUEST_BYTES,
    ownsPath: () => false,
    handle: (ctx: RequestContext): Promise<ServiceResponse> => router.handle(ctx),
    serializeError: (error: AwsError) => router.serializeError(error),
    tooLarge: (limit: number) => new AwsError('ValidationException', 400, `Request must be smaller than ${limit} bytes.`, { type: null }),
  };
}
