import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import type { Store } from '../../../store/database.js';
import type { TableStreamCatalog } from '../stream-contract.js';
import type { DynamodbStreamWriter } from './change-writer.js';
import { StreamTrimmer } from './trim.js';

export { createStreamChangeWriter, type DynamodbStreamWriter } from './change-writer.js';

export interface StartedDynamodbStreams {
  close(): Promise<void>;
}

/**
 * DynamoDB Streams' background side, started after DynamoDB with the tables' catalog and the
 * writer made before it (`createStreamChangeWriter`, whose notifications it shares): the minute
 * trim that closes the shards of disabled streams and deletes records after 24 hours.
 */
export async function startDynamodbStreams(options: {
  db: Store;
  clock: Clock;
  logger: Logger;
  /** The installation secret; shard iterators are signed with a key derived from it. */
  secret: Buffer;
  catalog: TableStreamCatalog;
  writer: DynamodbStreamWriter;
}): Promise<StartedDynamodbStreams> {
  const { db, clock, logger, catalog, writer } = options;
  const trimmer = new StreamTrimmer({ db, clock, logger, catalog, notifications: writer.notifications });
  trimmer.start();
  return {
    async close() {
      await trimmer.close();
    },
  };
}
