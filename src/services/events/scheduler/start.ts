import type { AsyncInvoker } from '../../../contracts/async-invoker.js';
import type { DeliverySinks } from '../../../contracts/delivery-sinks.js';
import type { ServiceCaller } from '../../../contracts/service-caller.js';
import type { StartedService } from '../../../contracts/started-service.js';
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import type { Store } from '../../../store/database.js';
import { SchedulerDelivery } from './delivery.js';
import { SchedulerRunner } from './runner.js';
import { createSchedulerService } from './service.js';
import { SchedulerStore } from './store.js';

/**
 * EventBridge Scheduler: the API, the runner that fires schedules and the delivery of firings
 * (started at once, so a firing missed while the server was down happens now, and deliveries a
 * stop left are sent). Part of the events folder: it shares EventBridge's cron evaluator and retry schedule.
 */
export function startScheduler(deps: { db: Store; clock: Clock; logger: Logger; sinks: DeliverySinks; asyncInvoker?: AsyncInvoker; callService?: ServiceCaller }): StartedService {
  const store = new SchedulerStore(deps.db);
  const delivery = new SchedulerDelivery(deps);
  const runner = new SchedulerRunner({ store, clock: deps.clock, logger: deps.logger, onFired: () => delivery.wake() });
  delivery.start();
  runner.start();
  return {
    service: createSchedulerService({ store, clock: deps.clock, onSchedulesChanged: () => runner.wake() }),
    reset: async () => {
      await store.deleteAll();
      runner.wake();
    },
    close: () => {
      runner.close();
      delivery.close();
    },
  };
}
