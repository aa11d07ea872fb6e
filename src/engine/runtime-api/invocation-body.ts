import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESPONSE_PAYLOAD_MAX_BYTES } from '../limits.js';
import type { RuntimeApiHost } from './host.js';
import { readBodyCapped } from './read-body.js';
import { replyError } from './replies.js';
import { invocationStateError } from './state-errors.js';

/**
 * The body of a `response` or `error` post for `requestId`, or null once the refusal (wrong state,
 * over the payload cap) has been answered. The state is checked again after reading: the
 * invocation may have timed out while the body was arriving.
 */
export async function readInvocationBody(host: RuntimeApiHost, requestId: string, req: IncomingMessage, res: ServerResponse): Promise<Buffer | null> {
  const refused = invocationStateError(host, requestId);
  if (refused) {
    req.resume();
    replyError(res, refused.status, refused.errorType, refused.errorMessage);
    return null;
  }
  const read = await readBodyCapped(req, RESPONSE_PAYLOAD_MAX_BYTES);
  if (!read.ok) {
    host.respondTooLarge(requestId, read.size);
    replyError(res, 413, 'RequestEntityTooLarge', `Exceeded maximum allowed payload size (${RESPONSE_PAYLOAD_MAX_BYTES} bytes).`);
    return null;
  }
  const late = invocationStateError(host, requestId);
  if (late) {
    replyError(res, late.status, late.errorType, late.errorMessage);
    return null;
  }
  return read.body;
}
