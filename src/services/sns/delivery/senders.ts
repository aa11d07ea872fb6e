import { DeliveryNotAllowed, type DeliverySinks } from '../../../contracts/delivery-sinks.js';
import { AsyncInvokeRefused, type AsyncInvoker } from '../../../contracts/async-invoker.js';
import type { Clock } from '../../../clock.js';
import { parseTopicArn } from '../arns.js';
import { HTTP_TIMEOUT_MS } from '../limits.js';
import type { OutboxTable } from '../tables/outbox-table.js';
import { DeliveryFailed, type DeliverySender, type StoredDelivery } from './pending-delivery.js';

export interface SenderDeps {
  sinks: DeliverySinks;
  asyncInvoker?: AsyncInvoker;
}

/** SQS: through the `sqs` delivery sink, on the topic's behalf (the queue policy check is the sink's). */
export function sqsSender(deps: SenderDeps): DeliverySender {
  return async (d: StoredDelivery) => {
    if (d.payload.kind !== 'sqs') throw new DeliveryFailed('not an SQS delivery', true);
    const sink = deps.sinks.get('sqs');
    if (!sink) throw new DeliveryFailed('no SQS service is running in this process');
    try {
      await sink.deliver(d.endpoint, {
        body: d.payload.body,
        attributes: d.payload.attributes,
        messageGroupId: d.payload.messageGroupId,
        messageDeduplicationId: d.payload.messageDeduplicationId,
        sentBy: { principalService: 'sns.amazonaws.com', sourceArn: d.topicArn, accountId: d.topicArn.split(':')[4] },
      });
    } catch (err) {
      // So is a queue policy that does not allow SNS: no retry, the subscription's DLQ or nothing.
      if (err instanceof DeliveryNotAllowed) throw new DeliveryFailed(err.message, true);
      // A deleted queue is a client-side error: AWS does not retry those (DLQ or drop).
      if (!(await sink.exists(d.endpoint).catch(() => true))) throw new DeliveryFailed(`queue ${d.endpoint} does not exist`, true);
      throw err;
    }
  };
}

/** Lambda: an asynchronous invoke as `sns.amazonaws.com` for the topic (the function's policy must allow it). */
export function lambdaSender(deps: SenderDeps): DeliverySender {
  return async (d: StoredDelivery) => {
    if (d.payload.kind !== 'lambda') throw new DeliveryFailed('not a Lambda delivery', true);
    if (!deps.asyncInvoker) throw new DeliveryFailed('asynchronous invocation is not available in this process');
    const parts = d.endpoint.split(':');
    try {
      await deps.asyncInvoker.enqueue({
        accountId: parts[4] ?? '',
        region: parts[3] ?? '',
        functionName: d.endpoint,
        payload: Buffer.from(d.payload.payload),
        caller: { principalService: 'sns.amazonaws.com', sourceArn: d.topicArn, sourceAccount: d.topicArn.split(':')[4] },
      });
    } catch (err) {
      // A missing function or a policy that refuses SNS does not heal by retrying.
      if (err instanceof AsyncInvokeRefused) throw new DeliveryFailed(`${err.reason}: ${err.message}`, true);
      throw err;
    }
  };
}

/** HTTP(S): a POST; any 2xx accepts it, anything else (or no answer in 15 s) is retried. */
export function httpSender(): DeliverySender {
  return async (d: StoredDelivery) => {
    if (d.payload.kind !== 'http') throw new DeliveryFailed('not an HTTP delivery', true);
    let status: number;
    try {
      const res = await fetch(d.endpoint, { method: 'POST', headers: d.payload.headers, body: d.payload.body, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS), redirect: 'manual' });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      throw new DeliveryFailed(`POST ${d.endpoint} failed: ${(err as Error).message}`);
    }
    if (status < 200 || status > 299) throw new DeliveryFailed(`POST ${d.endpoint} answered ${status}`);
  };
}

/** Email, SMS, mobile push, Firehose: recorded in the outbox, the endpoint Lambkin can reach for them. */
export function outboxSender(deps: { outbox: OutboxTable; clock: Clock }): DeliverySender {
  return async (d: StoredDelivery) => {
    if (d.payload.kind !== 'outbox') throw new DeliveryFailed('not an outbox delivery', true);
    const topic = parseTopicArn(d.topicArn);
    await deps.outbox.record(
      [
        {
          accountId: topic.accountId,
          region: topic.region,
          topicArn: d.topicArn,
          subscriptionArn: d.subscriptionArn,
          protocol: d.protocol,
          endpoint: d.endpoint,
          messageId: d.payload.messageId,
          subject: d.payload.subject ?? null,
          body: d.payload.body,
          kind: d.payload.messageKind,
        },
      ],
      deps.clock.now(),
    );
  };
}
