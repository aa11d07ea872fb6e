import { copyFile } from 'node:fs/promises';
import { aclOfHeaders } from '../access/grantees.js';
import { checkAclAllowed, grantContext } from './acl-config.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import { parseXml, xmlText, type XmlObject } from '../../../protocols/rest-xml.js';
import { createChecksum, parseChecksumAlgorithm, type ChecksumAlgorithm, type StoredChecksum } from '../checksums.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { DELETE_OBJECTS_MAX_KEYS, MAX_KEY_BYTES, MAX_PART_NUMBER, MAX_SINGLE_PUT_BYTES, MAX_XML_REQUEST_BYTES } from '../limits.js';
import { checkConditions, checksumHeaders, checksumXml, objectResponseHeaders, parseRange, storedHeadersOf, userMetadataOf } from '../object-headers.js';
import { deleteObject, writeObject } from '../object-writes.js';
import { lockOfWrite } from '../object-lock/settings.js';
import { governanceBypass } from '../access/governance-bypass.js';
import { requestedEncryption, storedEncryptionHeaders, withEncryption } from '../encryption.js';
import { readDocument, receivePayload } from '../payload.js';
import { checkWriteConditions, etagListMatches, writeConditionsOf } from '../write-conditions.js';
import { bucketOf, emptyResponse, header, keyOf, requireBucket, xmlResponse, xmlTime, type S3Request } from '../request.js';
import { latestObject, objectVersion, parseJson, checksumOfRow, type BucketRow, type ObjectRow } from '../tables/objects-table.js';
import { parseTaggingHeader } from './tagging.js';

export function checkKey(key: string): void {
  const size = Buffer.byteLength(key);
  if (size > MAX_KEY_BYTES) throw errors.keyTooLong(size);
}

export async function putObject(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const key = keyOf(req);
  checkKey(key);
  const bucket = await requireBucket(deps, bucketOf(req));
  const conditions = writeConditionsOf(req.ctx.headers, 'write');
  // Refused before the body is read; checked again where the version is written (a racing writer).
  if (conditions) checkWriteConditions(await latestObject(deps.db, bucket.name, key), key, conditions);
  const headers = withEncryption(storedHeadersOf(req.ctx.headers), requestedEncryption(req, bucket));
  const metadata = userMetadataOf(req.ctx.headers);
  const tags = parseTaggingHeader(header(req, 'x-amz-tagging'));
  const acl = aclOfHeaders(req, grantContext(req, bucket, 'OBJECT'));
  checkAclAllowed(bucket, acl);
  const lock = lockOfWrite(req, bucket, deps.clock.now());
  const payload = await receivePayload(req.ctx, deps.files, MAX_SINGLE_PUT_BYTES);
  const fileId = await deps.files.keep(payload.tempPath);
  const checksum: StoredChecksum | undefined = payload.checksum && { ...payload.checksum, type: 'FULL_OBJECT' };
  try {
    const { versionId } = await writeObject(deps, req.ctx, {
      bucket: bucket.name, key, fileId, size: payload.size, etag: payload.md5Hex, headers, metadata, tags, lock,
      ...(acl ? { acl } : {}),
      ...(checksum ? { checksum } : {}),
      ...(conditions ? { conditions } : {}),
      eventName: 'ObjectCreated:Put',
    });
    return emptyResponse(200, {
      etag: `"${payload.md5Hex}"`,
      ...(bucket.versioning ? { 'x-amz-version-id': versionId } : {}),
      ...checksumHeaders(checksum),
      ...storedEncryptionHeaders(headers),
    });
  } catch (err) {
    await deps.files.remove([fileId]);
    throw err;
  }
}

