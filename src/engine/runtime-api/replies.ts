import type { IncomingMessage, ServerResponse } from 'node:http';
import { replyBeforePoll } from './pipelined-poll.js';

export function replyJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The Runtime API's own error shape (RIE rendering.go). */
export function replyError(res: ServerResponse, status: number, errorType: string, errorMessage: string): void {
  replyJson(res, status, { errorMessage, errorType });
}

export const ACCEPTED = { status: 'OK' };

/**
 * The runtime's 202 for a response or error it posted, written after the caller's answer: that
 * answer follows from promise callbacks, which run before this, so the 202 stays off its path.
 * A `next` poll already waiting behind it on the connection takes it along (pipelined-poll.ts).
 */
export function acceptAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  setImmediate(() => replyBeforePoll(req.socket, () => replyJson(res, 202, ACCEPTED)));
}
