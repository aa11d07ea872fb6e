import type { InternalRoute } from '../../contracts/internal-route.js';
import { verifyCodeToken } from './code-location.js';
import type { LambdaDeps } from './deps.js';

/** Serves the zip behind a `Code.Location` URL while its token is valid. */
export function codeDownloadRoute(deps: Pick<LambdaDeps, 'blobs' | 'clock' | 'codeUrlSecret'>): InternalRoute {
  return {
    method: 'GET',
    path: '/_lambkin/code/*',
    async handle(rawPath, query) {
      const hex = rawPath.slice('/_lambkin/code/'.length);
      const ok =
        /^[0-9a-f]{64}$/.test(hex) &&
        verifyCodeToken(deps.codeUrlSecret, hex, Number(query.get('expires')), query.get('token') ?? '', deps.clock.now());
      if (!ok || !(await deps.blobs.has(hex))) {
        return { status: 403, headers: { 'content-type': 'application/xml' }, body: '<Error><Code>AccessDenied</Code><Message>Request has expired or is invalid</Message></Error>' };
      }
      return { status: 200, headers: { 'content-type': 'application/zip' }, body: await deps.blobs.get(hex) };
    },
  };
}
