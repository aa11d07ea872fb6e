import type { Clock } from '../../../clock.js';
import type { Store } from '../../../store/database.js';
import { parseSuffixedArn, type Scope } from '../arns.js';
import { API_DESTINATION_TIMEOUT_MS } from '../limits.js';
import type { AuthParameters, AuthorizationType, ConnectionParameter } from '../connections/auth-parameters.js';
import { moveConnection, tokenKey } from '../connections/authorize.js';
import { OAuthTokenError, type OAuthTokens } from '../connections/oauth-tokens.js';
import { findApiDestination } from '../tables/api-destinations.js';
import { findConnection, type ConnectionRow } from '../tables/connections.js';
import type { ResolvedHttpParameters } from './http-parameters.js';
import type { InvocationRateLimiter } from './rate-limiter.js';

/** A failed invocation: `retryable` ones follow the target's RetryPolicy, others go to the DLQ at once. */
export class ApiDestinationFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Over InvocationRateLimitPerSecond: send again after `waitMs`, not counted as an attempt. */
export class InvocationRateLimited extends Error {
  constructor(readonly waitMs: number) {
    super(`invocation rate limit reached; next in ${waitMs} ms`);
  }
}

/** Statuses EventBridge retries (its documentation); every other non-2xx is final. */
const RETRYABLE_STATUSES = new Set([401, 407, 409, 429]);
const NO_BODY_METHODS = new Set(['GET', 'HEAD']);

function pairs(list: ConnectionParameter[] | undefined): Array<[string, string]> {
  return (list ?? []).filter((p) => p.Key !== undefined).map((p) => [p.Key!, p.Value ?? '']);
}

/** The endpoint with each `*` replaced, in order, by a path parameter value (URL-encoded). */
function endpointUrl(endpoint: string, pathValues: string[]): string {
  let i = 0;
  return endpoint.replace(/\*/g, () => encodeURIComponent(pathValues[i++] ?? ''));
}

/** Connection body parameters join a JSON object payload; other payloads are sent as they are. */
function requestBody(payload: string, bodyParameters: ConnectionParameter[] | undefined): string {
  const extra = pairs(bodyParameters);
  if (extra.length === 0) return payload;
  try {
    const parsed: unknown = JSON.parse(payload);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return JSON.stringify({ ...parsed, ...Object.fromEntries(extra) });
  } catch {
    // Not JSON: sent unchanged.
  }
  return payload;
}

/**
 * Sends one event to an API destination: the destination's endpoint and method, the target's
 * HttpParameters, the connection's invocation parameters and authorization, EventBridge's fixed
 * headers, a 5-second timeout, and the connection state changes AWS makes on refusals.
 */
export class ApiDestinationInvoker {
  constructor(
    private readonly deps: { db: Store; clock: Clock; tokens: OAuthTokens; limiter: InvocationRateLimiter },
  ) {}

