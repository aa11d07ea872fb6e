import { errors } from './errors.js';
import * as limits from './limits.js';
import { validateQueuePolicy } from './queue-policy.js';

/** Attributes a client may set, and the integer range of the numeric ones. */
const NUMERIC: Record<string, [number, number]> = {
  DelaySeconds: [0, limits.DELAY_SECONDS_MAX],
  MaximumMessageSize: [limits.MESSAGE_BYTES_MIN_SETTING, limits.MESSAGE_BYTES_MAX],
  MessageRetentionPeriod: [limits.RETENTION_SECONDS_MIN, limits.RETENTION_SECONDS_MAX],
  ReceiveMessageWaitTimeSeconds: [0, limits.RECEIVE_WAIT_SECONDS_MAX],
  VisibilityTimeout: [0, limits.VISIBILITY_TIMEOUT_SECONDS_MAX],
  KmsDataKeyReusePeriodSeconds: [limits.KMS_REUSE_SECONDS_MIN, limits.KMS_REUSE_SECONDS_MAX],
};
const BOOLEAN = ['SqsManagedSseEnabled', 'FifoQueue', 'ContentBasedDeduplication'];
const FREE_TEXT = ['Policy', 'KmsMasterKeyId', 'RedrivePolicy', 'RedriveAllowPolicy'];
const FIFO_ONLY = ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'];
const ENUMS: Record<string, string[]> = {
  DeduplicationScope: ['messageGroup', 'queue'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};

/** Computed attributes GetQueueAttributes reports but nobody sets. */
export const READ_ONLY_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
];

/** The order AWS lists attributes in for `All`. */
export const ATTRIBUTE_ORDER = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'VisibilityTimeout',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds',
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
];

export function isKnownAttribute(name: string): boolean {
  return name in NUMERIC || BOOLEAN.includes(name) || FREE_TEXT.includes(name) || name in ENUMS || READ_ONLY_ATTRIBUTES.includes(name);
}

/** What a new queue holds before the request's attributes are applied. */
export function defaultAttributes(fifo: boolean): Record<string, string> {
  const attributes: Record<string, string> = {
    VisibilityTimeout: String(limits.VISIBILITY_TIMEOUT_SECONDS_DEFAULT),
    MaximumMessageSize: String(limits.MESSAGE_BYTES_MAX),
    MessageRetentionPeriod: String(limits.RETENTION_SECONDS_DEFAULT),
    DelaySeconds: '0',
    ReceiveMessageWaitTimeSeconds: '0',
    SqsManagedSseEnabled: 'true',
  };
  if (fifo) {
    attributes.FifoQueue = 'true';
    attributes.ContentBasedDeduplication = 'false';
    attributes.DeduplicationScope = 'queue';
    attributes.FifoThroughputLimit = 'perQueue';
  }
  return attributes;
}

/**
 * Checks settable attributes (values are strings on the wire) and returns them normalised.
 * Redrive policies are checked by the caller, which can look queues up.
 */
export function validateAttributes(input: Record<string, unknown>, fifo: boolean, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(input)) {
    if (READ_ONLY_ATTRIBUTES.includes(name) || !isKnownAttribute(name)) throw errors.unknownAttribute(name);
    const value = typeof raw === 'string' ? raw : String(raw);
    if (FIFO_ONLY.includes(name) && !fifo) {
      if (name === 'FifoQueue' && value.toLowerCase() === 'false' && creating) continue;
      throw errors.unknownAttribute(name);
    }
    const range = NUMERIC[name];
    if (range) {
      if (!/^-?\d+$/.test(value.trim()) || Number(value) < range[0] || Number(value) > range[1]) throw errors.invalidAttributeValue(name);
      out[name] = String(Number(value));
    } else if (BOOLEAN.includes(name)) {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw errors.invalidAttributeValue(name);
      if (name === 'FifoQueue' && !creating) throw errors.invalidAttributeValue(name);
      out[name] = lower;
    } else if (ENUMS[name]) {
      if (!ENUMS[name].includes(value)) throw errors.invalidAttributeValue(name);
      out[name] = value;
    } else {
      if (name === 'Policy') validateQueuePolicy(value);
      out[name] = value;
    }
  }
  return out;
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** Parses a RedrivePolicy value; `exists` answers whether a queue ARN names a queue. */
export function parseRedrivePolicy(value: string, fifo: boolean, lookup: (arn: string) => { fifo: boolean } | undefined): RedrivePolicy | null {
  if (value === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw errors.invalidAttributeValueReason('RedrivePolicy', 'Redrive policy is not a valid JSON map.');
  }
  const policy = parsed as Record<string, unknown>;
  if (!policy || typeof policy !== 'object' || typeof policy.deadLetterTargetArn !== 'string' || policy.maxReceiveCount === undefined) {
    throw errors.redrivePolicy(value, 'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  }
  const count = Number(policy.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > limits.MAX_RECEIVE_COUNT_MAX) {
    throw errors.redrivePolicy(value, `Invalid value for maxReceiveCount: ${String(policy.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`);
  }
  const target = lookup(policy.deadLetterTargetArn);
  if (!target) throw errors.redrivePolicy(value, 'Dead letter target does not exist.');
  if (target.fifo !== fifo) throw errors.redrivePolicy(value, 'Dead-letter queue type must match the source queue type.');
  return { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: count };
}

export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns?: string[];
}

export function parseRedriveAllowPolicy(value: string): RedriveAllowPolicy | null {
  if (value === '') return null;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw errors.invalidAttributeValueReason('RedriveAllowPolicy', 'Redrive allow policy is not a valid JSON map.');
  }
  const permission = parsed?.redrivePermission;
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw errors.invalidAttributeValueReason('RedriveAllowPolicy', 'Invalid value for redrivePermission.');
  }
  const sources = parsed.sourceQueueArns;
  if (permission === 'byQueue' && (!Array.isArray(sources) || sources.length === 0 || sources.length > 10)) {
    throw errors.invalidAttributeValueReason('RedriveAllowPolicy', 'Number of source queue arns should be between 1 and 10 for byQueue redrive permission.');
  }
  if (permission !== 'byQueue' && sources !== undefined) {
    throw errors.invalidAttributeValueReason('RedriveAllowPolicy', 'sourceQueueArns can only be specified with byQueue redrive permission.');
  }
  return { redrivePermission: permission, sourceQueueArns: sources as string[] | undefined };
}

/** Whether a DLQ's RedriveAllowPolicy lets `sourceArn` use it as dead-letter queue. */
export function redriveAllowed(policy: RedriveAllowPolicy | null, sourceArn: string): boolean {
  if (!policy || policy.redrivePermission === 'allowAll') return true;
  if (policy.redrivePermission === 'denyAll') return false;
  return policy.sourceQueueArns?.includes(sourceArn) ?? false;
}
