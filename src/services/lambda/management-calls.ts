import { cloudTrailKeys, type ManagementCall } from '../../contracts/management-events.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import { HIDDEN } from '../../protocols/management-calls.js';

/**
 * Operations whose CloudTrail name has AWS's `v2` after the API version (CloudTrail's Lambda event
 * names: `UpdateFunctionCode20150331v2`, `AddPermission20150331v2`, `TagResource20170331v2`).
 */
const V2_NAMES = new Set(['UpdateFunctionCode', 'UpdateFunctionConfiguration', 'AddPermission', 'RemovePermission', 'TagResource', 'UntagResource']);

/** Reads and data calls (Invoke) are not management write events. */
function isWrite(operation: string): boolean {
  return !/^(Get|List|Invoke)/.test(operation);
}

function jsonBody(body: Buffer | string | undefined): Record<string, unknown> | null {
  if (body === undefined || body.length === 0) return null;
  try {
    const parsed: unknown = JSON.parse(body.toString());
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function redacted(request: Record<string, unknown>): Record<string, unknown> {
  const out = { ...request };
  const code = out.Code;
  if (code && typeof code === 'object' && 'ZipFile' in code) out.Code = { ...code, ZipFile: HIDDEN };
  if ('ZipFile' in out) out.ZipFile = HIDDEN;
  if (out.Environment && typeof out.Environment === 'object') out.Environment = HIDDEN;
  return out;
}

/**
 * The management event of a Lambda write call: CloudTrail's event name (the operation, the API
 * version of its path, `v2` for some), its path parameters and body as `requestParameters`, the
 * answer as `responseElements`.
 */
export function lambdaManagementCall(operation: string, params: Record<string, string>, ctx: RequestContext, response: ServiceResponse): ManagementCall | null {
  if (!isWrite(operation)) return null;
  const version = /^\/(\d{4})-(\d{2})-(\d{2})\//.exec(ctx.rawPath);
  if (!version) return null;
  const eventName = `${operation}${version[1]}${version[2]}${version[3]}${V2_NAMES.has(operation) ? 'v2' : ''}`;
  const request = { ...params, ...Object.fromEntries(ctx.query), ...(jsonBody(ctx.body) ?? {}) };
  const answer = jsonBody(response.body as Buffer | string | undefined);
  return {
    eventSource: 'lambda.amazonaws.com',
    eventName,
    requestParameters: cloudTrailKeys(redacted(request)) as Record<string, unknown>,
    responseElements: answer ? (cloudTrailKeys(redacted(answer)) as Record<string, unknown>) : null,
  };
}
