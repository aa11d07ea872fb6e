import type { RequestContext } from './request-context.js';

/**
 * A write API call as CloudTrail records it (a management event): what a service says about one of
 * its successful requests. The edge hands it to EventBridge, which puts an
 * "AWS API Call via CloudTrail" event on the caller's default bus.
 */
export interface ManagementCall {
  /** `lambda.amazonaws.com`, `s3.amazonaws.com`. */
  eventSource: string;
  /** CloudTrail's name, which for Lambda carries the API version (`UpdateFunctionCode20150331v2`). */
  eventName: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
}

/** Where the edge sends management calls once answered; absent when the events are turned off. */
export type ManagementEventSink = (call: ManagementCall, ctx: RequestContext) => Promise<void>;

/** CloudTrail spells request and response fields in lowerCamelCase (`FunctionName` → `functionName`). */
export function cloudTrailKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloudTrailKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) out[key.charAt(0).toLowerCase() + key.slice(1)] = cloudTrailKeys(v);
  return out;
}
