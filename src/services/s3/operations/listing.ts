import type { ServiceResponse } from '../../../contracts/request-context.js';
import type { XmlObject } from '../../../protocols/rest-xml.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { LIST_MAX_KEYS_DEFAULT } from '../limits.js';
import { notificationKey } from '../notifications/records.js';
import { bucketOf, requireBucket, xmlResponse, xmlTime, type S3Request } from '../request.js';
import { ownerXml } from '../owner.js';
import { checksumOfRow, type ObjectRow } from '../tables/objects-table.js';

const BATCH = 1000;
/** Sorts after every key that starts with the text before it (UTF-8 byte order, as S3 and SQLite compare). */
const AFTER_ALL = '\u{10FFFF}';

interface ListingOptions {
  bucket: string;
  prefix: string;
  delimiter: string;
  maxKeys: number;
  /** Start strictly after this key (and, for versions, after this sequence of that key). */
  afterKey: string;
  afterSequence?: number;
  versions: boolean;
}

interface Listing {
  rows: ObjectRow[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  lastKey?: string;
  lastRow?: ObjectRow;
}

/** Walks keys in order, folding keys that share `prefix…delimiter` into common prefixes. */
async function collect(deps: S3Deps, options: ListingOptions): Promise<Listing> {
  const out: Listing = { rows: [], commonPrefixes: [], truncated: false };
  if (options.maxKeys === 0) return out;
  let cursorKey = options.afterKey;
  let cursorSequence = options.afterSequence;
  let count = 0;
  for (;;) {
    let query = deps.db.selectFrom('s3_objects').selectAll().where('bucket', '=', options.bucket);
    if (options.prefix) query = query.where('key', '>=', options.prefix);
    const k = cursorKey;
    const s = cursorSequence;
    if (s !== undefined) query = query.where((eb) => eb.or([eb('key', '>', k), eb.and([eb('key', '=', k), eb('sequence', '<', s)])]));
    else if (k !== '') query = query.where('key', '>', k);
    if (!options.versions) query = query.where('is_latest', '=', 1).where('is_delete_marker', '=', 0);
    const rows = await query.orderBy('key').orderBy('sequence', 'desc').limit(BATCH).execute();
    if (rows.length === 0) return out;
    let restart = false;
    for (const row of rows) {
      if (!row.key.startsWith(options.prefix)) return out;
      if (options.delimiter) {
        const at = row.key.indexOf(options.delimiter, options.prefix.length);
        if (at >= 0) {
          const common = row.key.slice(0, at + options.delimiter.length);
          // A prefix the marker or token already reached was returned on an earlier page.
          if (options.afterKey.startsWith(common)) {
            cursorKey = common + AFTER_ALL;
            cursorSequence = undefined;
            restart = true;
            break;
          }
          if (count === options.maxKeys) {
            out.truncated = true;
            return out;
          }
          out.commonPrefixes.push(common);
          out.lastKey = common;
          delete out.lastRow;
          count++;
          cursorKey = common + AFTER_ALL;
          cursorSequence = undefined;
          restart = true;
          break;
        }
      }
      if (count === options.maxKeys) {
        out.truncated = true;
        return out;
      }
      out.rows.push(row);
      out.lastKey = row.key;
      out.lastRow = row;
      count++;
      cursorKey = row.key;
      cursorSequence = options.versions ? row.sequence : undefined;
    }
    if (!restart && rows.length < BATCH) return out;
  }
}

export function maxKeysOf(req: S3Request, name = 'max-keys'): number {
  const text = req.ctx.query.get(name);
  if (text === null) return LIST_MAX_KEYS_DEFAULT;
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n) || n < 0 || n > 2147483647) throw errors.maxKeysInvalid(text);
  return Math.min(n, LIST_MAX_KEYS_DEFAULT);
}

export function encoder(req: S3Request): { encode: (s: string) => string; encodingType?: string } {
  const type = req.ctx.query.get('encoding-type');
  if (type === null) return { encode: (s) => s };
  if (type !== 'url') throw errors.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', type);
  return { encode: notificationKey, encodingType: 'url' };
}

function objectXml(row: ObjectRow, encode: (s: string) => string, owner: XmlObject | undefined): XmlObject {
  const checksum = checksumOfRow(row);
  return {
    Key: encode(row.key),
    LastModified: xmlTime(row.last_modified),
    ETag: `"${row.etag}"`,
    ...(checksum ? { ChecksumAlgorithm: checksum.algorithm.toUpperCase(), ChecksumType: checksum.type } : {}),
    Size: row.size,
    StorageClass: 'STANDARD',
    ...(owner ? { Owner: owner } : {}),
  };
}

function encodeToken(key: string): string {
  return Buffer.from(JSON.stringify({ k: key })).toString('base64url');
}

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof parsed.k === 'string') return parsed.k;
  } catch {
    // fall through
  }
  throw errors.invalidContinuationToken();
}

