import { randomUUID } from 'node:crypto';
import { DeliveryNotAllowed, type DeliveryMessage } from '../../contracts/delivery-sinks.js';
import type { InternalRoute } from '../../contracts/internal-route.js';
import { NODE_AUTH_HEADER, type NodeCalls } from '../../store/cluster/node-calls.js';
import { deliverHere } from './message-delivery.js';
import { errors } from './errors.js';
import { MESSAGE_BYTES_MAX } from './limits.js';
import { parseQueueArn } from './queue-arns.js';
import type { SqsQueueOwnership } from './queue-ownership.js';
import type { SqsQueues } from './queues.js';

const PATH = '/_lambkin/node/sqs-delivery';

/**
 * A message another service delivers to a queue that another cluster node serves (an SNS
 * subscription, a Lambda destination …): sent to that node, which stores it; resolves once it has.
 */
export async function relayDelivery(nodeCalls: NodeCalls, url: string, arn: string, message: DeliveryMessage): Promise<void> {
  const answer = await nodeCalls.send(url, {
    method: 'POST', path: PATH, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ arn, message })), requestId: randomUUID(),
  });
  if (answer.status === 404) throw errors.queueDoesNotExist();
  // The queue policy refused the sender there: not retried, as on the queue's own node.
  if (answer.status === 403) throw new DeliveryNotAllowed((JSON.parse(answer.body.toString('utf8')) as { message: string }).message);
  if (answer.status !== 200) throw errors.unavailable();
}

/** `POST /_lambkin/node/sqs-delivery`: the receiving end of `relayDelivery`, for cluster nodes only. */
export function deliveryRelayRoute(queues: SqsQueues, ownership: SqsQueueOwnership): InternalRoute {
  const json = (status: number, message: string) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) });
  return {
    method: 'POST',
    path: PATH,
    // A message and its attributes, with room for JSON's escapes.
    maxBodyBytes: 4 * MESSAGE_BYTES_MAX,
    async handle(_rawPath, _query, caller) {
      // The edge has checked the secret of any request that carries one.
      if (caller.headers[NODE_AUTH_HEADER] === undefined) return json(403, "Node-to-node calls need the cluster's node secret.");
      const { arn, message } = JSON.parse((caller.body ?? Buffer.alloc(0)).toString('utf8')) as { arn: string; message: DeliveryMessage };
      const scope = parseQueueArn(arn);
      if (!scope) return json(404, 'The specified queue does not exist.');
      // Never relayed on: the sender retries (its delivery queue) if the queues moved meanwhile.
      if (!('local' in (await ownership.route(scope, false)))) return json(503, 'The queue is being moved between nodes.');
      try {
        await deliverHere(queues, arn, message);
      } catch (err) {
        if (err instanceof DeliveryNotAllowed) return json(403, err.message);
        return json(err instanceof Error && err.message === errors.queueDoesNotExist().message ? 404 : 400, err instanceof Error ? err.message : String(err));
      }
      return json(200, 'stored');
    },
  };
}
