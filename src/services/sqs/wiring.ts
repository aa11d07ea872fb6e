import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { Service } from '../../contracts/service.js';
import type { Store } from '../../store/database.js';
import { sqsDeliverySink } from './delivery-sink.js';
import { MessageMoveTasks } from './message-move-tasks.js';
import { SqsQueues } from './queues.js';
import { createSqsService } from './service.js';
import type { DeliverySink } from '../../contracts/delivery-sinks.js';

export interface EmbeddedSqs {
  queues: SqsQueues;
  service: Service;
  sink: DeliverySink;
  close(): Promise<void>;
}

/** Loads the embedded SQS from the store and builds its API service and delivery sink. */
export async function startEmbeddedSqs(db: Store, clock: Clock, logger: Logger): Promise<EmbeddedSqs> {
  const queues = new SqsQueues(db, clock, logger);
  await queues.load();
  const tasks = new MessageMoveTasks(queues, clock, logger);
  return { queues, service: createSqsService(queues, tasks), sink: sqsDeliverySink(queues), close: () => queues.close() };
}
