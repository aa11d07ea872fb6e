import type { Clock } from '../../clock.js';
import type { StartedService } from '../../contracts/started-service.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import type { KinesisDeps } from './deps.js';
import { RecordNotifications } from './record-notifications.js';
import { RetentionSweeper } from './retention.js';
import { createKinesisService } from './service.js';
import { ShardIterators } from './shard-iterators.js';
import { ShardSubscriptions } from './shard-subscriptions.js';
import { StatusTransitions } from './status-transitions.js';
import { createStreamReader, type StreamReader } from './stream-reader.js';
import { ShardThroughput } from './throughput.js';

export interface StartedKinesis extends StartedService {
  /** Streams for in-process readers (event source mappings). */
  reader: StreamReader;
  /** "Records arrived" signals: other nodes' writes are news for this node's readers (cluster). */
  notifications: RecordNotifications;
  close(): Promise<void>;
}

/**
 * Kinesis Data Streams: the API, the in-process stream reader, the timer that ends
 * CREATING/UPDATING/DELETING (resumed from the store after a restart) and the retention sweep.
 */
export async function startKinesis(options: {
  db: Store;
  clock: Clock;
  logger: Logger;
  /** The installation secret; shard iterators are signed with a key derived from it. */
  secret: Buffer;
  /** How long CREATING, UPDATING and DELETING last. */
  transitionDelayMs: number;
  /** Enforce AWS's per-shard read and write limits (`LAMBKIN_KINESIS_ENFORCE_THROUGHPUT=1`). */
  enforceThroughput: boolean;
}): Promise<StartedKinesis> {
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
    subscriptions: new ShardSubscriptions(),
    transitionDelayMs: options.transitionDelayMs,
    onTransitionScheduled: (at) => transitions.schedule(at),
  };
  transitions.start();
  retention.start();
  return {
    service: createKinesisService(deps),
    reader: createStreamReader({ db, clock, notifications }),
    notifications,
    // Every stream with its shards, records and consumers, as DeleteStream's end removes them.
    reset: () =>
      db.transaction().execute(async (trx) => {
        for (const table of ['kinesis_records', 'kinesis_consumers', 'kinesis_shards', 'kinesis_streams'] as const) await trx.deleteFrom(table).execute();
      }),
    async close() {
      await transitions.close();
      await retention.close();
    },
  };
}
