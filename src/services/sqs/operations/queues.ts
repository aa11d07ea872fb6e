import { errors } from '../errors.js';
import * as limits from '../limits.js';
import { queueUrl } from '../queue-arns.js';
import { ATTRIBUTE_ORDER, isKnownAttribute, validateAttributes } from '../queue-attributes.js';
import type { Queue } from '../queues.js';
import { integerInRange, optionalString, queueFromUrl, requiredString, scopeOf, stringList, stringMap, type SqsCall, type SqsOperation } from './context.js';

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

function urlOf(call: SqsCall, queue: Queue): string {
  return queueUrl(call.ctx.endpoint, queue.scope.accountId, queue.name);
}

function validateTagMap(tags: Record<string, string>): void {
  if (Object.keys(tags).length > limits.TAGS_PER_QUEUE_MAX) throw errors.tooManyTags();
}

export const createQueue: SqsOperation = async (call) => {
  const name = requiredString(call.input, 'QueueName');
  const attributesIn = stringMap(call.input, 'Attributes');
  const fifoRequested = (attributesIn.FifoQueue ?? '').toLowerCase() === 'true';
  const fifo = name.endsWith('.fifo');
  if (fifoRequested || fifo) {
    if (!fifo || !QUEUE_NAME.test(name.slice(0, -5)) || name.length > limits.QUEUE_NAME_CHARS_MAX) throw errors.invalidFifoQueueName();
    if (!fifoRequested) throw errors.invalidFifoQueueName();
  } else if (!QUEUE_NAME.test(name)) {
    throw errors.invalidQueueName();
  }
  const attributes = validateAttributes(attributesIn, fifo, true);
  const tags = stringMap(call.input, 'tags');
  validateTagMap(tags);
  const queue = await call.queues.create(scopeOf(call), name, attributes, tags);
  return { QueueUrl: urlOf(call, queue) };
};

export const getQueueUrl: SqsOperation = async (call) => {
  const name = requiredString(call.input, 'QueueName');
  const owner = optionalString(call.input, 'QueueOwnerAWSAccountId') ?? call.ctx.accountId;
  const queue = call.queues.find({ accountId: owner, region: call.ctx.region }, name);
  if (!queue) throw errors.queueDoesNotExist();
  return { QueueUrl: urlOf(call, queue) };
};

export const listQueues: SqsOperation = async (call) => {
  const prefix = optionalString(call.input, 'QueueNamePrefix') ?? '';
  const maxResults = integerInRange(call.input, 'MaxResults', 1, limits.LIST_QUEUES_RESULTS_MAX, 'Value must be between 1 and 1000.');
  const token = optionalString(call.input, 'NextToken');
  return paginateQueues(call, call.queues.list(scopeOf(call), prefix), maxResults, token);
};

function paginateQueues(call: SqsCall, all: Queue[], maxResults: number | undefined, token: string | undefined): Record<string, unknown> {
  let start = 0;
  if (token) {
    const after = Buffer.from(token, 'base64').toString('utf8');
    start = all.findIndex((q) => q.name > after);
    if (start < 0) start = all.length;
  }
  const limit = maxResults ?? limits.LIST_QUEUES_RESULTS_MAX;
  const page = all.slice(start, start + limit);
  const out: Record<string, unknown> = {};
  if (page.length > 0) out.QueueUrls = page.map((q) => urlOf(call, q));
  const last = page[page.length - 1];
  if (maxResults !== undefined && start + limit < all.length && last) out.NextToken = Buffer.from(last.name, 'utf8').toString('base64');
  return out;
}

export const deleteQueue: SqsOperation = async (call) => {
  await call.queues.delete(queueFromUrl(call));
  return undefined;
};

export const getQueueAttributes: SqsOperation = async (call) => {
  const queue = queueFromUrl(call);
  const names = stringList(call.input, 'AttributeNames');
  for (const n of names) if (n !== 'All' && !isKnownAttribute(n)) throw errors.unknownAttribute(n);
  const wanted = names.includes('All') ? ATTRIBUTE_ORDER : ATTRIBUTE_ORDER.filter((n) => names.includes(n));
  if (wanted.length === 0) return {};
  const counts = call.queues.counts(queue);
  const computed: Record<string, string> = {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.modifiedAt / 1000)),
  };
  const attributes: Record<string, string> = {};
  for (const n of wanted) {
    const value = computed[n] ?? queue.attributes[n];
    if (value !== undefined) attributes[n] = value;
  }
  return { Attributes: attributes };
};

export const setQueueAttributes: SqsOperation = async (call) => {
  const queue = queueFromUrl(call);
  const attributes = validateAttributes(stringMap(call.input, 'Attributes'), queue.fifo, false);
  await call.queues.setAttributes(queue, attributes);
  return undefined;
};

export const purgeQueue: SqsOperation = async (call) => {
  await call.queues.purge(queueFromUrl(call));
  return undefined;
};

export const tagQueue: SqsOperation = async (call) => {
  const queue = queueFromUrl(call);
  const tags = { ...queue.tags, ...stringMap(call.input, 'Tags') };
  validateTagMap(tags);
  await call.queues.setTags(queue, tags);
  return undefined;
};

export const untagQueue: SqsOperation = async (call) => {
  const queue = queueFromUrl(call);
  const tags = { ...queue.tags };
  for (const key of stringList(call.input, 'TagKeys')) delete tags[key];
  await call.queues.setTags(queue, tags);
  return undefined;
};

export const listQueueTags: SqsOperation = async (call) => {
  const queue = queueFromUrl(call);
  return Object.keys(queue.tags).length > 0 ? { Tags: { ...queue.tags } } : {};
};

export const listDeadLetterSourceQueues: SqsOperation = async (call) => {
  const queue = queueFromUrl(call);
  const maxResults = integerInRange(call.input, 'MaxResults', 1, limits.LIST_QUEUES_RESULTS_MAX, 'Value must be between 1 and 1000.');
  const page = paginateQueues(call, call.queues.deadLetterSources(queue), maxResults, optionalString(call.input, 'NextToken'));
  return { queueUrls: page.QueueUrls ?? [], ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
};
