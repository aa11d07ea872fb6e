import { cloudTrailKeys, type ManagementCall } from '../contracts/management-events.js';
import type { RequestContext, ServiceResponse } from '../contracts/request-context.js';
import { jsonRpcTarget } from './json-rpc.js';
import { QueryParams } from './query.js';

/**
 * The CloudTrail management event of an awsJson or query-protocol call, for services whose
 * CloudTrail names are their operation names. Each service says which of its operations are
 * management writes: reads are not sent to EventBridge, and data events (SendMessage, PutItem,
 * PutRecord, Publish, PutEvents …) reach it only through a trail, as on AWS.
 */
export interface ManagementCallSpec {
  /** `sqs.amazonaws.com`, `dynamodb.amazonaws.com` … */
  eventSource: string;
  isManagementWrite(operation: string): boolean;
}

/** CloudTrail's stand-in for a sensitive value. */
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
/** Members whose values CloudTrail never shows (secret keys, passwords, connection secrets). */
const SENSITIVE_MEMBER = /secret|password|apikeyvalue|privatekey/i;

function redacted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redacted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SENSITIVE_MEMBER.test(k) && typeof v === 'string' ? HIDDEN : redacted(v)]));
}

function jsonObject(body: Buffer | string | undefined): Record<string, unknown> | null {
  if (body === undefined || body.length === 0) return null;
  try {
    const parsed: unknown = JSON.parse(body.toString());
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Object.keys(parsed).length > 0 ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * An awsJson call: the `X-Amz-Target` operation, the request and the answer in CloudTrail's
 * lowerCamelCase. `request` reads the input when the body is not JSON (CBOR); asked only for writes.
 */
export function jsonManagementCall(spec: ManagementCallSpec, ctx: RequestContext, response: ServiceResponse, request?: () => Record<string, unknown>): ManagementCall | null {
  const { operation } = jsonRpcTarget(ctx.headers);
  if (!operation || !spec.isManagementWrite(operation)) return null;
  const input = request ? request() : jsonObject(ctx.body);
  const output = response.stream ? null : jsonObject(response.body);
  return {
    eventSource: spec.eventSource,
    eventName: operation,
    requestParameters: input ? (cloudTrailKeys(redacted(input)) as Record<string, unknown>) : null,
    responseElements: output ? (cloudTrailKeys(redacted(output)) as Record<string, unknown>) : null,
  };
}

/** A query-protocol call: `Action`, and the parameters as sent (flattened names, lowerCamelCase). */
export function queryManagementCall(spec: ManagementCallSpec, ctx: RequestContext): ManagementCall | null {
  const params = QueryParams.fromRequest(ctx, { formBodyOnly: true });
  const action = params.action;
  if (!action || !spec.isManagementWrite(action)) return null;
  const members = params.entries().filter(([k]) => k !== 'Action' && k !== 'Version');
  return {
    eventSource: spec.eventSource,
    eventName: action,
    requestParameters: members.length > 0 ? (cloudTrailKeys(redacted(Object.fromEntries(members))) as Record<string, unknown>) : null,
    responseElements: null,
  };
}

/** Writes named by their verb, less the data events the service lists. */
export function writesByVerb(verbs: RegExp, dataEvents: readonly string[] = []): (operation: string) => boolean {
  return (operation) => verbs.test(operation) && !dataEvents.includes(operation);
}
