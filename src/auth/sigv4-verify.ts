import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Clock } from '../clock.js';
import type { ChunkSigningContext } from '../contracts/request-context.js';
import { stringToSign } from './sigv4-canonical.js';
import type { Credential, CredentialSource } from './credentials.js';
import { authErrors } from './auth-errors.js';
import { isSigV2Query, sigV2Matches } from './sigv2-query.js';
import { formatAmzDate, parseAmzDate, parseSignature } from './sigv4-parse.js';
import { headerValue } from '../protocols/header-value.js';
import { sha256 } from './session-credentials.js';

const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGN_EXPIRES_SECONDS = 7 * 24 * 3600;
const MAX_CACHED_SIGNERS = 1000;

export interface VerifiedCaller {
  credential: Credential;
  region: string;
  service: string;
  /** Header-signed requests only: the seed for `aws-chunked` chunk signatures. */
  chunkSigning?: ChunkSigningContext;
}

export interface SignedRequest {
  method: string;
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

class Sha256 extends Hash {
  constructor(secret?: Parameters<typeof Hash.prototype.update>[0]) {
    super('sha256', secret as never);
  }
}

/** What verifying one caller's requests to one region and service needs, kept between requests. */
interface SignerEntry {
  secret: string;
  /** Presigned URLs are rare: their signer is made on first use. */
  presigner?: SignatureV4;
  /** The signing key of the latest date seen (keys are per day). */
  keyDate?: string;
  key?: Buffer;
}

/**
 * Recomputes the caller's SigV4 signature over exactly the headers the caller says it signed, and
 * compares: header-signed requests (every SDK call) through sigv4-canonical, which builds the bytes
 * the AWS SDK's signer builds; presigned URLs, rare, through that signer itself.
 */
export class SigV4Verifier {
  private readonly signers = new Map<string, SignerEntry>();

  constructor(
    private readonly credentials: CredentialSource,
    private readonly clock: Clock,
  ) {}

  async verify(request: SignedRequest): Promise<VerifiedCaller> {
    if (isSigV2Query(request.query)) return this.verifySigV2(request);
    const parsed = parseSignature(request.headers, request.query);
    if (!parsed.ok) {
      if (parsed.reason === 'missing') throw authErrors.missingAuthentication();
      throw authErrors.incompleteSignature(parsed.detail ?? 'Incomplete signature');
    }
    const parts = parsed.parts;
    const credential = await this.credentials.lookup(parts.accessKeyId);
    if (!credential) throw authErrors.unrecognizedClient();
    checkSessionToken(credential, request.headers['x-amz-security-token'] ?? request.query.get('X-Amz-Security-Token'));

    const signedAt = parseAmzDate(parts.amzDate);
    const now = this.clock.now();
    if (parts.form === 'header') {
      if (now - signedAt > MAX_CLOCK_SKEW_MS) {
        throw authErrors.signatureExpired(parts.amzDate, formatAmzDate(now), formatAmzDate(now - MAX_CLOCK_SKEW_MS));
      }
      if (signedAt - now > MAX_CLOCK_SKEW_MS) {
        throw authErrors.signatureNotYetCurrent(parts.amzDate, formatAmzDate(now), formatAmzDate(now + MAX_CLOCK_SKEW_MS));
      }
    } else {
      const expires = parts.expiresSeconds ?? 0;
      if (expires < 1 || expires > MAX_PRESIGN_EXPIRES_SECONDS || now > signedAt + expires * 1000) {
        throw authErrors.presignedExpired();
      }
    }

    const expected = await this.computeSignature(request, parts.form, credential, parts);
    const a = Buffer.from(expected);
    const b = Buffer.from(parts.signature);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw authErrors.signatureMismatch();
    const caller: VerifiedCaller = { credential, region: parts.region, service: parts.service };
    if (parts.form === 'header') {
      caller.chunkSigning = {
        seedSignature: parts.signature,
        amzDate: parts.amzDate,
        scope: `${parts.date}/${parts.region}/${parts.service}/aws4_request`,
        // The key the signature was just checked with (kept per caller and day, not derived again).
        signingKey: this.signingKeyOf(this.signerFor(credential, parts.region, parts.service), parts.date, parts.region, parts.service),
      };
    }
    return caller;
  }

  /** S3's legacy presigned URLs; the region is not part of them, so the caller's default applies. */
  private async verifySigV2(request: SignedRequest): Promise<VerifiedCaller> {
    const credential = await this.credentials.lookup(request.query.get('AWSAccessKeyId') ?? '');
    if (!credential) throw authErrors.unrecognizedClient();
    checkSessionToken(credential, request.headers['x-amz-security-token'] ?? request.query.get('x-amz-security-token'));
    const expires = Number(request.query.get('Expires'));
    if (!Number.isFinite(expires) || this.clock.now() > expires * 1000) throw authErrors.presignedExpired();
    if (!sigV2Matches(request, credential.secretAccessKey)) throw authErrors.signatureMismatch();
    return { credential, region: 'us-east-1', service: 's3' };
  }

