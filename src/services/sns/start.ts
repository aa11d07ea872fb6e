import path from 'node:path';
import type { InternalRoute } from '../../contracts/internal-route.js';
import type { StartedService } from '../../contracts/started-service.js';
import { signingCertificateRoute } from './certificate-route.js';
import { DeliveryDrainer } from './delivery/drainer.js';
import { OUTBOX_PROTOCOLS } from './delivery/outbox-rendering.js';
import type { DeliverySender } from './delivery/pending-delivery.js';
import { httpSender, lambdaSender, outboxSender, sqsSender } from './delivery/senders.js';
import type { SnsDeps, SnsServiceOptions } from './deps.js';
import { subscriptionLinksRoute } from './links-route.js';
import { outboxRoutes } from './outbox-routes.js';
import { createSnsService } from './service.js';
import { SigningKeys } from './signing.js';
import { snsDeliverySink } from './sns-sink.js';
import { DeliveriesTable } from './tables/deliveries-table.js';
import { OutboxTable } from './tables/outbox-table.js';
import { SubscriptionsTable } from './tables/subscriptions-table.js';
import { TopicsTable } from './tables/topics-table.js';

export interface StartedSns extends StartedService {
  /** `GET` / `DELETE /_lambkin/sns/outbox`, the signing certificate, then the subscription links, whose prefix covers them. */
  internalRoutes: InternalRoute[];
  /** Starts draining deliveries (those a crash left included) and registers the `sns` sink. */
  start(): void;
  close(): Promise<void>;
}

/** SNS: its tables, the senders per protocol, the delivery drainer, the API and its routes. */
export async function startSns(options: SnsServiceOptions): Promise<StartedSns> {
  const topics = new TopicsTable(options.db);
  const subscriptions = new SubscriptionsTable(options.db);
  const deliveries = new DeliveriesTable(options.db, options.clock);
  const senderDeps = { sinks: options.sinks, asyncInvoker: options.asyncInvoker };
  const outbox = new OutboxTable(options.db);
  const http = httpSender();
  const recordInOutbox = outboxSender({ outbox, clock: options.clock });
  const senders: Record<string, DeliverySender> = { sqs: sqsSender(senderDeps), lambda: lambdaSender(senderDeps), http, https: http };
  for (const protocol of OUTBOX_PROTOCOLS) senders[protocol] = recordInOutbox;
  const drainer = new DeliveryDrainer({
    deliveries,
    subscriptions,
    sinks: options.sinks,
    clock: options.clock,
    logger: options.logger,
    senders,
  });
  const signingKeys = new SigningKeys(path.join(options.dataDir, 'sns'));
  const deps: SnsDeps = { ...options, topics, subscriptions, deliveries, outbox, drainer, signingKeys };
  return {
    service: createSnsService(deps),
    internalRoutes: [...outboxRoutes(outbox), signingCertificateRoute(signingKeys), subscriptionLinksRoute(deps)],
    start() {
      options.sinks.register(snsDeliverySink(deps));
      drainer.start();
    },
    // The tables hold no copies in memory: once the rows are gone, so is the state. A delivery
    // attempt already under way still ends (its row is gone, so it is not retried).
    reset: () => topics.deleteAll(),
    close: () => drainer.close(),
  };
}