/** The version a GET/HEAD reads, or S3's error for a missing key, version or a delete marker. */
export async function readableVersion(deps: S3Deps, req: S3Request, bucket: BucketRow): Promise<ObjectRow> {
  const key = keyOf(req);
  const versionId = req.ctx.query.get('versionId') ?? undefined;
  if (versionId !== undefined) {
    const row = await objectVersion(deps.db, bucket.name, key, versionId);
    if (!row) {
      if (versionId !== 'null' && !/^[A-Za-z0-9_.-]{1,64}$/.test(versionId)) throw errors.invalidVersionId(versionId);
      throw errors.noSuchVersion(key, versionId);
    }
    if (row.is_delete_marker) {
      throw errors.methodNotAllowed(req.ctx.method, 'DeleteMarker', { 'x-amz-delete-marker': 'true', 'x-amz-version-id': row.version_id, 'last-modified': new Date(row.last_modified).toUTCString() });
    }
    return row;
  }
  const row = await latestObject(deps.db, bucket.name, key);
  if (!row) throw errors.noSuchKey(key);
  if (row.is_delete_marker) throw errors.noSuchKey(key, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': row.version_id });
  return row;
}

/** The byte range of one part of a multipart object (a plain object is its own part 1). */
function partRange(row: ObjectRow, text: string): { start: number; end: number } {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_PART_NUMBER) throw errors.invalidPartNumber(text);
  const sizes = row.part_sizes ? (JSON.parse(row.part_sizes) as number[]) : [row.size];
  if (n > sizes.length) throw errors.invalidPartNumberRange();
  const start = sizes.slice(0, n - 1).reduce((a, b) => a + b, 0);
  return { start, end: start + sizes[n - 1]! - 1 };
}

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

