import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeApiHost } from './host.js';
import { readInvocationBody } from './invocation-body.js';
import { ACCEPTED, replyJson } from './replies.js';
import { handleStreamingResponse, RESPONSE_MODE_HEADER } from './streaming-response.js';

/** POST /2018-06-01/runtime/invocation/{id}/response — the function's result. */
export async function handleResponse(host: RuntimeApiHost, requestId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.headers[RESPONSE_MODE_HEADER] !== undefined) return handleStreamingResponse(host, requestId, req, res);
  const body = await readInvocationBody(host, requestId, req, res);
  if (!body) return;
  // The caller's answer is written first (it follows from promise callbacks, which run before
  // this), the runtime's acknowledgement right after: the 202 is off the caller's critical path.
  setImmediate(() => replyJson(res, 202, ACCEPTED));
  host.respond(requestId, body);
}
