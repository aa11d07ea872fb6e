import type { RequestContext } from '../../../contracts/request-context.js';
import { errors } from '../errors.js';
import type { MessageMoveTasks } from '../message-move-tasks.js';
import { parseQueueUrl } from '../queue-arns.js';
import type { Queue, SqsQueues } from '../queues.js';

/** What every SQS operation handler gets: the queues, the request, and its input in JSON-protocol shape. */
export interface SqsCall {
  queues: SqsQueues;
  moveTasks: MessageMoveTasks;
  ctx: RequestContext;
  input: Record<string, unknown>;
}

export type SqsOperation = (call: SqsCall) => Promise<Record<string, unknown> | undefined>;

export function requiredString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (value === undefined || value === null || value === '') throw errors.missingParameter(name);
  if (typeof value !== 'string') throw errors.invalidParameter(name, JSON.stringify(value), 'Must be a string.');
  return value;
}

export function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw errors.invalidParameter(name, JSON.stringify(value), 'Must be a string.');
  return value;
}

/** An integer member; query clients send numbers as strings. */
export function optionalInteger(input: Record<string, unknown>, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw errors.invalidParameter(name, value, 'Must be an integer.');
  return n;
}

export function integerInRange(input: Record<string, unknown>, name: string, min: number, max: number, reason: string): number | undefined {
  const n = optionalInteger(input, name);
  if (n !== undefined && (n < min || n > max)) throw errors.invalidParameter(name, n, reason);
  return n;
}

export function stringList(input: Record<string, unknown>, name: string): string[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw errors.invalidParameter(name, JSON.stringify(value), 'Must be a list of strings.');
  return value as string[];
}

export function stringMap(input: Record<string, unknown>, name: string): Record<string, string> {
  const value = input[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw errors.invalidParameter(name, JSON.stringify(value), 'Must be a map.');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = typeof v === 'string' ? v : String(v);
  return out;
}

/** The queue a `QueueUrl` names (path-style or `sqs.<region>.…` host-style), or QueueDoesNotExist. */
export function queueFromUrl(call: SqsCall): Queue {
  const url = requiredString(call.input, 'QueueUrl');
  const parsed = parseQueueUrl(url);
  const queue = parsed && call.queues.find({ accountId: parsed.accountId, region: parsed.region ?? call.ctx.region }, parsed.name);
  if (!queue) throw errors.queueDoesNotExist();
  return queue;
}

export function scopeOf(call: SqsCall) {
  return { accountId: call.ctx.accountId, region: call.ctx.region };
}
