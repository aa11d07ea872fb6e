import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../../contracts/request-context.js';
import type { JsonRpcHandler } from '../../../protocols/json-rpc.js';
import { connectionArn, type Scope } from '../arns.js';
import { authorizeOAuthConnection } from '../connections/authorize.js';
import {
  AUTH_MEMBER, AUTHORIZATION_TYPES, hasSecret, mergeAuthParameters, publicAuthParameters, withoutSecrets,
  type AuthParameters, type AuthorizationType, type ConnectionHttpParameters,
} from '../connections/auth-parameters.js';
import { CONNECTION_STATES, connectionTransition, type ConnectionState } from '../connections/connection-states.js';
import type { OAuthTokens } from '../connections/oauth-tokens.js';
import type { EventsDeps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_CONNECTION_DESCRIPTION_CHARS, MAX_CONNECTION_NAME_CHARS, MAX_HTTPS_ENDPOINT_CHARS } from '../limits.js';
import { findConnection, listConnections, type ConnectionRow } from '../tables/connections.js';
import { ConstraintCheck, page, str } from '../validation.js';

const NAME = /^[\.\-_A-Za-z0-9]+$/;
const NAME_SHOWN = '[\\.\\-_A-Za-z0-9]+';
const AUTH_HEADER = /^[ \t]*[^\x00-\x1F:\x7F]+([ \t]+[^\x00-\x1F:\x7F]+)*[ \t]*$/;
const AUTH_HEADER_SHOWN = '^[ \\t]*[^\\x00-\\x1F:\\x7F]+([ \\t]+[^\\x00-\\x1F:\\x7F]+)*[ \\t]*$';
const MAX_AUTH_VALUE_CHARS = 512;
const OAUTH_HTTP_METHODS = ['GET', 'POST', 'PUT'] as const;

const seconds = (ms: number) => ms / 1000;
const scopeOf = (ctx: RequestContext): Scope => ({ accountId: ctx.accountId, region: ctx.region });

function checkHttpParameters(check: ConstraintCheck, params: ConnectionHttpParameters | undefined, member: string): void {
  for (const [list, name] of [[params?.HeaderParameters, 'headerParameters'], [params?.QueryStringParameters, 'queryStringParameters'], [params?.BodyParameters, 'bodyParameters']] as const) {
    list?.forEach((p, i) => check.maxLength(p?.Key, `${member}.${name}.${i + 1}.member.key`, 512).maxLength(p?.Value, `${member}.${name}.${i + 1}.member.value`, 512));
  }
}

/**
 * The model's constraints on AuthParameters; `creating` makes the members of the connection's
 * type required (UpdateConnection may send only what changes).
 */