  private signerFor(credential: Credential, region: string, service: string): SignerEntry {
    const key = `${credential.accessKeyId}\0${region}\0${service}`;
    let entry = this.signers.get(key);
    // A rotated secret makes a new entry: nothing derived from the old one may be used again.
    if (!entry || entry.secret !== credential.secretAccessKey) {
      // Region and service come from the caller before the signature is checked: keep this bounded.
      if (this.signers.size >= MAX_CACHED_SIGNERS) this.signers.clear();
      entry = { secret: credential.secretAccessKey };
      this.signers.set(key, entry);
    }
    return entry;
  }

  /** The entry's signing key for `date`, derived once a day rather than looked up by an HMAC per request. */
  private signingKeyOf(entry: SignerEntry, date: string, region: string, service: string): Buffer {
    if (entry.keyDate !== date || !entry.key) {
      entry.key = signingKey(entry.secret, date, region, service);
      entry.keyDate = date;
    }
    return entry.key;
  }

  private async computeSignature(
    request: SignedRequest,
    form: 'header' | 'query',
    credential: Credential,
    parts: { region: string; service: string; signedHeaders: string[]; amzDate: string; expiresSeconds?: number },
  ): Promise<string> {
    const entry = this.signerFor(credential, parts.region, parts.service);
    if (form === 'header') {
      const { stringToSign: text, shortDate } = stringToSign({
        method: request.method, rawPath: request.rawPath, query: request.query, headers: request.headers, body: request.body,
        signedHeaders: parts.signedHeaders, signedAt: parseAmzDate(parts.amzDate), region: parts.region, service: parts.service,
        uriEscapePath: parts.service !== 's3',
      });
      return createHmac('sha256', this.signingKeyOf(entry, shortDate, parts.region, parts.service)).update(text, 'utf8').digest('hex');
    }
    const signed = new Set(parts.signedHeaders);
    const headers: Record<string, string> = {};
    for (const name of parts.signedHeaders) {
      const value = headerValue(request.headers[name]);
      if (value !== undefined) headers[name] = value;
    }
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of request.query) {
      if (k === 'X-Amz-Signature') continue;
      const prior = query[k];
      query[k] = prior === undefined ? v : Array.isArray(prior) ? [...prior, v] : [prior, v];
    }
    const signingDate = new Date(parseAmzDate(parts.amzDate));
    const host = headers.host ?? '';
    const httpRequest = new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: host,
      path: request.rawPath,
      query,
      headers,
      body: request.body.length > 0 ? request.body : undefined,
    });
    // S3 presigned URLs sign an unsigned payload (the AWS SDK also names it in the query); the hash
    // goes into the canonical request, but the header is neither signed nor hoisted into the query.
    const payloadOnly = new Set<string>();
    if (!headers['x-amz-content-sha256'] && parts.service === 's3') {
      headers['x-amz-content-sha256'] = request.query.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
      payloadOnly.add('x-amz-content-sha256');
    }
    entry.presigner ??= new SignatureV4(signerInit(credential, parts.region, parts.service));
    const out = await entry.presigner.presign(httpRequest, {
      signingDate,
      expiresIn: parts.expiresSeconds,
      signableHeaders: signed,
      unhoistableHeaders: payloadOnly,
      unsignableHeaders: payloadOnly,
    });
    const sig = out.query?.['X-Amz-Signature'];
    return typeof sig === 'string' ? sig : '';
  }
}

/**
 * Temporary credentials are only good with their session token (AWS: "The security token included
 * in the request is invalid."). Long-term keys ignore any token sent with them, as before.
 */
function checkSessionToken(credential: Credential, given: string | string[] | null | undefined): void {
  if (credential.sessionTokenSha256 === undefined) return;
  const token = Array.isArray(given) ? given[0] : given;
  if (!token) throw authErrors.unrecognizedClient();
  const a = Buffer.from(sha256(token));
  const b = Buffer.from(credential.sessionTokenSha256);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw authErrors.unrecognizedClient();
}

function signerInit(credential: Credential, region: string, service: string) {
  return {
    credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey },
    region,
    service,
    sha256: Sha256,
    // Only the caller's signed headers may enter the canonical request; never add our own.
    applyChecksum: false,
    // S3 signs the path as sent; every other service escapes it once more.
    uriEscapePath: service !== 's3',
  };
}

/** The SigV4 signing key (also what S3 POST forms sign their policy with). */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}
