import type { DeliveryMessage, DeliverySink } from '../../contracts/delivery-sinks.js';
import { parseBusArn } from './arns.js';
import type { EventsDeps } from './deps.js';
import { publishEvents } from './operations/put-events.js';
import { findBus } from './tables/buses.js';

/**
 * The `events` delivery sink: a message sent to a bus ARN (async-invocation destinations, rule
 * targets that are buses) becomes one PutEvents entry on that bus; `body` is the detail.
 */
export function eventsDeliverySink(deps: EventsDeps): DeliverySink {
  return {
    service: 'events',
    async exists(arn: string) {
      const bus = parseBusArn(arn);
      return bus ? (await findBus(deps.db, bus, bus.busName, deps.clock.now())) !== undefined : false;
    },
    async deliver(arn: string, message: DeliveryMessage) {
      const bus = parseBusArn(arn);
      if (!bus || !(await findBus(deps.db, bus, bus.busName, deps.clock.now()))) throw new Error(`Event bus ${bus?.busName ?? arn} does not exist.`);
      let detail = message.body;
      try {
        const parsed: unknown = JSON.parse(message.body);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) detail = JSON.stringify({ message: message.body });
      } catch {
        detail = JSON.stringify({ message: message.body });
      }
      const [result] = await publishEvents(deps, bus, [
        { Source: message.event?.source ?? 'lambkin', DetailType: message.event?.detailType ?? 'Message', Resources: message.event?.resources ?? [], Detail: detail, EventBusName: bus.busName },
      ]);
      if (result && 'ErrorCode' in result) throw new Error(`${result.ErrorCode}: ${result.ErrorMessage}`);
    },
  };
}
