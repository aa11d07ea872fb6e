import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESPONSE_PAYLOAD_MAX_BYTES, STREAMED_RESPONSE_MAX_BYTES } from '../limits.js';
import type { RuntimeApiHost } from './host.js';
import { ACCEPTED, replyError, replyJson } from './replies.js';
import { invocationStateError } from './state-errors.js';

export const RESPONSE_MODE_HEADER = 'lambda-runtime-function-response-mode';
const ERROR_TYPE_TRAILER = 'lambda-runtime-function-error-type';
const ERROR_BODY_TRAILER = 'lambda-runtime-function-error-body';

/**
 * POST `/response` with `Lambda-Runtime-Function-Response-Mode: streaming` (RIE
 * invocationresponse.go): chunks go to the invocation's stream sink as they arrive; error
 * trailers or a cut stream fail the invocation. A caller that did not ask for a stream (Invoke)
 * gets the whole body, capped like any buffered response.
 */
export async function handleStreamingResponse(host: RuntimeApiHost, requestId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const mode = req.headers[RESPONSE_MODE_HEADER];
  const refused = invocationStateError(host, requestId);
  if (refused) {
    req.resume();
    return replyError(res, refused.status, refused.errorType, refused.errorMessage);
  }
  if (mode !== 'streaming') {
    req.resume();
    const body = { errorType: 'Runtime.InvalidResponseModeHeader', errorMessage: `Invalid response mode header value: ${String(mode)}` };
    host.fail(requestId, Buffer.from(JSON.stringify(body)), body.errorType);
    return replyError(res, 400, 'InvalidFunctionResponseMode', body.errorMessage);
  }
  const contentType = typeof req.headers['content-type'] === 'string' ? req.headers['content-type'] : 'application/octet-stream';
  const sink = host.responseStreamOf?.(requestId);
  const limit = sink ? STREAMED_RESPONSE_MAX_BYTES : RESPONSE_PAYLOAD_MAX_BYTES;
  sink?.start(contentType);
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  const complete = await new Promise<boolean>((resolve) => {
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (over) return;
      if (sink) sink.write(chunk);
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(true));
    req.on('aborted', () => resolve(false));
    req.on('error', () => resolve(false));
    // Some disconnects surface only as 'close'; a request closed before its end is a cut stream.
    req.on('close', () => resolve(req.complete));
  });
  if (over) {
    if (sink) sink.end({ errorType: 'Function.ResponseSizeTooLarge', body: Buffer.from('{"errorType":"Function.ResponseSizeTooLarge"}') });
    host.respondTooLarge(requestId, size);
    return replyError(res, 413, 'RequestEntityTooLarge', `Exceeded maximum allowed payload size (${limit} bytes).`);
  }
  const trailerType = req.trailers[ERROR_TYPE_TRAILER];
  if (!complete || trailerType) {
    const errorType = trailerType ?? 'Runtime.TruncatedResponse';
    const encoded = req.trailers[ERROR_BODY_TRAILER];
    const body = encoded
      ? Buffer.from(encoded, 'base64')
      : Buffer.from(JSON.stringify({ errorType, errorMessage: 'Response stream was not completed.' }));
    sink?.end({ errorType, body });
    host.fail(requestId, body, errorType);
    if (!complete) return;
    return replyJson(res, 202, ACCEPTED);
  }
  sink?.end();
  host.respond(requestId, sink ? Buffer.alloc(0) : Buffer.concat(chunks, size));
  replyJson(res, 202, ACCEPTED);
}
