import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { CredentialSource } from '../../../auth/credential.js';
import { principalOf } from '../../../auth/credentials.js';
import type { Principal } from '../../../contracts/principal.js';
import type { RegistryTokens } from '../auth-token.js';
import { DEFAULT_REGION } from '../limits.js';
import { parseRegistryHost } from '../names.js';
import { registryErrors } from './errors.js';

/** Whose registry a request reads or writes, and who asks (held to IAM policies as with any service). */
export interface RegistryCaller {
  accountId: string;
  region: string;
  principal: Principal;
}

/**
 * Registry requests carry HTTP Basic credentials, as `docker login`, `podman login` and `skopeo`
 * send them after the 401 challenge: either `AWS:<password>` from GetAuthorizationToken (the
 * region is the token's), or an access key id and its secret (the region is the host's, else
 * us-east-1). The account is the key's; a host naming another account is refused.
 */
export async function authenticateRegistryRequest(
  deps: { credentials: CredentialSource; tokens: RegistryTokens; now: () => number },
  headers: IncomingHttpHeaders,
): Promise<RegistryCaller> {
  const host = headers.host ?? '';
  const named = parseRegistryHost(host);
  const realm = `http://${host}/`;
  const basic = /^Basic\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (!basic) throw registryErrors.unauthorized(realm);
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw registryErrors.badCredentials(realm);
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  let caller: RegistryCaller | null = null;
  if (user === 'AWS') {
    const claims = deps.tokens.verify(password, deps.now());
    const credential = claims ? await deps.credentials.lookup(claims.accessKeyId) : null;
    if (claims && credential) caller = { accountId: credential.accountId, region: claims.region, principal: principalOf(credential) };
  } else {
    const credential = await deps.credentials.lookup(user);
    if (credential && sameText(credential.secretAccessKey, password)) {
      caller = { accountId: credential.accountId, region: named?.region ?? DEFAULT_REGION, principal: principalOf(credential) };
    }
  }
  if (!caller) throw registryErrors.badCredentials(realm);
  if (named && named.accountId !== caller.accountId) {
    throw registryErrors.denied(`Your authorization token is for account ${caller.accountId}, not the registry of account ${named.accountId}.`);
  }
  if (named && named.region !== caller.region) {
    throw registryErrors.denied(`Your authorization token is for region ${caller.region}, not ${named.region}.`);
  }
  return caller;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
