import { DeliveryNotAllowed, type DeliveryMessage, type DeliverySink } from '../../contracts/delivery-sinks.js';
import { errors } from './errors.js';
import { parseQueueArn } from './queue-arns.js';
import { deliveryAllowed } from './queue-policy.js';
import type { SqsCluster } from './queue-relay.js';
import type { SqsQueues } from './queues.js';
import { relayDelivery } from './delivery-relay.js';
import { deliverHere } from './message-delivery.js';

/**
 * How other services put messages on queues (Lambda DLQs and destinations, SNS, EventBridge, S3
 * notifications): by queue ARN, with typed attributes. Resolves once the message is durable.
 * S3, SNS and EventBridge get in only when the queue policy allows them, as on AWS. On a cluster,
 * a queue another node serves gets the message through that node (delivery-relay.ts).
 */
export function sqsDeliverySink(queues: SqsQueues, cluster?: SqsCluster): DeliverySink {
  return {
    service: 'sqs',
    exists: async (arn) => queues.exists(arn) || (cluster !== undefined && (await queues.existsInStore(arn))),
    async allows(arn, sender) {
      const queue = queues.byArn(arn) ?? (cluster ? await queues.storedPolicyHolder(arn) : undefined);
      return queue !== undefined && deliveryAllowed(queue, sender);
    },
    async deliver(arn: string, message: DeliveryMessage): Promise<void> {
      const scope = parseQueueArn(arn);
      if (cluster && scope && !queues.exists(arn)) {
        const route = await cluster.ownership.route(scope, false);
        if ('relayTo' in route) return relayDelivery(cluster.nodeCalls, route.relayTo, arn, message);
        if ('unavailable' in route) throw errors.unavailable();
      }
      await deliverHere(queues, arn, message);
    },
  };
}
