import cbor from 'cbor';
import type { IncomingHttpHeaders } from 'node:http';
import type { AwsError } from '../contracts/aws-error.js';
import type { ServiceResponse } from '../contracts/request-context.js';
import { headerValue } from './header-value.js';

/**
 * AWS's CBOR flavour of awsJson 1.1 (`application/x-amz-cbor-1.1`), which the Java SDKs use for
 * Kinesis by default: same `X-Amz-Target` and members, the body a CBOR map, blobs as byte
 * strings, and timestamps as tag 1 over integer epoch *milliseconds* (what the service sends and
 * the SDKs read, although RFC 8949 defines tag 1 in seconds).
 */
export const CBOR_CONTENT_TYPE = 'application/x-amz-cbor-1.1';

export class CborBodyInvalid extends Error {}

export function isCborRequest(headers: IncomingHttpHeaders): boolean {
  return (headerValue(headers['content-type']) ?? '').toLowerCase().startsWith(CBOR_CONTENT_TYPE);
}

/** The body as a map (empty body → `{}`); tag 1 comes back as a Date read as seconds. */
export function decodeCborBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = cbor.decodeFirstSync(body);
  } catch (err) {
    throw new CborBodyInvalid(err instanceof Error ? err.message : String(err));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) throw new CborBodyInvalid('body must be a CBOR map');
  return value as Record<string, unknown>;
}

/** A timestamp as AWS's CBOR writes it. */
export function cborTimestamp(date: Date): cbor.Tagged {
  return new cbor.Tagged(1, date.getTime());
}

/** A value as AWS's CBOR bytes (an event stream's payload, for one). */
export function cborBytes(value: unknown): Buffer {
  return cbor.encode(value);
}

export function cborResponse(output: unknown): ServiceResponse {
  return { status: 200, headers: { 'content-type': CBOR_CONTENT_TYPE }, body: cbor.encode(output ?? {}) };
}

export function cborError(error: AwsError): ServiceResponse {
  return {
    status: error.status,
    headers: { 'content-type': CBOR_CONTENT_TYPE, 'x-amzn-ErrorType': error.code, ...error.headers },
    body: cbor.encode({ __type: error.code, message: error.message, ...error.fields }),
  };
}
