import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../../contracts/request-context.js';
import type { JsonRpcHandler } from '../../../protocols/json-rpc.js';
import { apiDestinationArn, connectionArn, parseSuffixedArn, type Scope } from '../arns.js';
import type { EventsDeps } from '../deps.js';
import { errors } from '../errors.js';
import { DEFAULT_INVOCATION_RATE_LIMIT_PER_SECOND, MAX_CONNECTION_DESCRIPTION_CHARS, MAX_CONNECTION_NAME_CHARS, MAX_HTTPS_ENDPOINT_CHARS } from '../limits.js';
import { findApiDestination, listApiDestinations, type ApiDestinationRow } from '../tables/api-destinations.js';
import { findConnection, type ConnectionRow } from '../tables/connections.js';
import { ConstraintCheck, page, str } from '../validation.js';

const NAME = /^[\.\-_A-Za-z0-9]+$/;
const NAME_SHOWN = '[\\.\\-_A-Za-z0-9]+';
const HTTP_METHODS = ['POST', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'] as const;
const CONNECTION_ARN_SHOWN = '^arn:aws([a-z]|\\-)*:events:([a-z]|\\d|\\-)*:([0-9]{12})?:connection\\/[\\.\\-_A-Za-z0-9]+\\/[\\-A-Za-z0-9]+$';
const ENDPOINT_SHOWN = "^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@\\x26=+$,A-Za-z0-9])+)([).!';/?:,])?$";

const seconds = (ms: number) => ms / 1000;
const scopeOf = (ctx: RequestContext): Scope => ({ accountId: ctx.accountId, region: ctx.region });

function isHttpUrl(value: string): boolean {
  try {
    return ['https:', 'http:'].includes(new URL(value.replace(/\*/g, 'x')).protocol);
  } catch {
    return false;
  }
}

function view(scope: Scope, row: ApiDestinationRow, connectionSuffix: string | undefined): Record<string, unknown> {
  return {
    ApiDestinationArn: apiDestinationArn(scope, row.name, row.arn_suffix),
    Name: row.name,
    ApiDestinationState: 'ACTIVE',
    ConnectionArn: connectionArn(scope, row.connection_name, connectionSuffix ?? ''),
    InvocationEndpoint: row.endpoint,
    HttpMethod: row.http_method,
    InvocationRateLimitPerSecond: row.rate_limit_per_second,
    CreationTime: seconds(row.created_at),
    LastModifiedTime: seconds(row.modified_at),
  };
}

/** API destinations: CreateApiDestination … ListApiDestinations. */
export function apiDestinationOperations(deps: EventsDeps): Record<string, JsonRpcHandler> {
  const { db, clock } = deps;

  function checkFields(input: Record<string, unknown>, creating: boolean): void {
    const check = new ConstraintCheck()
      .required(input.Name, 'name')
      .pattern(input.Name, 'name', NAME, NAME_SHOWN)
      .maxLength(input.Name, 'name', MAX_CONNECTION_NAME_CHARS)
      .maxLength(input.Description, 'description', MAX_CONNECTION_DESCRIPTION_CHARS)
      .maxLength(input.InvocationEndpoint, 'invocationEndpoint', MAX_HTTPS_ENDPOINT_CHARS)
      .oneOf(input.HttpMethod, 'httpMethod', HTTP_METHODS)
      .range(input.InvocationRateLimitPerSecond, 'invocationRateLimitPerSecond', 1, Number.MAX_SAFE_INTEGER);
    if (typeof input.ConnectionArn === 'string' && !parseSuffixedArn(input.ConnectionArn, 'connection')) {
      check.pattern(input.ConnectionArn, 'connectionArn', /$^/, CONNECTION_ARN_SHOWN);
    }
    if (typeof input.InvocationEndpoint === 'string' && !isHttpUrl(input.InvocationEndpoint)) check.pattern(input.InvocationEndpoint, 'invocationEndpoint', /$^/, ENDPOINT_SHOWN);
    if (creating) check.required(input.ConnectionArn, 'connectionArn').required(input.InvocationEndpoint, 'invocationEndpoint').required(input.HttpMethod, 'httpMethod');
    check.throwIfAny();
  }

  /** The connection an ARN names, in the caller's account and region, with the suffix of that incarnation. */
  async function connectionOf(scope: Scope, arn: string): Promise<ConnectionRow> {
    const parsed = parseSuffixedArn(arn, 'connection');
    if (!parsed) throw errors.invalidConnectionArn();
    const row = parsed.accountId === scope.accountId && parsed.region === scope.region ? await findConnection(db, scope, parsed.name) : undefined;
    if (!row || row.arn_suffix !== parsed.suffix) throw errors.connectionNotFound(parsed.name);
    return row;
  }

  async function destinationOrThrow(scope: Scope, name: string): Promise<ApiDestinationRow> {
    const row = await findApiDestination(db, scope, name);
    if (!row) throw errors.apiDestinationNotFound(name);
    return row;
  }

  async function connectionSuffix(scope: Scope, name: string): Promise<string | undefined> {
    return (await findConnection(db, scope, name))?.arn_suffix;
  }

  const stateResponse = (scope: Scope, row: ApiDestinationRow) => ({
    ApiDestinationArn: apiDestinationArn(scope, row.name, row.arn_suffix),
    ApiDestinationState: 'ACTIVE',
    CreationTime: seconds(row.created_at),
    LastModifiedTime: seconds(row.modified_at),
  });

  return {
    async CreateApiDestination(input, ctx) {
      checkFields(input, true);
      const scope = scopeOf(ctx);
      const name = String(input.Name);
      const connection = await connectionOf(scope, String(input.ConnectionArn));
      if (await findApiDestination(db, scope, name)) throw errors.apiDestinationExists(name);
      const now = clock.now();
      const row: ApiDestinationRow = {
        account_id: scope.accountId,
        region: scope.region,
        name,
        arn_suffix: randomUUID(),
        description: str(input.Description) ?? null,
        connection_name: connection.name,
        endpoint: String(input.InvocationEndpoint),
        http_method: String(input.HttpMethod),
        rate_limit_per_second: typeof input.InvocationRateLimitPerSecond === 'number' ? input.InvocationRateLimitPerSecond : DEFAULT_INVOCATION_RATE_LIMIT_PER_SECOND,
        created_at: now,
        modified_at: now,
      };
      try {
        await db.insertInto('events_api_destinations').values(row).execute();
      } catch (err) {
        if (await findApiDestination(db, scope, name)) throw errors.apiDestinationExists(name);
        throw err;
      }
      return stateResponse(scope, row);
    },

    async DescribeApiDestination(input, ctx) {
      new ConstraintCheck().required(input.Name, 'name').pattern(input.Name, 'name', NAME, NAME_SHOWN).maxLength(input.Name, 'name', MAX_CONNECTION_NAME_CHARS).throwIfAny();
      const scope = scopeOf(ctx);
      const row = await destinationOrThrow(scope, String(input.Name));
      return { ...view(scope, row, await connectionSuffix(scope, row.connection_name)), ...(row.description ? { Description: row.description } : {}) };
    },

    async ListApiDestinations(input, ctx) {
      new ConstraintCheck().pattern(input.NamePrefix, 'namePrefix', NAME, NAME_SHOWN).range(input.Limit, 'limit', 1, 100).throwIfAny();
      const scope = scopeOf(ctx);
      const prefix = str(input.NamePrefix) ?? '';
      const byConnection = typeof input.ConnectionArn === 'string' ? parseSuffixedArn(input.ConnectionArn, 'connection') : null;
      const suffixes = new Map<string, string | undefined>();
      const rows = (await listApiDestinations(db, scope)).filter((r) => r.name.startsWith(prefix) && (!byConnection || r.connection_name === byConnection.name));
      for (const r of rows) if (!suffixes.has(r.connection_name)) suffixes.set(r.connection_name, await connectionSuffix(scope, r.connection_name));
      const listed = rows.filter((r) => !byConnection || suffixes.get(r.connection_name) === byConnection.suffix);
      const { items, nextToken } = page(listed, input.Limit, input.NextToken);
      return { ApiDestinations: items.map((r) => view(scope, r, suffixes.get(r.connection_name))), ...(nextToken ? { NextToken: nextToken } : {}) };
    },

    async UpdateApiDestination(input, ctx) {
      checkFields(input, false);
      const scope = scopeOf(ctx);
      const row = await destinationOrThrow(scope, String(input.Name));
      const connection = typeof input.ConnectionArn === 'string' ? await connectionOf(scope, input.ConnectionArn) : undefined;
      const updated: ApiDestinationRow = {
        ...row,
        description: input.Description !== undefined ? (str(input.Description) ?? null) : row.description,
        connection_name: connection?.name ?? row.connection_name,
        endpoint: str(input.InvocationEndpoint) ?? row.endpoint,
        http_method: str(input.HttpMethod) ?? row.http_method,
        rate_limit_per_second: typeof input.InvocationRateLimitPerSecond === 'number' ? input.InvocationRateLimitPerSecond : row.rate_limit_per_second,
        modified_at: clock.now(),
      };
      await db
        .updateTable('events_api_destinations')
        .set({
          description: updated.description,
          connection_name: updated.connection_name,
          endpoint: updated.endpoint,
          http_method: updated.http_method,
          rate_limit_per_second: updated.rate_limit_per_second,
          modified_at: updated.modified_at,
        })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', row.name)
        .execute();
      return stateResponse(scope, updated);
    },

    async DeleteApiDestination(input, ctx) {
      new ConstraintCheck().required(input.Name, 'name').pattern(input.Name, 'name', NAME, NAME_SHOWN).maxLength(input.Name, 'name', MAX_CONNECTION_NAME_CHARS).throwIfAny();
      const scope = scopeOf(ctx);
      const row = await destinationOrThrow(scope, String(input.Name));
      await db.deleteFrom('events_api_destinations').where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', row.name).execute();
      return {};
    },
  };
}
