import type { AwsError } from '../../../contracts/aws-error.js';
import type { MessageAttributeValue } from '../digests.js';
import { errors, SQS_ERRORS } from '../errors.js';
import * as limits from '../limits.js';
import type { QueueMessage, ReceivedMessage, SendInput } from '../model.js';
import type { Queue } from '../queues.js';
import { integerInRange, optionalString, queueFromUrl, requiredString, stringList, type SqsCall, type SqsOperation } from './context.js';

const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const NUMBER_VALUE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SYSTEM_ATTRIBUTES = [
  'SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp',
  'SequenceNumber', 'MessageDeduplicationId', 'MessageGroupId', 'AWSTraceHeader', 'DeadLetterQueueSourceArn',
];

/** Message attributes from JSON input, checked as SQS checks them. */
export function readMessageAttributes(value: unknown): Record<string, MessageAttributeValue> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw errors.messageAttribute('MessageAttributes must be a map.');
  const entries = Object.entries(value as Record<string, Record<string, unknown>>);
  if (entries.length > limits.MESSAGE_ATTRIBUTES_MAX) {
    throw errors.messageAttribute(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${limits.MESSAGE_ATTRIBUTES_MAX}].`);
  }
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, raw] of entries) {
    if (!ATTRIBUTE_NAME.test(name)) throw errors.messageAttribute(`Message (user) attribute name ${name} is invalid. Can only include alphanumeric characters, hyphens, underscores, or periods. Can not start or end with a period, or have two consecutive periods.`);
    if (/^(aws\.|amazon\.)/i.test(name)) throw errors.messageAttribute(`Message (user) attribute name ${name} is invalid. Can not start with AWS. or Amazon.`);
    const dataType = typeof raw?.DataType === 'string' ? raw.DataType : '';
    if (!dataType) throw errors.messageAttribute(`The message attribute '${name}' must contain non-empty message attribute type.`);
    const base = dataType.split('.')[0];
    if (base !== 'String' && base !== 'Number' && base !== 'Binary') {
      throw errors.messageAttribute(`The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    }
    if (base === 'Binary') {
      const binary = raw.BinaryValue;
      if (typeof binary !== 'string' || binary === '') throw errors.messageAttribute(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      out[name] = { DataType: dataType, BinaryValue: binary };
    } else {
      const text = raw.StringValue;
      if (typeof text !== 'string' || text === '') throw errors.messageAttribute(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`);
      if (base === 'Number' && !NUMBER_VALUE.test(text)) throw errors.messageAttribute(`Can't cast the value of message (user) attribute '${name}' to a number.`);
      out[name] = { DataType: dataType, StringValue: text };
    }
  }
  return out;
}

