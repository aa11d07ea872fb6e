import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExtensionApiError } from '../extensions/extension-hub.js';
import { replyError } from './replies.js';

export function extensionIdentifier(req: IncomingMessage): string | undefined {
  const value = req.headers['lambda-extension-identifier'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Runs an Extensions API handler, turning its refusals into `{"errorMessage","errorType"}` replies. */
export async function answerExtensionCall(req: IncomingMessage, res: ServerResponse, handler: () => Promise<void> | void): Promise<void> {
  try {
    await handler();
  } catch (err) {
    if (!(err instanceof ExtensionApiError)) throw err;
    req.resume();
    replyError(res, err.status, err.errorType, err.message);
  }
}
