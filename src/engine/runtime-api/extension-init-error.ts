import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeApiHost } from './host.js';
import { answerExtensionCall, extensionIdentifier } from './extension-replies.js';
import { extensionErrorType } from './extension-exit-error.js';
import { readBodyCapped } from './read-body.js';
import { ACCEPTED, replyJson } from './replies.js';
import { RESPONSE_PAYLOAD_MAX_BYTES } from '../limits.js';

/** POST /2020-01-01/extension/init/error — the extension failed to initialize; so does the environment. */
export function handleExtensionInitError(host: RuntimeApiHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  return answerExtensionCall(req, res, async () => {
    const id = extensionIdentifier(req);
    host.extensions.lookup(id);
    await readBodyCapped(req, RESPONSE_PAYLOAD_MAX_BYTES);
    const errorType = extensionErrorType(req);
    const { name, duringInit } = host.extensions.reportError(id, 'init', errorType);
    if (duringInit) host.extensionInitFailed(name, errorType);
    replyJson(res, 202, ACCEPTED);
  });
}
