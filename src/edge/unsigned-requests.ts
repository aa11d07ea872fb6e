import type { IncomingHttpHeaders } from 'node:http';
import { authErrors } from '../auth/auth-errors.js';
import type { AwsError } from '../contracts/aws-error.js';
import type { Service } from '../contracts/service.js';
import { headerValue } from '../protocols/header-value.js';

/** Form bodies larger than this are not searched for an `Action` (a query request is small). */
export const UNSIGNED_FORM_BYTES_MAX = 64 * 1024;

/** Whether an unsigned request's body may be a query-protocol form worth reading for its `Action`. */
export function mayBeQueryForm(method: string, headers: IncomingHttpHeaders): boolean {
  return method === 'POST' && (headerValue(headers['content-type']) ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/**
 * The service an unsigned request belongs to when neither a credential scope, a target nor a
 * path names one, and the 403 it answers (as AWS: the query services' `MissingAuthenticationToken`,
 * S3's `AccessDenied` for an anonymous request): a query `Action` picks the service that has it;
 * anything else without an Action is S3's, whose paths are buckets and keys.
 */
export function unsignedRequestOwner(services: Service[], action: string | null): { service: Service; error: AwsError } | null {
  if (action !== null) {
    const service = services.find((s) => s.queryActions?.has(action));
    return service ? { service, error: authErrors.missingQueryAuthentication() } : null;
  }
  const service = services.find((s) => s.answersUnclaimedPaths);
  return service ? { service, error: authErrors.missingAuthentication() } : null;
}

/** `Action` from the query string or a form body. */
export function queryActionOf(query: URLSearchParams, formBody: Buffer | null): string | null {
  return query.get('Action') ?? (formBody ? new URLSearchParams(formBody.toString('utf8')).get('Action') : null);
}

/**
 * Whether a request is a browser's CORS preflight: browsers send it without credentials, even to a
 * presigned URL whose query carries a signature made for another method.
 */
export function isCorsPreflight(method: string, headers: IncomingHttpHeaders): boolean {
  return method === 'OPTIONS' && headers.origin !== undefined && headers['access-control-request-method'] !== undefined;
}
