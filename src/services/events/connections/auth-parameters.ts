/**
 * A connection's AuthParameters as CreateConnection/UpdateConnection send them. They are stored
 * whole, secrets included, because invocations need them; `publicAuthParameters` is the only view
 * the API returns, as AWS keeps the secret in Secrets Manager and never shows it.
 */
export interface ConnectionParameter {
  Key?: string;
  Value?: string;
  IsValueSecret?: boolean;
}

export interface ConnectionHttpParameters {
  HeaderParameters?: ConnectionParameter[];
  QueryStringParameters?: ConnectionParameter[];
  BodyParameters?: ConnectionParameter[];
}

export interface AuthParameters {
  ApiKeyAuthParameters?: { ApiKeyName?: string; ApiKeyValue?: string };
  BasicAuthParameters?: { Username?: string; Password?: string };
  OAuthParameters?: {
    ClientParameters?: { ClientID?: string; ClientSecret?: string };
    AuthorizationEndpoint?: string;
    HttpMethod?: string;
    OAuthHttpParameters?: ConnectionHttpParameters;
  };
  InvocationHttpParameters?: ConnectionHttpParameters;
}

export const AUTHORIZATION_TYPES = ['BASIC', 'OAUTH_CLIENT_CREDENTIALS', 'API_KEY'] as const;
export type AuthorizationType = (typeof AUTHORIZATION_TYPES)[number];

/** The AuthParameters member each authorization type needs. */
export const AUTH_MEMBER: Record<AuthorizationType, 'BasicAuthParameters' | 'OAuthParameters' | 'ApiKeyAuthParameters'> = {
  BASIC: 'BasicAuthParameters',
  OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
  API_KEY: 'ApiKeyAuthParameters',
};

function publicHttpParameters(params: ConnectionHttpParameters | undefined): ConnectionHttpParameters | undefined {
  if (!params) return undefined;
  const hide = (list: ConnectionParameter[] | undefined) =>
    list?.map((p) => (p.IsValueSecret ? { Key: p.Key, IsValueSecret: true } : { Key: p.Key, Value: p.Value, IsValueSecret: p.IsValueSecret ?? false }));
  const view: ConnectionHttpParameters = {};
  if (params.HeaderParameters) view.HeaderParameters = hide(params.HeaderParameters)!;
  if (params.QueryStringParameters) view.QueryStringParameters = hide(params.QueryStringParameters)!;
  if (params.BodyParameters) view.BodyParameters = hide(params.BodyParameters)!;
  return view;
}

/** DescribeConnection's AuthParameters: names and endpoints, never a key value, password, client secret or secret parameter. */
export function publicAuthParameters(auth: AuthParameters): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  if (auth.ApiKeyAuthParameters) view.ApiKeyAuthParameters = { ApiKeyName: auth.ApiKeyAuthParameters.ApiKeyName };
  if (auth.BasicAuthParameters) view.BasicAuthParameters = { Username: auth.BasicAuthParameters.Username };
  if (auth.OAuthParameters) {
    const o = auth.OAuthParameters;
    view.OAuthParameters = {
      ClientParameters: { ClientID: o.ClientParameters?.ClientID },
      AuthorizationEndpoint: o.AuthorizationEndpoint,
      HttpMethod: o.HttpMethod,
      ...(o.OAuthHttpParameters ? { OAuthHttpParameters: publicHttpParameters(o.OAuthHttpParameters) } : {}),
    };
  }
  if (auth.InvocationHttpParameters) view.InvocationHttpParameters = publicHttpParameters(auth.InvocationHttpParameters);
  return view;
}

/**
 * UpdateConnection's AuthParameters over the stored ones: each member given replaces its
 * counterpart field by field (so a new ApiKeyValue alone keeps the ApiKeyName), members not given stay.
 */
export function mergeAuthParameters(stored: AuthParameters, update: AuthParameters | undefined): AuthParameters {
  if (!update) return stored;
  const merged: AuthParameters = { ...stored };
  if (update.ApiKeyAuthParameters) merged.ApiKeyAuthParameters = { ...stored.ApiKeyAuthParameters, ...update.ApiKeyAuthParameters };
  if (update.BasicAuthParameters) merged.BasicAuthParameters = { ...stored.BasicAuthParameters, ...update.BasicAuthParameters };
  if (update.OAuthParameters) {
    merged.OAuthParameters = {
      ...stored.OAuthParameters,
      ...update.OAuthParameters,
      ClientParameters: { ...stored.OAuthParameters?.ClientParameters, ...update.OAuthParameters.ClientParameters },
    };
  }
  if (update.InvocationHttpParameters) merged.InvocationHttpParameters = update.InvocationHttpParameters;
  return merged;
}

/** What DeauthorizeConnection leaves: the same parameters without any secret. */
export function withoutSecrets(auth: AuthParameters): AuthParameters {
  const stripped: AuthParameters = { ...auth };
  if (auth.ApiKeyAuthParameters) stripped.ApiKeyAuthParameters = { ApiKeyName: auth.ApiKeyAuthParameters.ApiKeyName };
  if (auth.BasicAuthParameters) stripped.BasicAuthParameters = { Username: auth.BasicAuthParameters.Username };
  if (auth.OAuthParameters) stripped.OAuthParameters = { ...auth.OAuthParameters, ClientParameters: { ClientID: auth.OAuthParameters.ClientParameters?.ClientID } };
  return stripped;
}

/** Whether the secret the authorization type needs is present (a deauthorized connection has none). */
export function hasSecret(type: AuthorizationType, auth: AuthParameters): boolean {
  if (type === 'API_KEY') return auth.ApiKeyAuthParameters?.ApiKeyValue !== undefined;
  if (type === 'BASIC') return auth.BasicAuthParameters?.Password !== undefined;
  return auth.OAuthParameters?.ClientParameters?.ClientSecret !== undefined;
}