function checkAuthParameters(check: ConstraintCheck, auth: AuthParameters | undefined, type: AuthorizationType | undefined, creating: boolean): void {
  const m = 'authParameters';
  const apiKey = auth?.ApiKeyAuthParameters;
  const basic = auth?.BasicAuthParameters;
  const oauth = auth?.OAuthParameters;
  if (apiKey || (creating && type === 'API_KEY')) {
    if (creating) check.required(apiKey?.ApiKeyName, `${m}.apiKeyAuthParameters.apiKeyName`).required(apiKey?.ApiKeyValue, `${m}.apiKeyAuthParameters.apiKeyValue`);
    check
      .pattern(apiKey?.ApiKeyName, `${m}.apiKeyAuthParameters.apiKeyName`, AUTH_HEADER, AUTH_HEADER_SHOWN)
      .maxLength(apiKey?.ApiKeyName, `${m}.apiKeyAuthParameters.apiKeyName`, MAX_AUTH_VALUE_CHARS)
      .maxLength(apiKey?.ApiKeyValue, `${m}.apiKeyAuthParameters.apiKeyValue`, MAX_AUTH_VALUE_CHARS);
  }
  if (basic || (creating && type === 'BASIC')) {
    if (creating) check.required(basic?.Username, `${m}.basicAuthParameters.username`).required(basic?.Password, `${m}.basicAuthParameters.password`);
    check
      .pattern(basic?.Username, `${m}.basicAuthParameters.username`, AUTH_HEADER, AUTH_HEADER_SHOWN)
      .maxLength(basic?.Username, `${m}.basicAuthParameters.username`, MAX_AUTH_VALUE_CHARS)
      .maxLength(basic?.Password, `${m}.basicAuthParameters.password`, MAX_AUTH_VALUE_CHARS);
  }
  if (oauth || (creating && type === 'OAUTH_CLIENT_CREDENTIALS')) {
    if (creating) {
      check
        .required(oauth?.ClientParameters, `${m}.oAuthParameters.clientParameters`)
        .required(oauth?.AuthorizationEndpoint, `${m}.oAuthParameters.authorizationEndpoint`)
        .required(oauth?.HttpMethod, `${m}.oAuthParameters.httpMethod`);
      if (oauth?.ClientParameters) check.required(oauth.ClientParameters.ClientID, `${m}.oAuthParameters.clientParameters.clientID`).required(oauth.ClientParameters.ClientSecret, `${m}.oAuthParameters.clientParameters.clientSecret`);
    }
    check
      .oneOf(oauth?.HttpMethod, `${m}.oAuthParameters.httpMethod`, OAUTH_HTTP_METHODS)
      .maxLength(oauth?.AuthorizationEndpoint, `${m}.oAuthParameters.authorizationEndpoint`, MAX_HTTPS_ENDPOINT_CHARS)
      .maxLength(oauth?.ClientParameters?.ClientID, `${m}.oAuthParameters.clientParameters.clientID`, MAX_AUTH_VALUE_CHARS)
      .maxLength(oauth?.ClientParameters?.ClientSecret, `${m}.oAuthParameters.clientParameters.clientSecret`, MAX_AUTH_VALUE_CHARS);
    checkHttpParameters(check, oauth?.OAuthHttpParameters, `${m}.oAuthParameters.oAuthHttpParameters`);
  }
  checkHttpParameters(check, auth?.InvocationHttpParameters, `${m}.invocationHttpParameters`);
}

/** An authorization endpoint must be an absolute http(s) URL (AWS takes only HTTPS; Lambkin also takes plain HTTP for local endpoints). */
function checkEndpoint(endpoint: string | undefined, member: string): void {
  if (endpoint === undefined) return;
  let ok = false;
  try {
    ok = ['https:', 'http:'].includes(new URL(endpoint).protocol);
  } catch {
    ok = false;
  }
  if (!ok) throw errors.constraint([`Value '${endpoint}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@\\x26=+$,A-Za-z0-9])+)([).!';/?:,])?$`]);
}

function summary(scope: Scope, row: ConnectionRow): Record<string, unknown> {
  return {
    ConnectionArn: connectionArn(scope, row.name, row.arn_suffix),
    Name: row.name,
    ConnectionState: row.state,
    ...(row.state_reason ? { StateReason: row.state_reason } : {}),
    AuthorizationType: row.authorization_type,
    CreationTime: seconds(row.created_at),
    LastModifiedTime: seconds(row.modified_at),
    ...(row.authorized_at !== null ? { LastAuthorizedTime: seconds(row.authorized_at) } : {}),
  };
}

function stateResponse(scope: Scope, row: ConnectionRow, state = row.state): Record<string, unknown> {
  return {
    ConnectionArn: connectionArn(scope, row.name, row.arn_suffix),
    ConnectionState: state,
    CreationTime: seconds(row.created_at),
    LastModifiedTime: seconds(row.modified_at),
    ...(row.authorized_at !== null ? { LastAuthorizedTime: seconds(row.authorized_at) } : {}),
  };
}

