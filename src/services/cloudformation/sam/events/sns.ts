import { compact, getAtt, isObject, ref, type JsonObject } from '../template-model.js';
import { add, fail, permission, requireProperty, type EventContext } from './event-context.js';
import { expandPullEvent } from './pull.js';

function subscription(event: EventContext, protocol: string, endpoint: unknown): void {
  const p = event.properties;
  add(event, event.logicalId, {
    Type: 'AWS::SNS::Subscription',
    Properties: compact({
      Protocol: protocol,
      Endpoint: endpoint,
      TopicArn: p.Topic,
      Region: p.Region ?? undefined,
      FilterPolicy: p.FilterPolicy ?? undefined,
      FilterPolicyScope: p.FilterPolicyScope ?? undefined,
      RedrivePolicy: p.RedrivePolicy ?? undefined,
    }),
    ...event.inherited,
  });
}

function queuePolicy(event: EventContext, logicalId: string, queueArn: unknown, queueUrl: unknown): void {
  add(event, logicalId, {
    Type: 'AWS::SQS::QueuePolicy',
    Properties: {
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'sqs:SendMessage', Effect: 'Allow', Principal: '*', Resource: queueArn, Condition: { ArnEquals: { 'aws:SourceArn': event.properties.Topic } } }],
      },
      Queues: [queueUrl],
    },
    ...event.inherited,
  });
}

/**
 * The SQS mapping SAM puts between an SNS-fed queue and the function. samtranslator always
 * enables it (SqsSubscription.Enabled is read but not used); Lambkin does the same.
 */
function queueMapping(event: EventContext, queueArn: unknown, batchSize: unknown): void {
  expandPullEvent(
    { ...event, logicalId: `${event.logicalId}EventSourceMapping`, properties: { Queue: queueArn, BatchSize: batchSize || 10, Enabled: true } },
    'SQS',
  );
}

/**
 * SNS events: a lambda subscription and a permission for sns.amazonaws.com; with SqsSubscription,
 * SNS → queue (created, or the one named) → function instead.
 */
export function expandSnsEvent(event: EventContext): void {
  const topic = requireProperty(event, 'Topic');
  const sqs = event.properties.SqsSubscription;
  if (!sqs) {
    const [id, resource] = permission(event, 'sns.amazonaws.com', { SourceArn: topic });
    add(event, id, resource);
    subscription(event, 'lambda', event.target.arn);
    return;
  }
  if (sqs === true) {
    const queueId = `${event.logicalId}Queue`;
    const topicId = isObject(topic) && typeof topic.Ref === 'string' ? topic.Ref : undefined;
    const topicResource = topicId ? event.scope.input.Resources[topicId] : undefined;
    const fifo = topicResource?.Properties?.FifoTopic;
    const queueArn = getAtt(queueId, 'Arn');
    queueMapping(event, queueArn, undefined);
    add(event, queueId, { Type: 'AWS::SQS::Queue', Properties: fifo ? { FifoQueue: fifo } : {}, ...event.inherited });
    queuePolicy(event, `${event.logicalId}QueuePolicy`, queueArn, ref(queueId));
    subscription(event, 'sqs', queueArn);
    return;
  }
  if (!isObject(sqs)) fail(event, "Property 'SqsSubscription' should be a map.");
  const { QueueArn: queueArn, QueueUrl: queueUrl } = sqs as JsonObject;
  if (!queueArn || !queueUrl) fail(event, 'No QueueARN or QueueURL provided.');
  queueMapping(event, queueArn, sqs.BatchSize);
  queuePolicy(event, typeof sqs.QueuePolicyLogicalId === 'string' ? sqs.QueuePolicyLogicalId : `${event.logicalId}QueuePolicy`, queueArn, queueUrl);
  subscription(event, 'sqs', queueArn);
}
