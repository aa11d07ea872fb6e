import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { AsyncInvoker } from '../../contracts/async-invoker.js';
import type { Clock } from '../../clock.js';
import type { RequestContext } from '../../contracts/request-context.js';
import type { Logger } from '../../logger.js';
import type { QueryParams } from '../../protocols/query.js';
import type { Store } from '../../store/database.js';
import type { DeliveryDrainer } from './delivery/drainer.js';
import type { DeliveriesTable } from './tables/deliveries-table.js';
import type { SigningKeys } from './signing.js';
import type { OutboxTable } from './tables/outbox-table.js';
import type { SubscriptionsTable } from './tables/subscriptions-table.js';
import type { TopicsTable } from './tables/topics-table.js';

export interface SnsServiceOptions {
  db: Store;
  clock: Clock;
  logger: Logger;
  sinks: DeliverySinks;
  /** Absent until asynchronous invocation runs in this process; Lambda deliveries wait for it. */
  asyncInvoker?: AsyncInvoker;
  /** The URL HTTP and email subscribers use to reach us (SubscribeURL, UnsubscribeURL). */
  endpointUrl: () => string;
  /** Holds the key messages are signed with (created there on first use). */
  dataDir: string;
}

export interface SnsDeps extends SnsServiceOptions {
  topics: TopicsTable;
  subscriptions: SubscriptionsTable;
  deliveries: DeliveriesTable;
  outbox: OutboxTable;
  drainer: DeliveryDrainer;
  signingKeys: SigningKeys;
}

export interface SnsRequest {
  ctx: RequestContext;
  params: QueryParams;
}
