import type { MetricRecorder } from '../../contracts/metric-recorder.js';
import type { Clock } from '../../clock.js';
import type { AsyncInvoker } from '../../contracts/async-invoker.js';
import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { InternalRoute } from '../../contracts/internal-route.js';
import type { StartedService } from '../../contracts/started-service.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import { DeliveryDispatcher } from './delivery/dispatcher.js';
import type { EventsDeps } from './deps.js';
import { eventsDeliverySink } from './events-sink.js';
import { managementEventSink } from './management-events.js';
import { ReplayRunner } from './archives/replay-runner.js';
import { createEventsService } from './service.js';
import { OAuthTokens } from './connections/oauth-tokens.js';
import type { ManagementEventSink } from '../../contracts/management-events.js';

export interface StartedEvents extends StartedService {
  /** `GET /_lambkin/events/targets`. */
  internalRoutes: InternalRoute[];
  /** Wakes the delivery dispatcher after deliveries were stored outside the API (schedule ticks). */
  deliveriesStored(): void;
  /** Who is told after a rule was written (schedule firing looks again); one listener. */
  onRulesChanged(listener: () => void): void;
  close(): void;
  /** Puts the edge's management calls on the default bus as CloudTrail events. */
  managementEvents: ManagementEventSink;
}

/**
 * EventBridge: the API, the `events` delivery sink and the outbox dispatcher (started at once, so
 * deliveries a crash left are sent). `asyncInvoker` delivers to Lambda targets when present.
 * Schedule rules are fired by `triggers/schedules/`, through `deliveriesStored` and `onRulesChanged`.
 */
export async function startEvents(options: { db: Store; clock: Clock; logger: Logger; sinks: DeliverySinks; asyncInvoker?: AsyncInvoker; metrics?: MetricRecorder }): Promise<StartedEvents> {
  let dispatcher: DeliveryDispatcher | null = null;
  let rulesChanged: (() => void) | undefined;
  const deps: EventsDeps = { ...options, oauthTokens: new OAuthTokens(options.clock), onDeliveriesStored: () => dispatcher?.kick() };
  dispatcher = new DeliveryDispatcher(deps);
  options.sinks.register(eventsDeliverySink(deps));
  dispatcher.start();
  const replays = new ReplayRunner(deps);
  // Replays a stopped process left under way go on once their lease has run out.
  replays.kick();
  const service = createEventsService({ ...deps, onRulesChanged: () => rulesChanged?.(), onReplayStarted: () => replays.kick() });
  return {
    service,
    internalRoutes: [
      {
        // Which target kinds this server can deliver to (tests of Lambda/SQS targets skip without them).
        method: 'GET',
        path: '/_lambkin/events/targets',
        handle: () => ({
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ services: [...(deps.asyncInvoker ? ['lambda'] : []), ...options.sinks.services()].sort() }),
        }),
      },
    ],
    // Buses, rules (schedule rules stop firing: the schedule runner reads rules on each pass),
    // targets and stored deliveries; a delivery attempt already under way still ends.
    reset: () =>
      options.db.transaction().execute(async (trx) => {
        for (const table of ['events_api_destinations', 'events_connections', 'events_replays', 'events_archived_events', 'events_archives', 'events_deliveries', 'events_targets', 'events_rules', 'events_buses'] as const) await trx.deleteFrom(table).execute();
      }),
    deliveriesStored: () => dispatcher?.kick(),
    managementEvents: managementEventSink(deps),
    onRulesChanged(listener) {
      rulesChanged = listener;
    },
    close() {
      replays.close();
      dispatcher?.close();
    },
  };
}
