import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESPONSE_PAYLOAD_MAX_BYTES } from '../limits.js';
import { errorTypeHeader } from './error.js';
import type { RuntimeApiHost } from './host.js';
import { readBodyCapped } from './read-body.js';
import { ACCEPTED, replyError, replyJson } from './replies.js';

/** POST /2018-06-01/runtime/init/error — init failed; the pending invoke gets this body. */
export async function handleInitError(host: RuntimeApiHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const read = await readBodyCapped(req, RESPONSE_PAYLOAD_MAX_BYTES);
  if (!read.ok) return replyError(res, 413, 'RequestEntityTooLarge', `Exceeded maximum allowed payload size (${RESPONSE_PAYLOAD_MAX_BYTES} bytes).`);
  host.initError(read.body, errorTypeHeader(req));
  replyJson(res, 202, ACCEPTED);
}