export async function getObject(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const head = req.ctx.method === 'HEAD';
  const bucket = await requireBucket(deps, bucketOf(req));
  const row = await readableVersion(deps, req, bucket);
  const rangeHeader = header(req, 'range');
  const partNumberText = req.ctx.query.get('partNumber');
  const range = partNumberText !== null ? partRange(row, partNumberText) : parseRange(rangeHeader, row.size);
  const headers = objectResponseHeaders(row, bucket.versioning !== null, { checksumMode: header(req, 'x-amz-checksum-mode') === 'ENABLED' && !range });
  const { notModified } = checkConditions(req.ctx.headers, row, req.ctx.method);
  if (notModified) {
    return emptyResponse(304, { etag: headers.etag!, 'last-modified': headers['last-modified']!, ...(bucket.versioning ? { 'x-amz-version-id': row.version_id } : {}) });
  }
  for (const [param, name] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = req.ctx.query.get(param);
    if (value !== null) headers[name] = value;
  }
  if (partNumberText !== null) headers['x-amz-mp-parts-count'] = String(row.parts_count ?? 1);
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${row.size}`;
    headers['content-length'] = String(range.end - range.start + 1);
    if (head) return emptyResponse(206, headers);
    return { status: 206, headers, stream: deps.files.read(row.file_id ?? '', range) };
  }
  headers['content-length'] = String(row.size);
  if (head || row.size === 0) return { status: 200, headers, body: '' };
  return { status: 200, headers, stream: deps.files.read(row.file_id ?? '') };
}

export async function deleteObjectOperation(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const key = keyOf(req);
  const conditions = writeConditionsOf(req.ctx.headers, 'delete');
  const bypassGovernance = await governanceBypass(deps, req, bucketOf(req), key);
  const outcome = await deleteObject(deps, req.ctx, bucketOf(req), key, req.ctx.query.get('versionId') ?? undefined, conditions, { bypassGovernance });
  const headers: Record<string, string> = {};
  if (outcome.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  if (outcome.versionId !== undefined) headers['x-amz-version-id'] = outcome.versionId;
  return emptyResponse(204, headers);
}

export async function deleteObjects(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const doc = parseXml(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES), ['Object']);
  const root = doc?.Delete as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') throw errors.malformedXml();
  const objects = (root.Object as Array<Record<string, unknown>> | undefined) ?? [];
  if (objects.length === 0 || objects.length > DELETE_OBJECTS_MAX_KEYS) throw errors.malformedXml();
  const quiet = xmlText(root.Quiet) === 'true';
  const deleted: XmlObject[] = [];
  const failed: XmlObject[] = [];
  for (const entry of objects) {
    const key = xmlText(entry.Key) ?? '';
    const versionId = xmlText(entry.VersionId);
    // A conditional delete in a batch names the ETag in the entry.
    const etag = xmlText(entry.ETag);
    try {
      const bypassGovernance = await governanceBypass(deps, req, bucket.name, key);
      const outcome = await deleteObject(deps, req.ctx, bucket.name, key, versionId, etag !== undefined ? { ifMatch: etag } : undefined, { bypassGovernance });
      if (quiet) continue;
      const item: XmlObject = { Key: key };
      if (versionId !== undefined) item.VersionId = versionId;
      if (outcome.deleteMarker) {
        item.DeleteMarker = true;
        if (versionId === undefined && outcome.versionId) item.DeleteMarkerVersionId = outcome.versionId;
      }
      deleted.push(item);
    } catch (err) {
      const e = err as { code?: string; message?: string };
      failed.push({ Key: key, ...(versionId !== undefined ? { VersionId: versionId } : {}), Code: e.code ?? 'InternalError', Message: e.message ?? '' });
    }
  }
  return xmlResponse('DeleteResult', { Deleted: deleted, Error: failed });
}

/** `x-amz-copy-source`: `[/]bucket/key[?versionId=…]`, URL-encoded. */
export function parseCopySource(value: string): { bucket: string; key: string; versionId?: string } {
  let text = value;
  let versionId: string | undefined;
  const q = text.indexOf('?');
  if (q >= 0) {
    versionId = new URLSearchParams(text.slice(q + 1)).get('versionId') ?? undefined;
    text = text.slice(0, q);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    throw errors.invalidCopySource();
  }
  if (decoded.startsWith('/')) decoded = decoded.slice(1);
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw errors.invalidCopySource();
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), ...(versionId !== undefined ? { versionId } : {}) };
}

/** The source version of a copy, with the x-amz-copy-source-if-* conditions checked. */
export async function copySourceVersion(deps: S3Deps, req: S3Request): Promise<{ row: ObjectRow; bucket: BucketRow }> {
  const source = parseCopySource(header(req, 'x-amz-copy-source') ?? '');
  const bucket = await requireBucket(deps, source.bucket);
  let row: ObjectRow | undefined;
  if (source.versionId !== undefined) {
    row = await objectVersion(deps.db, bucket.name, source.key, source.versionId);
    if (!row) throw errors.noSuchVersion(source.key, source.versionId);
    if (row.is_delete_marker) throw errors.invalidRequest('The source of a copy request may not specifically refer to a delete marker by version id.');
  } else {
    row = await latestObject(deps.db, bucket.name, source.key);
    if (!row || row.is_delete_marker) throw errors.noSuchKey(source.key);
  }
  const ifMatch = header(req, 'x-amz-copy-source-if-match');
  const ifNoneMatch = header(req, 'x-amz-copy-source-if-none-match');
  const ifModified = header(req, 'x-amz-copy-source-if-modified-since');
  const ifUnmodified = header(req, 'x-amz-copy-source-if-unmodified-since');
  const sec = Math.floor(row.last_modified / 1000);
  const tagMatch = (list: string) => etagListMatches(list, row.etag);
  if (ifMatch !== undefined && !tagMatch(ifMatch)) throw errors.preconditionFailed('x-amz-copy-source-If-Match');
  if (ifNoneMatch !== undefined && tagMatch(ifNoneMatch)) throw errors.preconditionFailed('x-amz-copy-source-If-None-Match');
  if (ifUnmodified !== undefined && ifMatch === undefined && sec > Math.floor(Date.parse(ifUnmodified) / 1000)) throw errors.preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  if (ifModified !== undefined && ifNoneMatch === undefined && sec <= Math.floor(Date.parse(ifModified) / 1000)) throw errors.preconditionFailed('x-amz-copy-source-If-Modified-Since');
  return { row, bucket };
}

async function fileChecksum(deps: S3Deps, fileId: string, size: number, algorithm: ChecksumAlgorithm): Promise<StoredChecksum> {
  const hash = createChecksum(algorithm);
  if (size > 0) for await (const chunk of deps.files.read(fileId) as AsyncIterable<Buffer>) hash.update(chunk);
  return { algorithm, value: hash.digest().toString('base64'), type: 'FULL_OBJECT' };
}

export async function copyObject(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const key = keyOf(req);
  checkKey(key);
  const target = await requireBucket(deps, bucketOf(req));
  const conditions = writeConditionsOf(req.ctx.headers, 'write');
  const { row: source, bucket: sourceBucket } = await copySourceVersion(deps, req);
  const replaceMetadata = header(req, 'x-amz-metadata-directive') === 'REPLACE';
  const replaceTags = header(req, 'x-amz-tagging-directive') === 'REPLACE';
  // Copying a named older version onto its own key is how a version is restored, so only the current one counts.
  const namesVersion = /[?&]versionId=/.test(header(req, 'x-amz-copy-source') ?? '');
  const sameObject = sourceBucket.name === target.name && source.key === key && !namesVersion;
  const changesSomething = replaceMetadata || header(req, 'x-amz-storage-class') !== undefined || header(req, 'x-amz-website-redirect-location') !== undefined || header(req, 'x-amz-server-side-encryption') !== undefined;
  if (sameObject && !changesSomething && target.versioning !== 'Enabled') throw errors.copyToItself();
  const headers = withEncryption(replaceMetadata ? storedHeadersOf(req.ctx.headers) : parseJson(source.headers, {}), requestedEncryption(req, target));
  const metadata = replaceMetadata ? userMetadataOf(req.ctx.headers) : parseJson<Record<string, string>>(source.metadata, {});
  const tags = replaceTags ? parseTaggingHeader(header(req, 'x-amz-tagging')) : parseJson<Record<string, string>>(source.tags, {});
  // A copy gets the ACL the request names, private otherwise (S3 does not copy the source's).
  const acl = aclOfHeaders(req, grantContext(req, target, 'OBJECT'));
  checkAclAllowed(target, acl);
  const lock = lockOfWrite(req, target, deps.clock.now());
  const algorithmHeader = header(req, 'x-amz-checksum-algorithm');
  const algorithm = parseChecksumAlgorithm(algorithmHeader);
  if (algorithmHeader !== undefined && !algorithm) throw errors.unsupportedChecksumAlgorithm(algorithmHeader);
  const tempPath = await deps.files.newTempPath();
  await copyFile(await deps.files.localPath(source.file_id ?? ''), tempPath);
  const fileId = await deps.files.keep(tempPath);
  // The source's checksum travels with the copy unless another algorithm is asked for: then the
  // copy gets a full-object checksum of that algorithm, as S3 computes it.
  const sourceChecksum = checksumOfRow(source);
  const checksum = algorithm && algorithm !== sourceChecksum?.algorithm ? await fileChecksum(deps, fileId, source.size, algorithm) : sourceChecksum;
  try {
    const { versionId, row } = await writeObject(deps, req.ctx, {
      bucket: target.name, key, fileId, size: source.size, etag: source.etag, headers, metadata, tags, lock,
      ...(acl ? { acl } : {}),
      ...(checksum ? { checksum } : {}),
      ...(source.parts_count !== null ? { partsCount: source.parts_count } : {}),
      ...(source.part_sizes !== null ? { partSizes: JSON.parse(source.part_sizes) as number[] } : {}),
      ...(conditions ? { conditions } : {}),
      eventName: 'ObjectCreated:Copy',
    });
    const responseHeaders: Record<string, string> = storedEncryptionHeaders(headers);
    if (target.versioning) responseHeaders['x-amz-version-id'] = versionId;
    if (sourceBucket.versioning) responseHeaders['x-amz-copy-source-version-id'] = source.version_id;
    return xmlResponse('CopyObjectResult', { ETag: `"${row.etag}"`, LastModified: xmlTime(row.last_modified), ...checksumXml(checksum) }, responseHeaders);
  } catch (err) {
    await deps.files.remove([fileId]);
    throw err;
  }
}
