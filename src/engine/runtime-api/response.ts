import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeApiHost } from './host.js';
import { readInvocationBody } from './invocation-body.js';
import { acceptAfterAnswer } from './replies.js';
import { handleStreamingResponse, RESPONSE_MODE_HEADER } from './streaming-response.js';

/** POST /2018-06-01/runtime/invocation/{id}/response — the function's result. */
export async function handleResponse(host: RuntimeApiHost, requestId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.headers[RESPONSE_MODE_HEADER] !== undefined) return handleStreamingResponse(host, requestId, req, res);
  const body = await readInvocationBody(host, requestId, req, res);
  if (!body) return;
  acceptAfterAnswer(req, res);
  host.respond(requestId, body);
}
