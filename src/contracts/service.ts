import type { IncomingHttpHeaders } from 'node:http';
import type { AwsError } from './aws-error.js';
import type { ManagementCall } from './management-events.js';
import type { RequestContext, ServiceResponse } from './request-context.js';

/** One AWS-compatible API behind the edge. */
export interface Service {
  /** Name used in health output and logs. */
  name: string;
  /** The SigV4 credential-scope service name clients sign with. */
  signingName: string;
  /** `X-Amz-Target` prefixes this service answers (JSON protocols). */
  targetPrefixes: string[];
  /** Largest request body the edge reads for this service before answering 413. */
  maxBodyBytes: number;
  /**
   * When true the edge reads no body: SigV4 is verified over the headers with the payload hash the
   * caller declares (`x-amz-content-sha256`), and `ctx.bodyStream` carries the unread request; the
   * service checks the hash while it streams (S3 objects never sit whole in memory).
   */
  streamsBody?: boolean;
  /**
   * With `streamsBody`: browser-based POST forms reach the service unverified (`ctx.unauthenticated`),
   * and the service authenticates them from the form's own policy signature (S3's PostObject).
   */
  authenticatesPostForms?: boolean;
  /**
   * With `streamsBody`: the service authenticates every request itself and the edge verifies no
   * SigV4 (the container registry, whose clients send HTTP Basic credentials); `ctx.unauthenticated`
   * is set and `accountId`/`region` are empty.
   */
  authenticatesRequests?: boolean;
  /**
   * With `streamsBody` and `answersUnclaimedPaths`: unsigned requests no other service claims reach
   * the service unverified (`ctx.unauthenticated`) and it answers them as an anonymous caller (S3:
   * browsers' CORS preflights, public objects, bucket policies for everyone).
   */
  answersAnonymousRequests?: boolean;
  /**
   * With `streamsBody`: hosts whose every request is this service's, whatever its path, method or
   * signature, answered as to an anonymous caller (`ctx.unauthenticated`): S3's website endpoints.
   * Given the `Host` header as sent (port included); asked of every request before anything else
   * identifies a service, so it must be cheap.
   */
  servesHost?(host: string): boolean;
  /** Whether an unsigned request with this path belongs to the service. */
  ownsPath(method: string, rawPath: string): boolean;
  /** The query protocol's actions (`Action=`), by which an unsigned query request finds its service. */
  queryActions?: ReadonlySet<string>;
  /** Unsigned REST requests no other service claims are this one's (S3: any path names a bucket or key). */
  answersUnclaimedPaths?: boolean;
  handle(ctx: RequestContext): Promise<ServiceResponse>;
  /**
   * The management event (CloudTrail) a successful request makes, or null for reads, data calls
   * (Invoke, object writes) and requests it does not recognise. Asked by the edge after a 2xx answer.
   */
  managementCall?(ctx: RequestContext, response: ServiceResponse): ManagementCall | null;
  /**
   * Bytes for an error. `headers` are the request's when the edge has them: a service that speaks
   * two protocols (SQS: JSON and query) answers in the one the client used.
   */
  serializeError(error: AwsError, headers?: IncomingHttpHeaders): ServiceResponse;
  /**
   * The error a denied caller gets, in the service's words (`AccessDeniedException`, query
   * `AccessDenied`, SNS `AuthorizationError`, S3 `Access Denied`); the edge's JSON one when absent.
   */
  accessDenied?(message: string): AwsError;
  /** The 413 for a body over `maxBodyBytes`; AWS names the operation the path belongs to. */
  tooLarge(limit: number, method: string, rawPath: string): AwsError;
}
