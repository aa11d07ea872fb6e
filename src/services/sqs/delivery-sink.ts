import type { DeliveryMessage, DeliverySink } from '../../contracts/delivery-sinks.js';
import type { MessageAttributeValue } from './digests.js';
import { errors } from './errors.js';
import type { SqsQueues } from './queues.js';

/**
 * How other services put messages on queues (Lambda DLQs and destinations, SNS, EventBridge, S3
 * notifications): by queue ARN, with typed attributes. Resolves once the message is durable.
 */
export function sqsDeliverySink(queues: SqsQueues): DeliverySink {
  return {
    service: 'sqs',
    exists: async (arn) => queues.exists(arn),
    async deliver(arn: string, message: DeliveryMessage): Promise<void> {
      const queue = queues.byArn(arn);
      if (!queue) throw errors.queueDoesNotExist();
      const attributes: Record<string, MessageAttributeValue> = {};
      for (const [name, a] of Object.entries(message.attributes ?? {})) {
        attributes[name] = a.type === 'Binary' ? { DataType: 'Binary', BinaryValue: a.value } : { DataType: a.type, StringValue: a.value };
      }
      await queues.send(queue, {
        body: message.body,
        attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
        groupId: queue.fifo ? message.messageGroupId : undefined,
        dedupId: queue.fifo ? message.messageDeduplicationId : undefined,
        senderId: message.sentBy?.principalService ?? message.sentBy?.accountId ?? queue.scope.accountId,
      });
    },
  };
}
