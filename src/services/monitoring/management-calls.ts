import type { ManagementCall } from '../../contracts/management-events.js';
import type { RequestContext } from '../../contracts/request-context.js';
import { managementCallOf, writesByVerb, type ManagementCallSpec } from '../../protocols/management-calls.js';
import { operationOf, protocolOf, readRequest } from './wire.js';

/**
 * Alarm writes (PutMetricAlarm, DeleteAlarms, SetAlarmState, Enable/DisableAlarmActions …).
 * PutMetricData is a CloudTrail data event, as GetMetricData and ListMetrics are: no event.
 */
const SPEC: ManagementCallSpec = {
  eventSource: 'monitoring.amazonaws.com',
  isManagementWrite: writesByVerb(/^(Put|Delete|Set|Enable|Disable|Tag|Untag|Start|Stop)/, ['PutMetricData']),
};

/**
 * In whichever of CloudWatch's three protocols the client spoke (CBOR, JSON, query), the request as
 * its members; the operations recorded answer nothing worth showing (CloudTrail: null).
 */
export function monitoringManagementCall(ctx: RequestContext): ManagementCall | null {
  const protocol = protocolOf(ctx.headers, ctx.rawPath);
  // The operation first: PutMetricData, the busiest call, is not decoded a second time.
  if (!SPEC.isManagementWrite(operationOf(ctx, protocol))) return null;
  const { operation, input } = readRequest(ctx, protocol);
  return managementCallOf(SPEC, operation, input);
}
