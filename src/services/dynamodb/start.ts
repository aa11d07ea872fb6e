import type { Clock } from '../../clock.js';
import type { StartedService } from '../../contracts/started-service.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import type { DynamodbDeps } from './deps.js';
import { expressionEngine } from './expressions/index.js';
import { createDynamodbService } from './service.js';
import { StatusTransitions } from './status-transitions.js';
import { tableStreamCatalog } from './stream-catalog.js';
import { TableCache } from './table-cache.js';
import type { StreamChangeWriter, TableStreamCatalog } from './stream-contract.js';
import { TtlSweeper } from './ttl-sweeper.js';

export interface StartedDynamodb extends StartedService {
  /** The tables' streams, for DynamoDB Streams. */
  streams: TableStreamCatalog;
  /** Runs one TTL sweep now (tests; the timer runs it every interval). */
  sweepExpiredItems(): Promise<number>;
  close(): Promise<void>;
}

/**
 * DynamoDB: the API, the timer that ends CREATING/UPDATING/DELETING (resumed from the store after
 * a restart) and the TTL sweeper.
 */
export async function startDynamodb(options: {
  db: Store;
  clock: Clock;
  logger: Logger;
  /** DynamoDB Streams' write side (made before DynamoDB, as every item write calls it). */
  streamWriter: StreamChangeWriter;
  /** How long CREATING, UPDATING and DELETING last. */
  transitionDelayMs: number;
  /** How often expired items are looked for. */
  ttlSweepIntervalMs: number;
}): Promise<StartedDynamodb> {
  const { db, clock, logger, streamWriter } = options;
  const tables = new TableCache();
  const transitions = new StatusTransitions({ db, clock, logger, tables });
  const sweeper = new TtlSweeper({ db, clock, logger, streamWriter, intervalMs: options.ttlSweepIntervalMs });
  const deps: DynamodbDeps = {
    db,
    clock,
    logger,
    expressions: expressionEngine,
    tables,
    streamWriter,
    transitionDelayMs: options.transitionDelayMs,
    onTransitionScheduled: (at) => transitions.schedule(at),
  };
  transitions.start();
  sweeper.start();
  return {
    service: createDynamodbService(deps),
    streams: tableStreamCatalog(db, clock),
    sweepExpiredItems: () => sweeper.sweep(),
    // Every table, item, index entry, stream and stream record of every account. Inside a table
    // write, so the table cache is cleared as it starts and ends and no lookup keeps a deleted
    // table; the transition timer and the TTL sweeper then find nothing to do.
    reset: () =>
      tables.writing(db, async (tx) => {
        for (const table of ['dynamodb_index_items', 'dynamodb_items', 'dynamodb_stream_records', 'dynamodb_stream_shards', 'dynamodb_streams', 'dynamodb_transaction_tokens', 'dynamodb_tables'] as const) {
          await tx.deleteFrom(table).execute();
        }
      }),
    async close() {
      await transitions.close();
      await sweeper.close();
    },
  };
}
