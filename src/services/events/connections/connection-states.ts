/**
 * A connection's lifecycle. API key and basic connections are authorized at once; OAuth ones
 * are AUTHORIZING until the first token is fetched. Deauthorizing drops the secret; an update
 * that brings new credentials authorizes again.
 */
export type ConnectionState = 'AUTHORIZING' | 'AUTHORIZED' | 'DEAUTHORIZED';
export const CONNECTION_STATES = ['CREATING', 'UPDATING', 'DELETING', 'AUTHORIZED', 'DEAUTHORIZED', 'AUTHORIZING', 'DEAUTHORIZING'] as const;

export type ConnectionEvent = 'credentialsGiven' | 'oauthCredentialsGiven' | 'tokenFetched' | 'authorizationFailed' | 'deauthorize';

const TRANSITIONS: Record<ConnectionState, Partial<Record<ConnectionEvent, ConnectionState>>> = {
  AUTHORIZING: { credentialsGiven: 'AUTHORIZED', oauthCredentialsGiven: 'AUTHORIZING', tokenFetched: 'AUTHORIZED', authorizationFailed: 'DEAUTHORIZED', deauthorize: 'DEAUTHORIZED' },
  AUTHORIZED: { credentialsGiven: 'AUTHORIZED', oauthCredentialsGiven: 'AUTHORIZING', tokenFetched: 'AUTHORIZED', authorizationFailed: 'DEAUTHORIZED', deauthorize: 'DEAUTHORIZED' },
  DEAUTHORIZED: { credentialsGiven: 'AUTHORIZED', oauthCredentialsGiven: 'AUTHORIZING', deauthorize: 'DEAUTHORIZED' },
};

export class ConnectionTransitionError extends Error {}

/** The state after `event`; throws for a pair the table does not list (a token for a deauthorized connection is discarded). */
export function connectionTransition(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  const next = TRANSITIONS[state]?.[event];
  if (!next) throw new ConnectionTransitionError(`connection event ${event} is not allowed in state ${state}`);
  return next;
}

export const CONNECTION_STATE_LIST = Object.keys(TRANSITIONS) as ConnectionState[];
export const CONNECTION_EVENT_LIST: readonly ConnectionEvent[] = ['credentialsGiven', 'oauthCredentialsGiven', 'tokenFetched', 'authorizationFailed', 'deauthorize'];
