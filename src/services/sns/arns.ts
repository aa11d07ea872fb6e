import { randomUUID } from 'node:crypto';
import { snsErrors } from './errors.js';

export interface TopicRef {
  accountId: string;
  region: string;
  name: string;
  arn: string;
}

export function topicArn(region: string, accountId: string, name: string): string {
  return `arn:aws:sns:${region}:${accountId}:${name}`;
}

export function newSubscriptionArn(topic: string): string {
  return `${topic}:${randomUUID()}`;
}

/**
 * Parses a topic ARN as AWS validates it: fewer than 6 colon-separated parts is a malformed ARN
 * (`Reason: An ARN must have at least 6 elements, not N`).
 */
export function parseTopicArn(arn: string, parameter = 'TopicArn'): TopicRef {
  const parts = arn.split(':');
  if (parts.length < 6) throw snsErrors.arnTooShort(parameter, parts.length);
  if (parts[0] !== 'arn' || parts[2] !== 'sns' || parts.length !== 6) throw snsErrors.invalidParameter(parameter);
  return { region: parts[3] ?? '', accountId: parts[4] ?? '', name: parts[5] ?? '', arn };
}

export function parseSubscriptionArn(arn: string): { topicArn: string; region: string; accountId: string } {
  const parts = arn.split(':');
  if (parts.length < 6) throw snsErrors.arnTooShort('SubscriptionArn', parts.length);
  if (parts[0] !== 'arn' || parts[2] !== 'sns' || parts.length !== 7) throw snsErrors.invalidParameter('SubscriptionId');
  return { topicArn: parts.slice(0, 6).join(':'), region: parts[3] ?? '', accountId: parts[4] ?? '' };
}

/** Standard names: 1–256 of A-Z a-z 0-9 _ -; FIFO names the same plus the `.fifo` suffix. */
export function isValidTopicName(name: string, fifo: boolean): boolean {
  if (fifo) return /^[A-Za-z0-9_-]{1,251}\.fifo$/.test(name);
  return /^[A-Za-z0-9_-]{1,256}$/.test(name);
}
