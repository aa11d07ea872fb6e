import { DeliveryNotAllowed, type DeliveryMessage, type DeliverySink } from '../../contracts/delivery-sinks.js';
import type { SnsDeps } from './deps.js';
import { snsErrors } from './errors.js';
import type { MessageAttribute } from './message-attributes.js';
import { preparePublish, publishPrepared } from './publishing.js';
import { publishAllowed } from './topic-policy.js';

/**
 * Topics as delivery targets (Lambda DLQs and destinations, EventBridge targets, S3
 * notifications, CloudWatch alarm actions): delivering publishes the message to the topic.
 * Resolves once its deliveries are stored. S3 and EventBridge (and services of another account)
 * publish only when the topic policy allows them, as on AWS.
 */
export function snsDeliverySink(deps: SnsDeps): DeliverySink {
  return {
    service: 'sns',
    async exists(arn: string): Promise<boolean> {
      return (await deps.topics.get(arn)) !== undefined;
    },
    async allows(arn, sender) {
      const topic = await deps.topics.get(arn);
      return topic !== undefined && publishAllowed(topic, sender);
    },
    async deliver(arn: string, message: DeliveryMessage): Promise<void> {
      const topic = await deps.topics.get(arn);
      if (!topic) throw new Error(`topic ${arn} does not exist`);
      if (!publishAllowed(topic, message.sentBy)) {
        const who = message.sentBy?.principalService ?? `arn:aws:iam::${message.sentBy?.accountId ?? ''}:root`;
        throw new DeliveryNotAllowed(snsErrors.notAuthorized(who, 'Publish', topic.arn).message);
      }
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
