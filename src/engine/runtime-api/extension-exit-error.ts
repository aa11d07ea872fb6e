import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESPONSE_PAYLOAD_MAX_BYTES } from '../limits.js';
import type { RuntimeApiHost } from './host.js';
import { answerExtensionCall, extensionIdentifier } from './extension-replies.js';
import { readBodyCapped } from './read-body.js';
import { ACCEPTED, replyJson } from './replies.js';

/** POST /2020-01-01/extension/exit/error — the extension reports an error before exiting. */
export function handleExtensionExitError(host: RuntimeApiHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  return answerExtensionCall(req, res, async () => {
    const id = extensionIdentifier(req);
    host.extensions.lookup(id);
    await readBodyCapped(req, RESPONSE_PAYLOAD_MAX_BYTES);
    host.extensions.reportError(id, 'exit', extensionErrorType(req));
    replyJson(res, 202, ACCEPTED);
  });
}

export function extensionErrorType(req: IncomingMessage): string {
  const value = req.headers['lambda-extension-function-error-type'];
  return typeof value === 'string' && value !== '' ? value : 'Extension.Unknown';
}
