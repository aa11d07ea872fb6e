import { parseQueueArn } from './queue-arns.js';

export function encodeReceiptHandle(queueArnValue: string, messageId: string, token: string): string {
  return Buffer.from(`${messageId} ${token} ${queueArnValue}`, 'utf8').toString('base64');
}

export function decodeReceiptHandle(handle: string): { messageId: string; token: string; queueArn: string } | null {
  if (!/^[A-Za-z0-9+/=]+$/.test(handle)) return null;
  const parts = Buffer.from(handle, 'base64').toString('utf8').split(' ');
  if (parts.length !== 3 || !parseQueueArn(parts[2] as string)) return null;
  return { messageId: parts[0] as string, token: parts[1] as string, queueArn: parts[2] as string };
}
