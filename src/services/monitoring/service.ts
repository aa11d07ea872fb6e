import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import type { MonitoringOperation } from './deps.js';
import { monitoringManagementCall } from './management-calls.js';
import { errors } from './errors.js';
import { MAX_REQUEST_BYTES, SERVICE_TARGET } from './limits.js';
import { protocolOf, readRequest, writeError, writeResponse } from './wire.js';

/**
 * CloudWatch's query actions, by which an unsigned query request finds this service (not the tag
 * actions, which SNS shares).
 */
export const CLOUDWATCH_ACTIONS = new Set([
  'PutMetricData', 'ListMetrics', 'GetMetricStatistics', 'GetMetricData', 'PutMetricAlarm', 'DescribeAlarms',
  'DescribeAlarmsForMetric', 'DescribeAlarmHistory', 'SetAlarmState', 'DeleteAlarms', 'EnableAlarmActions',
  'DisableAlarmActions',
]);

/**
 * CloudWatch metrics and alarms (signing name `monitoring`) in each protocol its clients speak
 * (`wire.ts`); every answer, errors included, in the protocol of its request.
 */
export function createMonitoringService(operations: Record<string, MonitoringOperation>): Service {
  return {
    name: 'monitoring',
    signingName: 'monitoring',
    targetPrefixes: [SERVICE_TARGET],
    maxBodyBytes: MAX_REQUEST_BYTES,
    queryActions: CLOUDWATCH_ACTIONS,
    ownsPath: (_method, rawPath) => rawPath.startsWith(`/service/${SERVICE_TARGET}/`),
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const protocol = protocolOf(ctx.headers, ctx.rawPath);
      try {
        const { operation, input } = readRequest(ctx, protocol);
        const handler = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
        if (!handler) throw errors.invalidAction(operation);
        if (ctx.authorize) ctx.authorize(`cloudwatch:${operation}`, alarmResource(ctx, operation, input));
        return writeResponse(protocol, operation, ctx.requestId, await handler(input, ctx));
      } catch (err) {
        if (err instanceof AwsError) return writeError(protocol, err, ctx.requestId);
        throw err;
      }
    },
    serializeError(error: AwsError, headers?: IncomingHttpHeaders): ServiceResponse {
      return writeError(headers ? protocolOf(headers, '') : 'query', error);
    },
    accessDenied: (message: string) =>
      new AwsError('AccessDenied', 403, message, { headers: { 'x-amzn-query-error': 'AccessDenied;Sender' } }),
    tooLarge: (limit: number) => errors.invalidParameter(`Request size exceeded ${limit} bytes.`),
    managementCall: (ctx: RequestContext) => monitoringManagementCall(ctx),
  };
}

/** The alarm an alarm operation names, as its ARN; `*` for everything else (metrics have no ARN). */
function alarmResource(ctx: RequestContext, operation: string, input: Record<string, unknown>): string {
  if ((operation === 'PutMetricAlarm' || operation === 'SetAlarmState') && typeof input.AlarmName === 'string') {
    return `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${input.AlarmName}`;
  }
  return '*';
}
