import { DeliveryNotAllowed, type DeliveryMessage } from '../../contracts/delivery-sinks.js';
import type { MessageAttributeValue } from './digests.js';
import { errors } from './errors.js';
import { awsQueueUrl } from './queue-arns.js';
import { deliveryAllowed } from './queue-policy.js';
import type { SqsQueues } from './queues.js';

/** Stores the message on a queue this node serves, when the queue policy lets its sender in. */
export async function deliverHere(queues: SqsQueues, arn: string, message: DeliveryMessage): Promise<void> {
  const queue = queues.byArn(arn);
  if (!queue) throw errors.queueDoesNotExist();
  if (!deliveryAllowed(queue, message.sentBy)) {
    throw new DeliveryNotAllowed(errors.accessDenied(awsQueueUrl(queue)).message);
  }
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
}
