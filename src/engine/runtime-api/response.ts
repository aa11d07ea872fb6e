import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESPONSE_PAYLOAD_MAX_BYTES } from '../limits.js';
import type { RuntimeApiHost } from './host.js';
import { readBodyCapped } from './read-body.js';
import { ACCEPTED, replyError, replyJson } from './replies.js';
import { invocationStateError } from './state-errors.js';

/** POST /2018-06-01/runtime/invocation/{id}/response — the function's result. */
export async function handleResponse(host: RuntimeApiHost, requestId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const refused = invocationStateError(host, requestId);
  if (refused) {
    req.resume();
    return replyError(res, refused.status, refused.errorType, refused.errorMessage);
  }
  const read = await readBodyCapped(req, RESPONSE_PAYLOAD_MAX_BYTES);
  if (!read.ok) {
    host.respondTooLarge(requestId, read.size);
    return replyError(
      res,
      413,
      'RequestEntityTooLarge',
      `Exceeded maximum allowed payload size (${RESPONSE_PAYLOAD_MAX_BYTES} bytes).`,
    );
  }
  // Re-check: the invocation may have timed out while the body was arriving.
  const late = invocationStateError(host, requestId);
  if (late) return replyError(res, late.status, late.errorType, late.errorMessage);
  host.respond(requestId, read.body);
  replyJson(res, 202, ACCEPTED);
}
