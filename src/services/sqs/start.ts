import type { MetricRecorder } from '../../contracts/metric-recorder.js';
import type { Clock } from '../../clock.js';
import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { StartedService } from '../../contracts/started-service.js';
import type { Logger } from '../../logger.js';
import { IdBlocks } from '../../store/cluster/id-blocks.js';
import type { ClusterMembership } from '../../store/cluster/membership.js';
import type { NodeCalls } from '../../store/cluster/node-calls.js';
import type { Store } from '../../store/database.js';
import { sqsDeliverySink } from './delivery-sink.js';
import { MessageMoveTasks } from './message-move-tasks.js';
import { SqsQueueOwnership } from './queue-ownership.js';
import { SqsQueues } from './queues.js';
import { deliveryRelayRoute } from './delivery-relay.js';
import { createSqsService } from './service.js';

export interface StartedSqs extends StartedService {
  /** The queues, for event source mappings (the pollers and Lambda's check that a queue exists). */
  queues: SqsQueues;
  /** On a shared store: which node serves which queues (event source mappings run there). */
  ownership?: SqsQueueOwnership;
  /** Starts taking and renewing queue ownership (a cluster node, once it listens). */
  start(): void;
  close(): Promise<void>;
}

/**
 * The embedded SQS: queues loaded from the store, its API, and the `sqs` delivery sink registered.
 * On a shared store (`cluster`) a node loads only the queues it serves and relays the others'
 * calls and deliveries to their node (queue-ownership.ts).
 */
export async function startSqs(deps: {
  db: Store; clock: Clock; logger: Logger; sinks: DeliverySinks; metrics?: MetricRecorder;
  cluster?: { membership: ClusterMembership; nodeCalls: NodeCalls };
}): Promise<StartedSqs> {
  let sharedSeq: IdBlocks | undefined;
  if (deps.cluster) {
    const top = await deps.db.selectFrom('sqs_messages').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    sharedSeq = new IdBlocks(deps.db, 'sqs_messages', Number(top?.seq ?? 0) + 1);
  }
  const queues = new SqsQueues(deps.db, deps.clock, deps.logger, sharedSeq);
  const ownership = deps.cluster ? new SqsQueueOwnership({ db: deps.db, membership: deps.cluster.membership, queues, logger: deps.logger }) : undefined;
  const cluster = deps.cluster && ownership ? { ownership, nodeCalls: deps.cluster.nodeCalls } : undefined;
  if (!cluster) await queues.load();
  const queueMetrics = deps.metrics ? queues.recordMetrics(deps.metrics) : undefined;
  queueMetrics?.start();
  const tasks = new MessageMoveTasks(queues, deps.clock, deps.logger);
  deps.sinks.register(sqsDeliverySink(queues, cluster));
  return {
    service: createSqsService(queues, tasks, cluster),
    queues,
    ...(ownership ? { ownership } : {}),
    ...(cluster ? { internalRoutes: [deliveryRelayRoute(queues, cluster.ownership)] } : {}),
    start: () => ownership?.start(),
    reset: async () => {
      tasks.clear();
      await queues.reset();
    },
    close: async () => {
      queueMetrics?.stop();
      await ownership?.stop();
      await queues.close();
      // Everything this node stored for its queues is committed: the others may take them now.
      await ownership?.release();
    },
  };
}
