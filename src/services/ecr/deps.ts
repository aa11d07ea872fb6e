import type { Clock } from '../../clock.js';
import type { RequestContext } from '../../contracts/request-context.js';
import type { Store } from '../../store/database.js';
import type { RegistryTokens } from './auth-token.js';

export interface EcrDeps {
  db: Store;
  clock: Clock;
  tokens: RegistryTokens;
}

/** One operation: the request's members in, the answer's members out. */
export type EcrOperation = (input: Record<string, unknown>, ctx: RequestContext) => Promise<Record<string, unknown>>;