function sendInputOf(call: SqsCall, entry: Record<string, unknown>, fifo: boolean): SendInput {
  const body = entry.MessageBody;
  if (body === undefined || body === null || body === '') throw errors.emptyBody();
  if (typeof body !== 'string') throw errors.invalidParameter('MessageBody', JSON.stringify(body), 'Must be a string.');
  const delay = integerInRange(entry, 'DelaySeconds', 0, limits.DELAY_SECONDS_MAX, 'DelaySeconds must be >= 0 and <= 900');
  const groupId = optionalString(entry, 'MessageGroupId');
  const dedupId = optionalString(entry, 'MessageDeduplicationId');
  for (const [name, id] of [['MessageGroupId', groupId], ['MessageDeduplicationId', dedupId]] as const) {
    if (id !== undefined && (id.length > limits.FIFO_ID_CHARS_MAX || !/^[\x21-\x7E]+$/.test(id))) {
      throw errors.invalidParameter(name, id, `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
    }
  }
  const system = entry.MessageSystemAttributes as Record<string, MessageAttributeValue> | undefined;
  const trace = system?.AWSTraceHeader?.StringValue;
  return {
    body,
    attributes: readMessageAttributes(entry.MessageAttributes),
    delaySeconds: delay,
    groupId: fifo || groupId !== undefined ? groupId : undefined,
    dedupId,
    traceHeader: trace,
    senderId: senderIdOf(call),
  };
}

function senderIdOf(call: SqsCall): string {
  return call.ctx.accountId;
}

export const sendMessage: SqsOperation = async (call) => {
  const queue = queueFromUrl(call);
  const result = await call.queues.send(queue, sendInputOf(call, call.input, queue.fifo));
  return compact({
    MD5OfMessageBody: result.md5OfBody,
    MD5OfMessageAttributes: result.md5OfMessageAttributes,
    MD5OfMessageSystemAttributes: result.md5OfMessageSystemAttributes,
    MessageId: result.messageId,
    SequenceNumber: result.sequenceNumber,
  });
};

/** Batch checks every batch operation shares: entries present, at most 10, ids valid and distinct. */
function batchEntries(call: SqsCall, entryShape: string): Array<Record<string, unknown>> {
  const entries = call.input.Entries;
  if (!Array.isArray(entries) || entries.length === 0) throw errors.emptyBatch(entryShape);
  if (entries.length > limits.BATCH_ENTRIES_MAX) throw errors.tooManyEntries(entries.length);
  const seen = new Set<string>();
  for (const entry of entries as Array<Record<string, unknown>>) {
    const id = typeof entry?.Id === 'string' ? entry.Id : '';
    if (!BATCH_ID.test(id)) throw errors.invalidBatchEntryId();
    if (seen.has(id)) throw errors.idsNotDistinct(id);
    seen.add(id);
  }
  return entries as Array<Record<string, unknown>>;
}

function failure(id: string, err: unknown): Record<string, unknown> {
  const e = err as AwsError;
  const spec = (SQS_ERRORS as Record<string, { queryCode: string } | undefined>)[e.code ?? ''];
  return { Id: id, SenderFault: true, Code: spec?.queryCode ?? e.code ?? 'InternalError', Message: e.message };
}

export const sendMessageBatch: SqsOperation = async (call) => {
  const queue = queueFromUrl(call);
  const entries = batchEntries(call, 'SendMessageBatchRequestEntry');
  let total = 0;
  for (const entry of entries) {
    if (typeof entry.MessageBody === 'string') total += Buffer.byteLength(entry.MessageBody, 'utf8');
    const attributes = entry.MessageAttributes as Record<string, MessageAttributeValue> | undefined;
    for (const [name, a] of Object.entries(attributes ?? {})) {
      total += Buffer.byteLength(name) + Buffer.byteLength(a?.DataType ?? '') + Buffer.byteLength(a?.StringValue ?? a?.BinaryValue ?? '');
    }
  }
  if (total > limits.BATCH_REQUEST_BYTES_MAX) throw errors.batchTooLong(limits.BATCH_REQUEST_BYTES_MAX, total);
  const successful: Record<string, unknown>[] = [];
  const failed: Record<string, unknown>[] = [];
  // Sent concurrently (one store commit for the lot); results keep entry order.
  const outcomes = await Promise.all(
    entries.map(async (entry) => {
      try {
        return { ok: await call.queues.send(queue, sendInputOf(call, entry, queue.fifo)) };
      } catch (err) {
        return { err };
      }
    }),
  );
  outcomes.forEach((outcome, i) => {
    const id = entries[i]?.Id as string;
    if ('ok' in outcome && outcome.ok) {
      const r = outcome.ok;
      successful.push(compact({
        Id: id, MessageId: r.messageId, MD5OfMessageBody: r.md5OfBody, MD5OfMessageAttributes: r.md5OfMessageAttributes,
        MD5OfMessageSystemAttributes: r.md5OfMessageSystemAttributes, SequenceNumber: r.sequenceNumber,
      }));
    } else failed.push(failure(id, (outcome as { err: unknown }).err));
  });
  return { Successful: successful, Failed: failed };
};

export const receiveMessage: SqsOperation = async (call) => {
  const queue = queueFromUrl(call);
  const max = integerInRange(call.input, 'MaxNumberOfMessages', 1, limits.RECEIVE_MESSAGES_MAX, 'Must be between 1 and 10, if provided.') ?? 1;
  const visibility = integerInRange(call.input, 'VisibilityTimeout', 0, limits.VISIBILITY_TIMEOUT_SECONDS_MAX, 'Must be >= 0 and <= 43200, if provided.');
  const wait = integerInRange(call.input, 'WaitTimeSeconds', 0, limits.RECEIVE_WAIT_SECONDS_MAX, 'Must be >= 0 and <= 20, if provided.');
  const systemNames = [...stringList(call.input, 'AttributeNames'), ...stringList(call.input, 'MessageSystemAttributeNames')];
  const attributeNames = stringList(call.input, 'MessageAttributeNames');
  optionalString(call.input, 'ReceiveRequestAttemptId');
  const received = await call.queues.receive(queue, { maxMessages: max, visibilityTimeoutSeconds: visibility, waitTimeSeconds: wait });
  // AWS answers `{}` when nothing arrived.
  return received.length === 0 ? {} : { Messages: received.map((r) => renderMessage(queue, r, systemNames, attributeNames)) };
};

/** A received message in the JSON protocol's shape, with the attributes the caller asked for. */
export function renderMessage(queue: Queue, received: ReceivedMessage, systemNames: string[], attributeNames: string[]): Record<string, unknown> {
  const m = received.message;
  const out: Record<string, unknown> = { MessageId: m.messageId, ReceiptHandle: received.receiptHandle, MD5OfBody: m.md5OfBody, Body: m.body };
  const system = systemAttributes(queue, m, systemNames);
  if (system) out.Attributes = system;
  const attributes = selectMessageAttributes(m, attributeNames);
  if (attributes) {
    out.MD5OfMessageAttributes = m.md5OfMessageAttributes;
    out.MessageAttributes = attributes;
  }
  return out;
}

export function systemAttributes(queue: Queue, m: QueueMessage, names: string[]): Record<string, string> | undefined {
  if (names.length === 0) return undefined;
  const all = names.includes('All');
  const values: Record<string, string | undefined> = {
    SenderId: m.senderId,
    SentTimestamp: String(m.sentAt),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: m.firstReceiveAt === null ? undefined : String(m.firstReceiveAt),
    SequenceNumber: queue.fifo ? m.sequenceNumber : undefined,
    MessageDeduplicationId: queue.fifo ? m.dedupId : undefined,
    MessageGroupId: m.groupId,
    AWSTraceHeader: m.traceHeader,
    DeadLetterQueueSourceArn: m.deadLetterSourceArn,
  };
  const out: Record<string, string> = {};
  for (const name of SYSTEM_ATTRIBUTES) {
    const value = values[name];
    if ((all || names.includes(name)) && value !== undefined) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function selectMessageAttributes(m: QueueMessage, names: string[]): Record<string, MessageAttributeValue> | undefined {
  if (!m.attributes || names.length === 0) return undefined;
  const all = names.includes('All') || names.includes('.*');
  const prefixes = names.filter((n) => n.endsWith('.*')).map((n) => n.slice(0, -2));
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(m.attributes)) {
    if (all || names.includes(name) || prefixes.some((p) => name.startsWith(p))) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export const deleteMessage: SqsOperation = async (call) => {
  const queue = queueFromUrl(call);
  await call.queues.deleteMessage(queue, requiredString(call.input, 'ReceiptHandle'));
  return undefined;
};

export const deleteMessageBatch: SqsOperation = async (call) => {
  const queue = queueFromUrl(call);
  const entries = batchEntries(call, 'DeleteMessageBatchRequestEntry');
  const results = await call.queues.deleteMessages(queue, entries.map((e) => String(e.ReceiptHandle ?? '')));
  const successful: Record<string, unknown>[] = [];
  const failed: Record<string, unknown>[] = [];
  results.forEach((err, i) => {
    const id = entries[i]?.Id as string;
    if (err) failed.push(failure(id, err));
    else successful.push({ Id: id });
  });
  return { Successful: successful, Failed: failed };
};

function visibilityOf(entry: Record<string, unknown>): number {
  const value = integerInRange(entry, 'VisibilityTimeout', 0, limits.VISIBILITY_TIMEOUT_SECONDS_MAX, 'VisibilityTimeout must be an integer between 0 and 43200');
  if (value === undefined) throw errors.missingParameter('VisibilityTimeout');
  return value;
}

export const changeMessageVisibility: SqsOperation = async (call) => {
  const queue = queueFromUrl(call);
  const handle = requiredString(call.input, 'ReceiptHandle');
  await call.queues.changeVisibility(queue, handle, visibilityOf(call.input));
  return undefined;
};

export const changeMessageVisibilityBatch: SqsOperation = async (call) => {
  const queue = queueFromUrl(call);
  const entries = batchEntries(call, 'ChangeMessageVisibilityBatchRequestEntry');
  const successful: Record<string, unknown>[] = [];
  const failed: Record<string, unknown>[] = [];
  for (const entry of entries) {
    try {
      await call.queues.changeVisibility(queue, String(entry.ReceiptHandle ?? ''), visibilityOf(entry));
      successful.push({ Id: entry.Id });
    } catch (err) {
      failed.push(failure(entry.Id as string, err));
    }
  }
  return { Successful: successful, Failed: failed };
};

function compact(object: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
  return object;
}
