import type { DeliveryMessage, DeliverySink } from '../../contracts/delivery-sinks.js';
import type { SnsDeps } from './deps.js';
import type { MessageAttribute } from './message-attributes.js';
import { preparePublish, publishPrepared } from './publishing.js';

/**
 * Topics as delivery targets (Lambda DLQs and destinations, EventBridge targets, S3
 * notifications): delivering publishes the message to the topic. Resolves once its deliveries
 * are stored.
 */
export function snsDeliverySink(deps: SnsDeps): DeliverySink {
  return {
    service: 'sns',
    async exists(arn: string): Promise<boolean> {
      return (await deps.topics.get(arn)) !== undefined;
    },
    async deliver(arn: string, message: DeliveryMessage): Promise<void> {
      const topic = await deps.topics.get(arn);
      if (!topic) throw new Error(`topic ${arn} does not exist`);
      const attributes: Record<string, MessageAttribute> = {};
      for (const [name, a] of Object.entries(message.attributes ?? {})) attributes[name] = { type: a.type, value: a.value, binary: a.type === 'Binary' };
      const prepared = preparePublish(topic, {
        message: message.body,
        subject: message.subject,
        attributes,
        messageGroupId: message.messageGroupId,
        messageDeduplicationId: message.messageDeduplicationId,
      });
      await publishPrepared(deps, topic, [prepared]);
    },
  };
}