export async function listObjectsV2(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const q = req.ctx.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const token = q.get('continuation-token');
  const startAfter = q.get('start-after') ?? '';
  const maxKeys = maxKeysOf(req);
  const { encode, encodingType } = encoder(req);
  const after = token !== null ? decodeToken(token) : startAfter;
  const listing = await collect(deps, { bucket: bucket.name, prefix, delimiter, maxKeys, afterKey: after, versions: false });
  const owner = q.get('fetch-owner') === 'true' ? ownerXml(bucket.account_id) : undefined;
  return xmlResponse('ListBucketResult', {
    Name: bucket.name,
    Prefix: encode(prefix),
    ...(delimiter ? { Delimiter: encode(delimiter) } : {}),
    MaxKeys: q.get('max-keys') !== null ? Number(q.get('max-keys')) : LIST_MAX_KEYS_DEFAULT,
    KeyCount: listing.rows.length + listing.commonPrefixes.length,
    IsTruncated: listing.truncated,
    ...(encodingType ? { EncodingType: encodingType } : {}),
    ...(token !== null ? { ContinuationToken: token } : {}),
    ...(listing.truncated && listing.lastKey !== undefined ? { NextContinuationToken: encodeToken(listing.lastKey) } : {}),
    ...(startAfter ? { StartAfter: encode(startAfter) } : {}),
    Contents: listing.rows.map((r) => objectXml(r, encode, owner)),
    CommonPrefixes: listing.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
  });
}

export async function listObjectsV1(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const q = req.ctx.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const marker = q.get('marker') ?? '';
  const maxKeys = maxKeysOf(req);
  const { encode, encodingType } = encoder(req);
  const listing = await collect(deps, { bucket: bucket.name, prefix, delimiter, maxKeys, afterKey: marker, versions: false });
  const owner = ownerXml(bucket.account_id);
  return xmlResponse('ListBucketResult', {
    Name: bucket.name,
    Prefix: encode(prefix),
    Marker: encode(marker),
    ...(listing.truncated && delimiter && listing.lastKey !== undefined ? { NextMarker: encode(listing.lastKey) } : {}),
    MaxKeys: q.get('max-keys') !== null ? Number(q.get('max-keys')) : LIST_MAX_KEYS_DEFAULT,
    ...(delimiter ? { Delimiter: encode(delimiter) } : {}),
    IsTruncated: listing.truncated,
    ...(encodingType ? { EncodingType: encodingType } : {}),
    Contents: listing.rows.map((r) => objectXml(r, encode, owner)),
    CommonPrefixes: listing.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
  });
}

export async function listObjectVersions(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const q = req.ctx.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  const versionIdMarker = q.get('version-id-marker') ?? '';
  const maxKeys = maxKeysOf(req);
  const { encode, encodingType } = encoder(req);
  let afterSequence: number | undefined;
  if (keyMarker && versionIdMarker) {
    const row = await deps.db.selectFrom('s3_objects').select('sequence').where('bucket', '=', bucket.name).where('key', '=', keyMarker).where('version_id', '=', versionIdMarker).executeTakeFirst();
    if (!row) throw errors.invalidArgument('Invalid version id specified', 'version-id-marker', versionIdMarker);
    afterSequence = row.sequence;
  }
  const listing = await collect(deps, { bucket: bucket.name, prefix, delimiter, maxKeys, afterKey: keyMarker, ...(afterSequence !== undefined ? { afterSequence } : {}), versions: true });
  const owner = ownerXml(bucket.account_id);
  const versions: XmlObject[] = [];
  const markers: XmlObject[] = [];
  for (const row of listing.rows) {
    const common = { Key: encode(row.key), VersionId: row.version_id, IsLatest: row.is_latest === 1, LastModified: xmlTime(row.last_modified) };
    if (row.is_delete_marker) markers.push({ ...common, Owner: owner });
    else versions.push({ ...common, ETag: `"${row.etag}"`, Size: row.size, StorageClass: 'STANDARD', Owner: owner });
  }
  const next: XmlObject = {};
  if (listing.truncated && listing.lastKey !== undefined) {
    next.NextKeyMarker = encode(listing.lastKey);
    if (listing.lastRow) next.NextVersionIdMarker = listing.lastRow.version_id;
  }
  return xmlResponse('ListVersionsResult', {
    Name: bucket.name,
    Prefix: encode(prefix),
    KeyMarker: encode(keyMarker),
    VersionIdMarker: versionIdMarker,
    ...next,
    MaxKeys: q.get('max-keys') !== null ? Number(q.get('max-keys')) : LIST_MAX_KEYS_DEFAULT,
    ...(delimiter ? { Delimiter: encode(delimiter) } : {}),
    IsTruncated: listing.truncated,
    ...(encodingType ? { EncodingType: encodingType } : {}),
    Version: versions,
    DeleteMarker: markers,
    CommonPrefixes: listing.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
  });
}
