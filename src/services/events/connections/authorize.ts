import type { Logger } from '../../../logger.js';
import type { Store } from '../../../store/database.js';
import { connectionArn, type Scope } from '../arns.js';
import { findConnection, type ConnectionRow } from '../tables/connections.js';
import type { AuthParameters } from './auth-parameters.js';
import { connectionTransition, type ConnectionEvent, type ConnectionState } from './connection-states.js';
import { OAuthTokenError, type OAuthTokens } from './oauth-tokens.js';

/** The token cache key: the connection's ARN and version, so an update never uses an older token. */
export function tokenKey(scope: Scope, row: ConnectionRow): string {
  return `${connectionArn(scope, row.name, row.arn_suffix)}@${row.modified_at}`;
}

/**
 * Moves a connection along its state table, only if it is still the version that was read (an
 * update or deauthorization in between wins). Pairs the table does not allow are ignored.
 */
export async function moveConnection(db: Store, scope: Scope, row: ConnectionRow, event: ConnectionEvent, reason: string | null, now: number): Promise<void> {
  let next: ConnectionState;
  try {
    next = connectionTransition(row.state as ConnectionState, event);
  } catch {
    return;
  }
  await db
    .updateTable('events_connections')
    .set({ state: next, state_reason: reason, ...(next === 'AUTHORIZED' ? { authorized_at: now } : {}) })
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('name', '=', row.name)
    .where('modified_at', '=', row.modified_at)
    .execute();
}

/**
 * An OAuth connection is AUTHORIZING until its first token: fetched here, in the background of
 * CreateConnection/UpdateConnection, it makes the connection AUTHORIZED; a refusal DEAUTHORIZED
 * with the reason.
 */
export async function authorizeOAuthConnection(deps: { db: Store; tokens: OAuthTokens; logger: Logger; now: () => number }, scope: Scope, name: string): Promise<void> {
  const row = await findConnection(deps.db, scope, name);
  if (!row || row.state !== 'AUTHORIZING') return;
  try {
    await deps.tokens.token(tokenKey(scope, row), JSON.parse(row.auth_parameters) as AuthParameters);
    await moveConnection(deps.db, scope, row, 'tokenFetched', null, deps.now());
  } catch (err) {
    if (!(err instanceof OAuthTokenError)) deps.logger.warn({ err, connection: name }, 'OAuth authorization failed');
    await moveConnection(deps.db, scope, row, 'authorizationFailed', `Unable to obtain an OAuth token: ${err instanceof Error ? err.message : String(err)}`, deps.now());
  }
}
