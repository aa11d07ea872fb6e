import { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import { jsonRpcTarget, JsonRpcRouter, type JsonRpcDialect } from '../../protocols/json-rpc.js';
import type { EventsDeps } from './deps.js';
import { jsonManagementCall } from '../../protocols/management-calls.js';
import { EVENTS_MANAGEMENT_CALLS } from './management-calls.js';
import { EVENTS_MAX_REQUEST_BYTES } from './limits.js';
import { apiDestinationOperations } from './operations/api-destinations.js';
import { archiveOperations } from './operations/archives.js';
import { connectionOperations } from './operations/connections.js';
import { busOperations } from './operations/buses.js';
import { permissionOperations } from './operations/permissions.js';
import { putEventsOperations } from './operations/put-events.js';
import { ruleOperations } from './operations/rules.js';
import { tagOperations } from './operations/tags.js';
import { targetOperations } from './operations/targets.js';
import { testEventPatternOperations } from './operations/test-event-pattern.js';

/** EventBridge's awsJson: bare error codes, repeated in `x-amzn-ErrorType`. */
const JSON_DIALECT: JsonRpcDialect = { targetPrefix: 'AWSEvents', jsonVersion: '1.1', errorTypeHeader: true };

/** The EventBridge API (awsJson 1.1, `X-Amz-Target: AWSEvents.*`, signing name `events`). */
export function createEventsService(deps: EventsDeps & { onReplayStarted?: () => void }): Service {
  const router = new JsonRpcRouter(JSON_DIALECT, {
    ...busOperations(deps),
    ...ruleOperations(deps),
    ...targetOperations(deps),
    ...putEventsOperations(deps),
    ...testEventPatternOperations(),
    ...tagOperations(deps),
    ...archiveOperations(deps),
    ...permissionOperations(deps),
    ...connectionOperations(deps),
    ...apiDestinationOperations(deps),
  });
  return {
    name: 'events',
    signingName: 'events',
    targetPrefixes: [JSON_DIALECT.targetPrefix],
    maxBodyBytes: EVENTS_MAX_REQUEST_BYTES,
    ownsPath: () => false,
    handle(ctx: RequestContext): Promise<ServiceResponse> {
      if (ctx.authorize) {
        const { operation } = jsonRpcTarget(ctx.headers);
        ctx.authorize(`events:${operation}`, eventsResource(ctx, operation));
      }
      return router.handle(ctx);
    },
    accessDenied: (message: string) => new AwsError('AccessDeniedException', 400, message),
    serializeError: (error: AwsError) => router.serializeError(error),
    managementCall: (ctx: RequestContext, response: ServiceResponse) => jsonManagementCall(EVENTS_MANAGEMENT_CALLS, ctx, response),
    tooLarge: (limit: number) => new AwsError('ValidationException', 400, `Request must be smaller than ${limit} bytes.`, { type: null }),
  };
}

/** The rule or event bus a request names, as its ARN; `*` when it names neither (PutEvents names buses per entry). */
function eventsResource(ctx: RequestContext, operation: string): string {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(ctx.body.toString('utf8') || '{}');
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    return '*';
  }
  // Connections and API destinations are named by ARNs with a random suffix the request does not carry.
  if (/Connection|ApiDestination/.test(operation)) return '*';
  const busOperation = operation.endsWith('EventBus');
  const named = busOperation ? body.Name : body.EventBusName;
  const bus = typeof named === 'string' ? named : 'default';
  const busArn = bus.startsWith('arn:') ? bus : `arn:aws:events:${ctx.region}:${ctx.accountId}:event-bus/${bus}`;
  const rule = typeof body.Rule === 'string' ? body.Rule : typeof body.Name === 'string' && !busOperation ? body.Name : undefined;
  if (typeof body.ResourceARN === 'string') return body.ResourceARN;
  if (rule !== undefined) {
    const busName = busArn.slice(busArn.indexOf('event-bus/') + 'event-bus/'.length);
    return `arn:aws:events:${ctx.region}:${busArn.split(':')[4]}:rule/${busName === 'default' ? '' : `${busName}/`}${rule}`;
  }
  return typeof named === 'string' ? busArn : '*';
}
