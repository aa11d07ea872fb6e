import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FunctionUrlDoor } from './function-urls.js';
import { hostnameOf, splitUrl } from './incoming.js';

/** Takes a request on the main port before service identification; undefined = not a front door's. */
export type FrontDoorDispatch = (req: IncomingMessage, res: ServerResponse) => Promise<void> | undefined;

export interface HttpApiDoorLike {
  serve(req: IncomingMessage, res: ServerResponse, target: { apiId: string; rawPath: string; rawQuery: string }): Promise<void>;
}

const URL_HOST = /^([a-z0-9]+)\.lambda-url\.[a-z0-9-]+\.(?:localhost|on\.aws)$/;
const API_HOST = /^([a-z0-9]+)\.execute-api\.(?:[a-z0-9-]+\.)?(?:localhost|amazonaws\.com)$/;
/** Path-style fallbacks for clients that cannot resolve `*.localhost` names. */
export const URL_PATH_PREFIX = '/_lambkin/url/';
export const API_PATH_PREFIX = '/_lambkin/apis/';

/**
 * Host-style names first (`<url-id>.lambda-url.<region>.localhost`, `<api-id>.execute-api.localhost`),
 * then the path-style prefixes. Cheap enough to run on every request: one regex on the host.
 */
export function frontDoorDispatch(doors: { urls: FunctionUrlDoor; apis?: HttpApiDoorLike }): FrontDoorDispatch {
  return (req, res) => {
    const url = req.url ?? '/';
    const host = req.headers.host;
    if (host && (host.includes('.lambda-url.') || host.includes('.execute-api.'))) {
      const hostname = hostnameOf(host);
      const { rawPath, rawQuery } = splitUrl(url);
      const urlMatch = URL_HOST.exec(hostname);
      if (urlMatch) return doors.urls.serve(req, res, { urlId: urlMatch[1]!, rawPath, rawQuery, signedPath: rawPath });
      const apiMatch = API_HOST.exec(hostname);
      if (apiMatch && doors.apis) return doors.apis.serve(req, res, { apiId: apiMatch[1]!, rawPath, rawQuery });
    }
    if (!url.startsWith('/_lambkin/')) return undefined;
    const { rawPath, rawQuery } = splitUrl(url);
    if (rawPath.startsWith(URL_PATH_PREFIX)) {
      const rest = rawPath.slice(URL_PATH_PREFIX.length);
      const slash = rest.indexOf('/');
      const urlId = slash >= 0 ? rest.slice(0, slash) : rest;
      return doors.urls.serve(req, res, { urlId, rawPath: slash >= 0 ? rest.slice(slash) : '/', rawQuery, signedPath: rawPath });
    }
    if (rawPath.startsWith(API_PATH_PREFIX) && doors.apis) {
      const rest = rawPath.slice(API_PATH_PREFIX.length);
      const slash = rest.indexOf('/');
      const apiId = slash >= 0 ? rest.slice(0, slash) : rest;
      return doors.apis.serve(req, res, { apiId, rawPath: slash >= 0 ? rest.slice(slash) : '/', rawQuery });
    }
    return undefined;
  };
}
