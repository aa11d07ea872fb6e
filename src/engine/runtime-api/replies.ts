import type { ServerResponse } from 'node:http';

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
