import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { StartedEvents } from '../../services/events/start.js';
import type { Store } from '../../store/database.js';
import { ScheduleRunner } from './scheduler.js';

export interface StartedSchedules {
  close(): void;
}

/**
 * Fires EventBridge schedule rules by the clock given. It starts at once, before the server listens,
 * like the events dispatcher: the latest tick missed while the server was down fires now.
 */
export async function startSchedules(deps: {
  db: Store;
  clock: Clock;
  logger: Logger;
  events: Pick<StartedEvents, 'deliveriesStored' | 'onRulesChanged'>;
}): Promise<StartedSchedules> {
  const runner = new ScheduleRunner({ db: deps.db, clock: deps.clock, logger: deps.logger, onDeliveriesStored: () => deps.events.deliveriesStored() });
  deps.events.onRulesChanged(() => runner.poke());
  runner.start();
  return { close: () => runner.close() };
}