/** Connections: CreateConnection … DeauthorizeConnection. Secrets are stored but never returned. */
export function connectionOperations(deps: EventsDeps & { oauthTokens: OAuthTokens }): Record<string, JsonRpcHandler> {
  const { db, clock } = deps;

  async function connectionOrThrow(scope: Scope, name: string): Promise<ConnectionRow> {
    const row = await findConnection(db, scope, name);
    if (!row) throw errors.connectionNotFound(name);
    return row;
  }

  function checkName(input: Record<string, unknown>, check = new ConstraintCheck()): ConstraintCheck {
    return check.required(input.Name, 'name').pattern(input.Name, 'name', NAME, NAME_SHOWN).maxLength(input.Name, 'name', MAX_CONNECTION_NAME_CHARS).minLength(input.Name, 'name', 1);
  }

  /** OAuth connections fetch their first token after the call answers; the state shows the outcome. */
  function authorizeLater(scope: Scope, row: ConnectionRow): void {
    if (row.state !== 'AUTHORIZING') return;
    void authorizeOAuthConnection({ db, tokens: deps.oauthTokens, logger: deps.logger, now: () => clock.now() }, scope, row.name).catch((err: unknown) =>
      deps.logger.warn({ err, connection: row.name }, 'connection authorization failed'),
    );
  }

  return {
    async CreateConnection(input, ctx) {
      const auth = input.AuthParameters as AuthParameters | undefined;
      const type = str(input.AuthorizationType) as AuthorizationType | undefined;
      const check = checkName(input)
        .maxLength(input.Description, 'description', MAX_CONNECTION_DESCRIPTION_CHARS)
        .required(input.AuthorizationType, 'authorizationType')
        .oneOf(input.AuthorizationType, 'authorizationType', AUTHORIZATION_TYPES)
        .required(input.AuthParameters, 'authParameters');
      if (type && AUTHORIZATION_TYPES.includes(type)) checkAuthParameters(check, auth, type, true);
      check.throwIfAny();
      if (!auth![AUTH_MEMBER[type!]]) throw errors.authParametersMismatch(type!, AUTH_MEMBER[type!]);
      checkEndpoint(auth!.OAuthParameters?.AuthorizationEndpoint, 'authParameters.oAuthParameters.authorizationEndpoint');
      const scope = scopeOf(ctx);
      const name = String(input.Name);
      if (await findConnection(db, scope, name)) throw errors.connectionExists(name);
      const now = clock.now();
      const state: ConnectionState = type === 'OAUTH_CLIENT_CREDENTIALS' ? 'AUTHORIZING' : 'AUTHORIZED';
      const row: ConnectionRow = {
        account_id: scope.accountId,
        region: scope.region,
        name,
        arn_suffix: randomUUID(),
        description: str(input.Description) ?? null,
        authorization_type: type!,
        auth_parameters: JSON.stringify(auth),
        state,
        state_reason: null,
        created_at: now,
        modified_at: now,
        authorized_at: state === 'AUTHORIZED' ? now : null,
      };
      try {
        await db.insertInto('events_connections').values(row).execute();
      } catch (err) {
        // A racing create of the same name.
        if (await findConnection(db, scope, name)) throw errors.connectionExists(name);
        throw err;
      }
      authorizeLater(scope, row);
      return { ConnectionArn: connectionArn(scope, name, row.arn_suffix), ConnectionState: state, CreationTime: seconds(now), LastModifiedTime: seconds(now) };
    },

    async DescribeConnection(input, ctx) {
      checkName(input).throwIfAny();
      const scope = scopeOf(ctx);
      const row = await connectionOrThrow(scope, String(input.Name));
      return {
        ...summary(scope, row),
        ...(row.description ? { Description: row.description } : {}),
        AuthParameters: publicAuthParameters(JSON.parse(row.auth_parameters) as AuthParameters),
      };
    },

    async ListConnections(input, ctx) {
      new ConstraintCheck()
        .pattern(input.NamePrefix, 'namePrefix', NAME, NAME_SHOWN)
        .oneOf(input.ConnectionState, 'connectionState', CONNECTION_STATES)
        .range(input.Limit, 'limit', 1, 100)
        .throwIfAny();
      const scope = scopeOf(ctx);
      const prefix = str(input.NamePrefix) ?? '';
      const rows = (await listConnections(db, scope)).filter((r) => r.name.startsWith(prefix) && (input.ConnectionState === undefined || r.state === input.ConnectionState));
      const { items, nextToken } = page(rows, input.Limit, input.NextToken);
      return { Connections: items.map((r) => summary(scope, r)), ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    async UpdateConnection(input, ctx) {
      const update = input.AuthParameters as AuthParameters | undefined;
      const type = str(input.AuthorizationType) as AuthorizationType | undefined;
      const check = checkName(input).maxLength(input.Description, 'description', MAX_CONNECTION_DESCRIPTION_CHARS).oneOf(input.AuthorizationType, 'authorizationType', AUTHORIZATION_TYPES);
      checkAuthParameters(check, update, type, false);
      check.throwIfAny();
      checkEndpoint(update?.OAuthParameters?.AuthorizationEndpoint, 'authParameters.oAuthParameters.authorizationEndpoint');
      const scope = scopeOf(ctx);
      const row = await connectionOrThrow(scope, String(input.Name));
      const newType = type ?? (row.authorization_type as AuthorizationType);
      const auth = mergeAuthParameters(type && type !== row.authorization_type ? {} : (JSON.parse(row.auth_parameters) as AuthParameters), update);
      if (!auth[AUTH_MEMBER[newType]]) throw errors.authParametersMismatch(newType, AUTH_MEMBER[newType]);
      // New credentials authorize again (an OAuth connection fetches a new token); otherwise the state stays.
      let state = row.state as ConnectionState;
      const credentialsChanged = update !== undefined && (update.ApiKeyAuthParameters || update.BasicAuthParameters || update.OAuthParameters || type !== undefined);
      if (credentialsChanged && hasSecret(newType, auth)) state = connectionTransition(state, newType === 'OAUTH_CLIENT_CREDENTIALS' ? 'oauthCredentialsGiven' : 'credentialsGiven');
      const now = Math.max(clock.now(), row.modified_at + 1);
      const updated: ConnectionRow = {
        ...row,
        description: input.Description !== undefined ? (str(input.Description) ?? null) : row.description,
        authorization_type: newType,
        auth_parameters: JSON.stringify(auth),
        state,
        state_reason: state === row.state ? row.state_reason : null,
        modified_at: now,
        authorized_at: state === 'AUTHORIZED' && row.state !== 'AUTHORIZED' ? now : row.authorized_at,
      };
      await db
        .updateTable('events_connections')
        .set({ description: updated.description, authorization_type: updated.authorization_type, auth_parameters: updated.auth_parameters, state, state_reason: updated.state_reason, modified_at: now, authorized_at: updated.authorized_at })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', row.name)
        .execute();
      authorizeLater(scope, updated);
      return stateResponse(scope, updated);
    },

    async DeleteConnection(input, ctx) {
      checkName(input).throwIfAny();
      const scope = scopeOf(ctx);
      const row = await connectionOrThrow(scope, String(input.Name));
      await db.deleteFrom('events_connections').where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', row.name).execute();
      return stateResponse(scope, row, 'DELETING');
    },

    async DeauthorizeConnection(input, ctx) {
      checkName(input).throwIfAny();
      const scope = scopeOf(ctx);
      const row = await connectionOrThrow(scope, String(input.Name));
      const now = Math.max(clock.now(), row.modified_at + 1);
      const state = connectionTransition(row.state as ConnectionState, 'deauthorize');
      const auth = withoutSecrets(JSON.parse(row.auth_parameters) as AuthParameters);
      await db
        .updateTable('events_connections')
        .set({ auth_parameters: JSON.stringify(auth), state, state_reason: null, modified_at: now })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', row.name)
        .execute();
      return stateResponse(scope, { ...row, state, modified_at: now }, 'DEAUTHORIZING');
    },
  };
}
