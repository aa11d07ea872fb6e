import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeApiHost } from './host.js';
import { answerExtensionCall, extensionIdentifier } from './extension-replies.js';
import { replyJson } from './replies.js';

/** GET /2020-01-01/extension/event/next — long-polls for the extension's next INVOKE or SHUTDOWN. */
export function handleExtensionNext(host: RuntimeApiHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  return answerExtensionCall(req, res, async () => {
    req.resume();
    const abort = new AbortController();
    // 'close' also fires after a sent answer: aborting then would only build a DOMException.
    res.on('close', () => {
      if (!res.writableEnded) abort.abort();
    });
    const pending = host.extensions.next(extensionIdentifier(req), abort.signal);
    let event;
    try {
      event = await pending;
    } catch {
      return; // the extension went away while waiting
    }
    replyJson(res, 200, event, { 'lambda-extension-event-identifier': randomUUID() });
  });
}
