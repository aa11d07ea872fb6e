import type { MetricRecorder } from '../../contracts/metric-recorder.js';
import { functionRefOfArn } from '../../services/lambda/function-invoker.js';

/**
 * `AWS/Lambda` IteratorAge of one batch a stream mapping sent: how long before the send the stream
 * received the batch's last record, as AWS measures it. Per `FunctionName` and per
 * `FunctionName`+`Resource` (the function as the mapping names it: `name` or `name:qualifier`).
 */
export function recordIteratorAge(metrics: MetricRecorder | undefined, functionArn: string, ageMs: number): void {
  const ref = functionRefOfArn(functionArn);
  if (!metrics || !ref) return;
  const base = { accountId: ref.scope.accountId, region: ref.scope.region, namespace: 'AWS/Lambda', metricName: 'IteratorAge', value: Math.max(0, ageMs), unit: 'Milliseconds' };
  metrics.record({ ...base, dimensions: { FunctionName: ref.name } });
  metrics.record({ ...base, dimensions: { FunctionName: ref.name, Resource: ref.qualifier ? `${ref.name}:${ref.qualifier}` : ref.name } });
}
