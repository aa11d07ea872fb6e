import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from '../../protocols/header-value.js';
import { checksumMember, type StoredChecksum } from './checksums.js';
import { storedEncryptionHeaders } from './encryption.js';
import { lockHeaders } from './object-lock/settings.js';
import { errors } from './errors.js';
import { MAX_USER_METADATA_BYTES } from './limits.js';
import { httpTime } from './request.js';
import { etagListMatches } from './write-conditions.js';
import { checksumOfRow, parseJson, type ObjectRow, type StoredHeaders } from './tables/objects-table.js';

const STORED_HEADERS: Array<keyof StoredHeaders> = [
  'content-type', 'content-encoding', 'content-disposition', 'content-language', 'cache-control', 'expires',
  'x-amz-storage-class', 'x-amz-website-redirect-location',
];

/** System headers an upload sets (Content-Type defaults as S3's does). */
export function storedHeadersOf(headers: IncomingHttpHeaders): StoredHeaders {
  const out: StoredHeaders = {};
  for (const name of STORED_HEADERS) {
    let value = headerValue(headers[name]);
    if (value === undefined) continue;
    // aws-chunked is how the body travelled, not how the object is encoded.
    if (name === 'content-encoding') value = value.split(',').map((v) => v.trim()).filter((v) => v !== 'aws-chunked').join(',');
    if (value !== '') out[name] = value;
  }
  if (out['x-amz-storage-class'] === 'STANDARD') delete out['x-amz-storage-class'];
  return out;
}

/** `x-amz-meta-*` headers, names lower-cased as S3 stores them. */
export function userMetadataOf(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  let size = 0;
  for (const [name, raw] of Object.entries(headers)) {
    if (!name.startsWith('x-amz-meta-')) continue;
    const value = headerValue(raw) ?? '';
    const short = name.slice('x-amz-meta-'.length);
    out[short] = value;
    size += Buffer.byteLength(short) + Buffer.byteLength(value);
  }
  if (size > MAX_USER_METADATA_BYTES) throw errors.metadataTooLarge(size, MAX_USER_METADATA_BYTES);
  return out;
}

/** Headers GET and HEAD send for an object version. */
export function objectResponseHeaders(row: ObjectRow, versioned: boolean, options: { checksumMode?: boolean } = {}): Record<string, string> {
  const headers: Record<string, string> = {
    'last-modified': httpTime(row.last_modified),
    etag: `"${row.etag}"`,
    'accept-ranges': 'bytes',
    'content-type': 'binary/octet-stream',
  };
  const stored = parseJson<StoredHeaders>(row.headers, {});
  for (const [name, value] of Object.entries(stored)) if (value !== undefined) headers[name] = value;
  Object.assign(headers, storedEncryptionHeaders(stored), lockHeaders(row));
  for (const [name, value] of Object.entries(parseJson<Record<string, string>>(row.metadata, {}))) headers[`x-amz-meta-${name}`] = value;
  if (versioned) headers['x-amz-version-id'] = row.version_id;
  const tags = parseJson<Record<string, string>>(row.tags, {});
  if (Object.keys(tags).length > 0) headers['x-amz-tagging-count'] = String(Object.keys(tags).length);
  const checksum = checksumOfRow(row);
  if (options.checksumMode && checksum) Object.assign(headers, checksumHeaders(checksum));
  return headers;
}

export function checksumHeaders(checksum: StoredChecksum | undefined): Record<string, string> {
  if (!checksum) return {};
  return { [`x-amz-checksum-${checksum.algorithm}`]: checksum.value, 'x-amz-checksum-type': checksum.type };
}

export function checksumXml(checksum: StoredChecksum | undefined): Record<string, string> {
  if (!checksum) return {};
  return { [checksumMember(checksum.algorithm)]: checksum.value, ChecksumType: checksum.type };
}

/** If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since, in S3's precedence. */
export function checkConditions(headers: IncomingHttpHeaders, row: ObjectRow, method: string): { notModified: boolean } {
  const lastModifiedSec = Math.floor(row.last_modified / 1000);
  const ifMatch = headerValue(headers['if-match']);
  const ifNoneMatch = headerValue(headers['if-none-match']);
  const ifModifiedSince = parseHttpDate(headerValue(headers['if-modified-since']));
  const ifUnmodifiedSince = parseHttpDate(headerValue(headers['if-unmodified-since']));
  const matches = (list: string) => etagListMatches(list, row.etag);
  if (ifMatch !== undefined) {
    if (!matches(ifMatch)) throw errors.preconditionFailed('If-Match');
  } else if (ifUnmodifiedSince !== undefined && lastModifiedSec > ifUnmodifiedSince) {
    throw errors.preconditionFailed('If-Unmodified-Since');
  }
  if (ifNoneMatch !== undefined) {
    if (matches(ifNoneMatch)) return { notModified: method === 'GET' || method === 'HEAD' };
  } else if (ifModifiedSince !== undefined && lastModifiedSec <= ifModifiedSince) {
    return { notModified: true };
  }
  return { notModified: false };
}

function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** A single `bytes=a-b` / `bytes=a-` / `bytes=-n` range; undefined for none or one S3 ignores. */
export function parseRange(value: string | undefined, size: number): { start: number; end: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw errors.invalidRange(value, size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return undefined;
  }
  if (start >= size) throw errors.invalidRange(value, size);
  return { start, end };
}
