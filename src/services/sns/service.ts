import { randomUUID } from 'node:crypto';
import type { AwsError } from '../../contracts/aws-error.js';
import type { InternalRoute } from '../../contracts/internal-route.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import { QueryParams, queryError, queryResponse } from '../../protocols/query.js';
import { DeliveryDrainer } from './delivery/drainer.js';
import { OUTBOX_PROTOCOLS } from './delivery/outbox-rendering.js';
import type { DeliverySender } from './delivery/pending-delivery.js';
import { httpSender, lambdaSender, outboxSender, sqsSender } from './delivery/senders.js';
import type { SnsDeps, SnsServiceOptions } from './deps.js';
import { snsErrors } from './errors.js';
import { SNS_DIALECT } from './limits.js';
import { snsOperations } from './operations/index.js';
import { confirmSubscription, unsubscribe } from './operations/subscriptions.js';
import { outboxRoutes } from './outbox-routes.js';
import { snsDeliverySink } from './sns-sink.js';
import { DeliveriesTable } from './tables/deliveries-table.js';
import { OutboxTable } from './tables/outbox-table.js';
import { SubscriptionsTable } from './tables/subscriptions-table.js';
import { TopicsTable } from './tables/topics-table.js';

/** SNS requests are small: 256 KiB messages, PublishBatch adds ids and attributes around them. */
const SNS_MAX_REQUEST_BYTES = 2 * 1024 * 1024;

export interface SnsService {
  service: Service;
  /** The unsigned SubscribeURL / UnsubscribeURL links HTTP subscribers follow. */
  linksRoute: InternalRoute;
  /** `GET` / `DELETE /_lambkin/sns/outbox`; registered before `linksRoute`, whose prefix covers them. */
  outboxRoutes: InternalRoute[];
  /** Starts draining deliveries (those a crash left included) and registers the `sns` sink. */
  start(): void;
  close(): Promise<void>;
}

export function createSnsService(options: SnsServiceOptions): SnsService {
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
  const deps: SnsDeps = { ...options, topics, subscriptions, deliveries, outbox, drainer };

  const service: Service = {
    name: 'sns',
    signingName: 'sns',
    targetPrefixes: [],
    maxBodyBytes: SNS_MAX_REQUEST_BYTES,
    // SNS is only ever reached signed (credential scope `sns`), never by path.
    ownsPath: () => false,
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const params = QueryParams.fromRequest(ctx, { formBodyOnly: true });
      const action = params.get('Action');
      if (!action) throw snsErrors.missingAction();
      const operation = snsOperations[action];
      if (!operation) throw snsErrors.invalidAction(action);
      const result = await operation(deps, { ctx, params });
      return queryResponse(SNS_DIALECT, action, ctx.requestId, result);
    },
    serializeError: (error: AwsError) => queryError(SNS_DIALECT, error, randomUUID()),
    tooLarge: (limit: number) => snsErrors.requestTooLarge(limit),
  };

  const linksRoute: InternalRoute = {
    method: 'GET',
    path: '/_lambkin/sns/*',
    async handle(_rawPath: string, query: URLSearchParams): Promise<ServiceResponse> {
      const requestId = randomUUID();
      const params = new QueryParams(new Map(query));
      const action = params.get('Action');
      try {
        if (action === 'ConfirmSubscription') return queryResponse(SNS_DIALECT, action, requestId, await confirmSubscription(deps, { params }));
        if (action === 'Unsubscribe') return queryResponse(SNS_DIALECT, action, requestId, await unsubscribe(deps, { params }));
        throw snsErrors.invalidAction(action ?? '');
      } catch (err) {
        if (err instanceof Error && 'code' in err && 'status' in err) return queryError(SNS_DIALECT, err as AwsError, requestId);
        throw err;
      }
    },
  };

  return {
    service,
    linksRoute,
    outboxRoutes: outboxRoutes(outbox),
    start() {
      options.sinks.register(snsDeliverySink(deps));
      drainer.start();
    },
    close: () => drainer.close(),
  };
}
