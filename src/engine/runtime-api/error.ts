import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeApiHost } from './host.js';
import { readInvocationBody } from './invocation-body.js';
import { acceptAfterAnswer } from './replies.js';

/** POST /2018-06-01/runtime/invocation/{id}/error — the body goes verbatim to the caller. */
export async function handleInvocationError(host: RuntimeApiHost, requestId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readInvocationBody(host, requestId, req, res);
  if (!body) return;
  acceptAfterAnswer(req, res);
  host.fail(requestId, body, errorTypeHeader(req));
}

export function errorTypeHeader(req: IncomingMessage): string | undefined {
  const value = req.headers['lambda-runtime-function-error-type'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