  async invoke(destinationArn: string, payload: string, http: ResolvedHttpParameters | undefined): Promise<void> {
    const parsed = parseSuffixedArn(destinationArn, 'api-destination');
    if (!parsed) throw new ApiDestinationFailure('RESOURCE_NOT_FOUND', `${destinationArn} is not an API destination ARN`, false);
    const scope: Scope = { accountId: parsed.accountId, region: parsed.region };
    const destination = await findApiDestination(this.deps.db, scope, parsed.name);
    if (!destination || destination.arn_suffix !== parsed.suffix) throw new ApiDestinationFailure('RESOURCE_NOT_FOUND', `API destination ${destinationArn} does not exist`, false);
    const connection = await findConnection(this.deps.db, scope, destination.connection_name);
    if (!connection) throw new ApiDestinationFailure('RESOURCE_NOT_FOUND', `Connection ${destination.connection_name} of ${destinationArn} does not exist`, false);
    if (connection.state === 'DEAUTHORIZED') throw new ApiDestinationFailure('CONNECTION_DEAUTHORIZED', `Connection ${connection.name} is deauthorized${connection.state_reason ? `: ${connection.state_reason}` : ''}`, false);

    const waitMs = this.deps.limiter.take(destinationArn, destination.rate_limit_per_second);
    if (waitMs > 0) throw new InvocationRateLimited(waitMs);

    const auth = JSON.parse(connection.auth_parameters) as AuthParameters;
    const invocation = auth.InvocationHttpParameters;
    const url = new URL(endpointUrl(destination.endpoint, http?.path ?? []));
    // Connection parameters win over the target's, as AWS documents.
    for (const [k, v] of Object.entries(http?.query ?? {})) url.searchParams.set(k, v);
    for (const [k, v] of pairs(invocation?.QueryStringParameters)) url.searchParams.set(k, v);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    for (const [k, v] of Object.entries(http?.headers ?? {})) headers[k.toLowerCase()] = v;
    for (const [k, v] of pairs(invocation?.HeaderParameters)) headers[k.toLowerCase()] = v;
    // Headers EventBridge does not let parameters override.
    headers['user-agent'] = 'Amazon/EventBridge/ApiDestinations';
    headers.range = 'bytes=0-1048575';
    const method = destination.http_method;
    const body = NO_BODY_METHODS.has(method) ? undefined : requestBody(payload, invocation?.BodyParameters);
    const type = connection.authorization_type as AuthorizationType;

    let status = await this.send(url, method, { ...headers, ...(await this.authorization(scope, connection, type, auth)) }, body);
    if ((status === 401 || status === 407) && type === 'OAUTH_CLIENT_CREDENTIALS') {
      // The token may have been revoked: fetch a new one and try once more.
      this.deps.tokens.invalidate(tokenKey(scope, connection));
      status = await this.send(url, method, { ...headers, ...(await this.authorization(scope, connection, type, auth)) }, body);
    } else if (status === 401 || status === 407) {
      await moveConnection(this.deps.db, scope, connection, 'authorizationFailed', `The endpoint refused the connection's credentials with HTTP ${status}`, this.deps.clock.now());
    }
    if (status >= 200 && status < 300) return;
    const retryable = RETRYABLE_STATUSES.has(status) || status >= 500;
    throw new ApiDestinationFailure('ERROR_FROM_TARGET', `${method} ${url.origin}${url.pathname} answered HTTP ${status}`, retryable);
  }

  private async authorization(scope: Scope, connection: ConnectionRow, type: AuthorizationType, auth: AuthParameters): Promise<Record<string, string>> {
    if (type === 'API_KEY') return { [auth.ApiKeyAuthParameters!.ApiKeyName!.toLowerCase()]: auth.ApiKeyAuthParameters!.ApiKeyValue ?? '' };
    if (type === 'BASIC') return { authorization: `Basic ${Buffer.from(`${auth.BasicAuthParameters?.Username ?? ''}:${auth.BasicAuthParameters?.Password ?? ''}`).toString('base64')}` };
    try {
      const token = await this.deps.tokens.token(tokenKey(scope, connection), auth);
      if (connection.state === 'AUTHORIZING') await moveConnection(this.deps.db, scope, connection, 'tokenFetched', null, this.deps.clock.now());
      return { authorization: `Bearer ${token}` };
    } catch (err) {
      if (!(err instanceof OAuthTokenError)) throw err;
      // AWS deauthorizes a connection whose token cannot be refreshed.
      await moveConnection(this.deps.db, scope, connection, 'authorizationFailed', `Unable to obtain an OAuth token: ${err.message}`, this.deps.clock.now());
      throw new ApiDestinationFailure('CONNECTION_DEAUTHORIZED', `Connection ${connection.name} could not be authorized: ${err.message}`, false);
    }
  }

  /** The response status; a network failure or timeout is a retryable failure. */
  private async send(url: URL, method: string, headers: Record<string, string>, body: string | undefined): Promise<number> {
    try {
      const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(API_DESTINATION_TIMEOUT_MS) });
      // The body is read and dropped so the socket is released.
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } catch (err) {
      throw new ApiDestinationFailure('SDK_CLIENT_ERROR', `${method} ${url.origin}${url.pathname} failed: ${err instanceof Error ? err.message : String(err)}`, true);
    }
  }
}
