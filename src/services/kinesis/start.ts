import type { Clock } from '../../clock.js';
import type { Service } from '../../contracts/service.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import type { KinesisDeps } from './deps.js';
import { RecordNotifications } from './record-notifications.js';
import { RetentionSweeper } from './retention.js';
import { createKinesisService } from './service.js';
import { ShardIterators } from './shard-iterators.js';
import { StatusTransitions } from './status-transitions.js';
import { createStreamReader, type StreamReader } from './stream-reader.js';
import { ShardThroughput } from './throughput.js';

/**
 * Kinesis Data Streams in one call for server.ts: the API, the in-process stream reader, the
 * timer that ends CREATING/UPDATING/DELETING (resumed from the store after a restart) and the
 * retention sweep.
 */
export function startKinesis(options: {
  db: Store;
  clock: Clock;
  logger: Logger;
  /** The installation secret; shard iterators are signed with a key derived from it. */
  secret: Buffer;
  /** How long CREATING, UPDATING and DELETING last. */
  transitionDelayMs: number;
  /** Enforce AWS's per-shard read and write limits (`LAMBKIN_KINESIS_ENFORCE_THROUGHPUT=1`). */
  enforceThroughput: boolean;
}): { service: Service; reader: StreamReader; close(): Promise<void> } {
  const { db, clock, logger } = options;
  const notifications = new RecordNotifications();
  const transitions = new StatusTransitions({ db, clock, logger, notifications });
  const retention = new RetentionSweeper({ db, clock, logger });
  const deps: KinesisDeps = {
    db,
    clock,
    logger,
    iterators: new ShardIterators(options.secret),
    notifications,
    throughput: new ShardThroughput(clock, options.enforceThroughput),
    transitionDelayMs: options.transitionDelayMs,
    onTransitionScheduled: (at) => transitions.schedule(at),
  };
  transitions.start();
  retention.start();
  return {
    service: createKinesisService(deps),
    reader: createStreamReader({ db, clock, notifications }),
    async close() {
      await transitions.close();
      await retention.close();
    },
  };
}
