import type { Clock } from '../../clock.js';
import type { RequestContext } from '../../contracts/request-context.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import type { ExpressionEngine } from './expressions/contract.js';
import type { StreamChangeWriter } from './stream-contract.js';
import type { TableCache } from './table-cache.js';

export interface DynamodbDeps {
  db: Store;
  clock: Clock;
  logger: Logger;
  expressions: ExpressionEngine;
  /** Tables as item operations read them; every write of a table row goes through its `writing`. */
  tables: TableCache;
  /** DynamoDB Streams' write side: every item write appends its change inside its transaction. */
  streamWriter: StreamChangeWriter;
  /** How long CREATING, UPDATING and DELETING last. */
  transitionDelayMs: number;
  /** Tells the status-transition timer that a transitional status was written. */
  onTransitionScheduled(at: number): void;
}

/** One operation: the request's members in, the answer's members out. */
export type DynamodbOperation = (input: Record<string, unknown>, ctx: RequestContext) => Promise<Record<string, unknown> | void>;
