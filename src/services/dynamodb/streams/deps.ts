import type { Clock } from '../../../clock.js';
import type { RequestContext } from '../../../contracts/request-context.js';
import type { Store } from '../../../store/database.js';
import type { TableStreamCatalog } from '../stream-contract.js';
import type { ShardIterators } from './shard-iterators.js';
import type { StreamNotifications } from './stream-notifications.js';

export interface DynamodbStreamsDeps {
  db: Store;
  clock: Clock;
  catalog: TableStreamCatalog;
  notifications: StreamNotifications;
  iterators: ShardIterators;
}

/** One operation: the request's members in, the answer's members out. */
export type StreamsOperation = (input: Record<string, unknown>, ctx: RequestContext) => Promise<Record<string, unknown>>;
