import type { DeliveryMessage, DeliverySink } from '../../contracts/delivery-sinks.js';
import { parseBusArn } from './arns.js';
import type { EventsDeps } from './deps.js';
import { publishEvents } from './operations/put-events.js';
import { findBus } from './tables/buses.js';

/**
 * The `events` delivery sink: a message sent to a bus ARN (async-invocation destinations, rule
 * targets that are buses) becomes one PutEvents entry on that bus; `body` is the detail. A bus in
 * another account than the sender's takes it only when its resource policy allows that account.
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
      // Sent from another account (a rule's target, a function's destination): the bus's policy
      // must allow that account, as for PutEvents; the event names the sending account.
      const sender = message.sentBy?.accountId;
      const crossAccount = sender !== undefined && sender !== bus.accountId;
      const scope = crossAccount ? { accountId: sender, region: bus.region } : bus;
      const [result] = await publishEvents(
        deps,
        scope,
        [{ Source: message.event?.source ?? 'lambkin', DetailType: message.event?.detailType ?? 'Message', Resources: message.event?.resources ?? [], Detail: detail, EventBusName: crossAccount ? arn : bus.busName }],
        crossAccount ? { accountId: sender, arn: `arn:aws:iam::${sender}:root` } : undefined,
      );
      if (result && 'ErrorCode' in result) throw new Error(`${result.ErrorCode}: ${result.ErrorMessage}`);
    },
  };
}
