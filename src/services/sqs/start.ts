import type { MetricRecorder } from '../../contracts/metric-recorder.js';
import type { Clock } from '../../clock.js';
import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { StartedService } from '../../contracts/started-service.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import { sqsDeliverySink } from './delivery-sink.js';
import { MessageMoveTasks } from './message-move-tasks.js';
import { SqsQueues } from './queues.js';
import { createSqsService } from './service.js';

export interface StartedSqs extends StartedService {
  /** The queues, for event source mappings (the pollers and Lambda's check that a queue exists). */
  queues: SqsQueues;
  close(): Promise<void>;
}

/** The embedded SQS: queues loaded from the store, its API, and the `sqs` delivery sink registered. */
export async function startSqs(deps: { db: Store; clock: Clock; logger: Logger; sinks: DeliverySinks; metrics?: MetricRecorder }): Promise<StartedSqs> {
  const queues = new SqsQueues(deps.db, deps.clock, deps.logger);
  await queues.load();
  const queueMetrics = deps.metrics ? queues.recordMetrics(deps.metrics) : undefined;
  queueMetrics?.start();
  const tasks = new MessageMoveTasks(queues, deps.clock, deps.logger);
  deps.sinks.register(sqsDeliverySink(queues));
  return {
    service: createSqsService(queues, tasks),
    queues,
    close: () => {
      queueMetrics?.stop();
      return queues.close();
    },
  };
}
