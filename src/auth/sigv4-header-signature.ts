import { createHmac } from 'node:crypto';
import {
  ALGORITHM_IDENTIFIER, AMZ_DATE_HEADER, createScope, getCanonicalHeaders, getPayloadHash, prepareRequest, SignatureV4Base,
  type SignatureV4CryptoInit, type SignatureV4Init,
} from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/protocol-http';

/**
 * The signature of a header-signed request, over the library's own canonical request and string
 * to sign; only the signing key comes from the caller. SignatureV4.sign finds its cached key by an
 * HMAC of the secret on every call, and routes through credential and region providers: a fair
 * share of verifying each request, which a caller keeping its own derived keys avoids.
 */
export class HeaderSignature extends SignatureV4Base {
  constructor(init: SignatureV4Init & SignatureV4CryptoInit) {
    super(init);
  }

  /**
   * What SignatureV4.signRequest computes (its signer holds no session token and adds no checksum),
   * with the key `signingKey` gives for the signing date's day.
   */
  async compute(
    request: HttpRequest,
    options: { signingDate: Date; signableHeaders: Set<string>; region: string; signingKey: (shortDate: string) => Buffer },
  ): Promise<string> {
    const prepared = prepareRequest(request);
    const { longDate, shortDate } = this.formatDate(options.signingDate);
    const scope = createScope(shortDate, options.region, this.service);
    prepared.headers[AMZ_DATE_HEADER] = longDate;
    const payloadHash = await getPayloadHash(prepared, this.sha256);
    const canonicalHeaders = getCanonicalHeaders(prepared, undefined, options.signableHeaders);
    const canonicalRequest = this.createCanonicalRequest(prepared, canonicalHeaders, payloadHash);
    const stringToSign = await this.createStringToSign(longDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
    return createHmac('sha256', options.signingKey(shortDate)).update(stringToSign, 'utf8').digest('hex');
  }
}
