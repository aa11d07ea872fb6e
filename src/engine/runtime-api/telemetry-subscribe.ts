import type { IncomingMessage, ServerResponse } from 'node:http';
import { TelemetryValidationError } from '../extensions/telemetry-subscription.js';
import type { RuntimeApiHost } from './host.js';
import { answerExtensionCall, extensionIdentifier } from './extension-replies.js';
import { readBodyCapped } from './read-body.js';
import { replyError } from './replies.js';

const SUBSCRIBE_BODY_MAX_BYTES = 64 * 1024;

/**
 * PUT /2022-07-01/telemetry (Telemetry API) and PUT /2020-08-15/logs (the older Logs API, served
 * by the same subscriptions): 200 `OK`, or 400 for a body that does not validate.
 */
export function handleTelemetrySubscribe(host: RuntimeApiHost, api: 'telemetry' | 'logs', req: IncomingMessage, res: ServerResponse): Promise<void> {
  return answerExtensionCall(req, res, async () => {
    const ext = host.extensions.lookup(extensionIdentifier(req));
    const read = await readBodyCapped(req, SUBSCRIBE_BODY_MAX_BYTES);
    if (!read.ok) return replyError(res, 400, 'ValidationError', 'The request body is too large');
    let body: unknown;
    try {
      body = JSON.parse(read.body.toString('utf8'));
    } catch {
      return replyError(res, 400, 'ValidationError', 'The request body is not valid JSON');
    }
    try {
      host.extensions.telemetry.subscribe(ext.name, body, api);
    } catch (err) {
      if (err instanceof TelemetryValidationError) return replyError(res, 400, 'ValidationError', err.message);
      throw err;
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
    res.end('OK');
  });
}
