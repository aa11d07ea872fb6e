import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExtensionApiError } from '../extensions/extension-hub.js';
import type { RuntimeApiHost } from './host.js';
import { readBodyCapped } from './read-body.js';
import { answerExtensionCall } from './extension-replies.js';
import { replyJson } from './replies.js';

const REGISTER_BODY_MAX_BYTES = 64 * 1024;

/** POST /2020-01-01/extension/register — only while the environment is initializing. */
export function handleExtensionRegister(host: RuntimeApiHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  return answerExtensionCall(req, res, async () => {
    const name = req.headers['lambda-extension-name'];
    const read = await readBodyCapped(req, REGISTER_BODY_MAX_BYTES);
    let body: { events?: unknown } = {};
    try {
      body = read.ok && read.body.length > 0 ? (JSON.parse(read.body.toString('utf8')) as typeof body) : {};
    } catch (err) {
      throw new ExtensionApiError('InvalidRequestFormat', (err as Error).message);
    }
    const registered = host.extensions.register(typeof name === 'string' ? name : '', body?.events);
    const features = String(req.headers['lambda-extension-accept-feature'] ?? '').split(',').map((f) => f.trim());
    const response: Record<string, string> = { ...registered.body };
    if (features.includes('accountId')) response.accountId = host.accountId;
    replyJson(res, 200, response, { 'lambda-extension-identifier': registered.id });
  });
}
