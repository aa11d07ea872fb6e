import type { EcrDeps, EcrOperation } from '../deps.js';
import { AUTH_TOKEN_TTL_MS } from '../limits.js';
import { registryHost } from '../names.js';

export function authorizationOperations(deps: EcrDeps): Record<string, EcrOperation> {
  return {
    /**
     * One token for the caller's registry in this region, `AWS:<password>` base64-encoded, valid
     * for 12 hours (AWS's `registryIds` are deprecated and ignored here as there).
     */
    async GetAuthorizationToken(_input, ctx) {
      const expiresAt = deps.clock.now() + AUTH_TOKEN_TTL_MS;
      const password = deps.tokens.issue(ctx.accessKeyId ?? '', ctx.region, expiresAt);
      return {
        authorizationData: [
          {
            authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'),
            expiresAt: expiresAt / 1000,
            proxyEndpoint: `http://${registryHost(ctx.accountId, ctx.region, ctx.endpoint.port)}`,
          },
        ],
      };
    },
  };
}
