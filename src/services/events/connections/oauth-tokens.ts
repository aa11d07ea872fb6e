import type { Clock } from '../../../clock.js';
import { API_DESTINATION_TIMEOUT_MS, OAUTH_DEFAULT_TOKEN_LIFETIME_MS, OAUTH_REFRESH_BEFORE_EXPIRY_MS } from '../limits.js';
import type { AuthParameters, ConnectionParameter } from './auth-parameters.js';

/** The authorization endpoint refused or answered without a token. */
export class OAuthTokenError extends Error {}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

function entries(list: ConnectionParameter[] | undefined): Array<[string, string]> {
  return (list ?? []).filter((p) => p.Key !== undefined).map((p) => [p.Key!, p.Value ?? '']);
}

/**
 * OAuth client-credentials tokens per connection, fetched from the connection's authorization
 * endpoint and kept in this process until they are about to expire or an invocation is
 * refused with 401/407. The client ID and secret go as HTTP basic credentials; the connection's
 * OAuthHttpParameters add headers, query string and form body parameters
 * (`grant_type=client_credentials` unless the body parameters set one).
 */
export class OAuthTokens {
  private readonly cache = new Map<string, CachedToken>();

  constructor(private readonly clock: Clock) {}

  /** A valid token for the connection version `key` (its ARN and modification time), fetched when needed. */
  async token(key: string, auth: AuthParameters): Promise<string> {
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt - OAUTH_REFRESH_BEFORE_EXPIRY_MS > this.clock.now()) return cached.accessToken;
    const fetched = await this.fetchToken(auth);
    this.cache.set(key, fetched);
    return fetched.accessToken;
  }

  /** The endpoint refused the token: the next call fetches a new one. */
  invalidate(key: string): void {
    this.cache.delete(key);
  }

  private async fetchToken(auth: AuthParameters): Promise<CachedToken> {
    const oauth = auth.OAuthParameters;
    const clientId = oauth?.ClientParameters?.ClientID;
    const clientSecret = oauth?.ClientParameters?.ClientSecret;
    if (!oauth?.AuthorizationEndpoint || clientId === undefined || clientSecret === undefined) throw new OAuthTokenError('the connection has no OAuth client credentials');
    const method = (oauth.HttpMethod ?? 'POST').toUpperCase();
    const url = new URL(oauth.AuthorizationEndpoint);
    for (const [k, v] of entries(oauth.OAuthHttpParameters?.QueryStringParameters)) url.searchParams.append(k, v);
    const form = new URLSearchParams(entries(oauth.OAuthHttpParameters?.BodyParameters));
    if (!form.has('grant_type')) form.set('grant_type', 'client_credentials');
    const headers: Record<string, string> = {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'user-agent': 'Amazon/EventBridge/ApiDestinations',
      ...Object.fromEntries(entries(oauth.OAuthHttpParameters?.HeaderParameters).map(([k, v]) => [k.toLowerCase(), v])),
    };
    let body: string | undefined;
    if (method === 'GET') {
      for (const [k, v] of form) url.searchParams.append(k, v);
    } else {
      body = form.toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    let response: Response;
    try {
      response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(API_DESTINATION_TIMEOUT_MS) });
    } catch (err) {
      throw new OAuthTokenError(`the authorization endpoint could not be reached: ${err instanceof Error ? err.message : String(err)}`);
    }
    const text = await response.text();
    if (!response.ok) throw new OAuthTokenError(`the authorization endpoint answered HTTP ${response.status}`);
    let parsed: { access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new OAuthTokenError('the authorization endpoint did not answer JSON');
    }
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') throw new OAuthTokenError('the authorization endpoint answered without an access_token');
    const lifetimeMs = typeof parsed.expires_in === 'number' ? parsed.expires_in * 1000 : Number(parsed.expires_in) * 1000 || OAUTH_DEFAULT_TOKEN_LIFETIME_MS;
    return { accessToken: parsed.access_token, expiresAt: this.clock.now() + lifetimeMs };
  }
}
