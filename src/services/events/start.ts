import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { AsyncInvoker } from '../../contracts/async-invoker.js';
import type { Clock } from '../../clock.js';
import type { InternalRoute } from '../../contracts/internal-route.js';
import type { Service } from '../../contracts/service.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import { ScheduleRunner } from '../../triggers/schedules/scheduler.js';
import { DeliveryDispatcher } from './delivery/dispatcher.js';
import type { EventsDeps } from './deps.js';
import { eventsDeliverySink } from './events-sink.js';
import { createEventsService } from './service.js';

/**
 * EventBridge in one call for server.ts: the API, the `events` delivery sink, the outbox
 * dispatcher and the schedule runner. `asyncInvoker` delivers to Lambda targets when present.
 */
export function startEvents(options: { db: Store; clock: Clock; logger: Logger; sinks: DeliverySinks; asyncInvoker?: AsyncInvoker }): {
  service: Service;
  route: InternalRoute;
  close(): void;
} {
  let dispatcher: DeliveryDispatcher | null = null;
  const deps: EventsDeps = { ...options, onDeliveriesStored: () => dispatcher?.kick() };
  dispatcher = new DeliveryDispatcher(deps);
  const schedules = new ScheduleRunner({ ...options, onDeliveriesStored: () => dispatcher?.kick() });
  options.sinks.register(eventsDeliverySink(deps));
  dispatcher.start();
  schedules.start();
  const service = createEventsService({ ...deps, onRulesChanged: () => schedules.poke() });
  return {
    service,
    // Which target kinds this server can deliver to (tests of Lambda/SQS targets skip without them).
    route: {
      method: 'GET',
      path: '/_lambkin/events/targets',
      handle: () => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ services: [...(deps.asyncInvoker ? ['lambda'] : []), ...options.sinks.services()].sort() }),
      }),
    },
    close() {
      schedules.close();
      dispatcher?.close();
    },
  };
}
