import type { Clock } from '../../../clock.js';
import type { StartedService } from '../../../contracts/started-service.js';
import type { Logger } from '../../../logger.js';
import type { Store } from '../../../store/database.js';
import type { TableStreamCatalog } from '../stream-contract.js';
import type { DynamodbStreamWriter } from './change-writer.js';
import { createDynamodbStreamsService } from './service.js';
import { ShardIterators } from './shard-iterators.js';
import { createDynamodbStreamReader, type DynamodbStreamReader } from './stream-reader.js';
import { StreamTrimmer } from './trim.js';

export { createStreamChangeWriter, type DynamodbStreamWriter } from './change-writer.js';

export interface StartedDynamodbStreams extends StartedService {
  /** Streams for in-process readers (event source mappings). */
  reader: DynamodbStreamReader;
  /** Runs the trim now (tests; the timer runs it every minute). */
  trimNow(): Promise<void>;
  close(): Promise<void>;
}

/**
 * DynamoDB Streams, started after DynamoDB with the tables' catalog and the writer made before it
 * (`createStreamChangeWriter`, whose notifications it shares): the streams API, the in-process
 * reader, and the minute trim that closes the shards of disabled streams and deletes records
 * after 24 hours.
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
  const notifications = writer.notifications;
  const trimmer = new StreamTrimmer({ db, clock, logger, catalog, notifications });
  trimmer.start();
  return {
    service: createDynamodbStreamsService({ db, clock, catalog, notifications, iterators: new ShardIterators(options.secret) }),
    reader: createDynamodbStreamReader({ db, clock, catalog, notifications }),
    trimNow: () => trimmer.runOnce(),
    async close() {
      await trimmer.close();
    },
  };
}
