import type { RequestContext } from '../../contracts/request-context.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import type { RecordNotifications } from './record-notifications.js';
import type { ShardIterators } from './shard-iterators.js';
import type { ShardSubscriptions } from './shard-subscriptions.js';
import type { ShardThroughput } from './throughput.js';

export interface KinesisDeps {
  db: Store;
  clock: Clock;
  logger: Logger;
  iterators: ShardIterators;
  notifications: RecordNotifications;
  throughput: ShardThroughput;
  subscriptions: ShardSubscriptions;
  /** How long CREATING, UPDATING and DELETING last. */
  transitionDelayMs: number;
  /** Tells the status-transition timer that a transitional status was written. */
  onTransitionScheduled(at: number): void;
}

/** One operation: the request's members in, the answer's members out (Dates and Buffers allowed). */
export type KinesisOperation = (input: Record<string, unknown>, ctx: RequestContext) => Promise<Record<string, unknown> | void>;
