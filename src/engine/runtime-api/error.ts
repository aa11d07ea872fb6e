import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESPONSE_PAYLOAD_MAX_BYTES } from '../limits.js';
import type { RuntimeApiHost } from './host.js';
import { readBodyCapped } from './read-body.js';
import { ACCEPTED, replyError, replyJson } from './replies.js';
import { invocationStateError } from './state-errors.js';

/** POST /2018-06-01/runtime/invocation/{id}/error — the body goes verbatim to the caller. */
export async function handleInvocationError(host: RuntimeApiHost, requestId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const refused = invocationStateError(host, requestId);
  if (refused) {
    req.resume();
    return replyError(res, refused.status, refused.errorType, refused.errorMessage);
  }
  const read = await readBodyCapped(req, RESPONSE_PAYLOAD_MAX_BYTES);
  if (!read.ok) {
    host.respondTooLarge(requestId, read.size);
    return replyError(res, 413, 'RequestEntityTooLarge', `Exceeded maximum allowed payload size (${RESPONSE_PAYLOAD_MAX_BYTES} bytes).`);
  }
  const late = invocationStateError(host, requestId);
  if (late) return replyError(res, late.status, late.errorType, late.errorMessage);
  host.fail(requestId, read.body, errorTypeHeader(req));
  replyJson(res, 202, ACCEPTED);
}

export function errorTypeHeader(req: IncomingMessage): string | undefined {
  const value = req.headers['lambda-runtime-function-error-type'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
