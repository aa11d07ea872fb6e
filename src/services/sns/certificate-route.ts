import type { InternalRoute } from '../../contracts/internal-route.js';
import { SIGNING_CERT_PATH } from './notification.js';
import type { SigningKeys } from './signing.js';

/** `GET` SigningCertURL: the X.509 certificate of the key this server signs messages with. */
export function signingCertificateRoute(keys: SigningKeys): InternalRoute {
  return {
    method: 'GET',
    path: SIGNING_CERT_PATH,
    async handle() {
      const key = await keys.get();
      return { status: 200, headers: { 'content-type': 'application/x-pem-file' }, body: key.certificatePem };
    },
  };
}
