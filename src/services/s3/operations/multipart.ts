import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { AwsError } from '../../../contracts/aws-error.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import { parseXml, xmlText, type XmlObject } from '../../../protocols/rest-xml.js';
import { checksumMember, createChecksum, parseChecksumAlgorithm, type StoredChecksum } from '../checksums.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { COMPLETED_UPLOAD_MEMORY_MS, LIST_PARTS_MAX_DEFAULT, MAX_PART_BYTES, MAX_PART_NUMBER, MAX_XML_REQUEST_BYTES, MIN_PART_BYTES } from '../limits.js';
import { requestedLock, withDefaultRetention } from '../object-lock/settings.js';
import { takeUploadLock, withUploadLock, type UploadHeaders } from '../object-lock/upload-lock.js';
import { aclOfHeaders } from '../access/grantees.js';
import { takeUploadAcl, withUploadAcl } from '../access/upload-acl.js';
import { checkAclAllowed, grantContext } from './acl-config.js';
import { requestedEncryption, storedEncryptionHeaders, withEncryption } from '../encryption.js';
import { checksumXml, parseRange, storedHeadersOf, userMetadataOf } from '../object-headers.js';
import { writeObject } from '../object-writes.js';
import { readDocument, receivePayload } from '../payload.js';
import { bucketOf, emptyResponse, header, keyOf, requireBucket, xmlResponse, xmlTime, type S3Request } from '../request.js';
import { ownerXml } from '../owner.js';
import { latestObject, parseJson, type UploadRow } from '../tables/objects-table.js';
import { checkWriteConditions, writeConditionsOf } from '../write-conditions.js';
import { encoder, maxKeysOf } from './listing.js';
import { checkKey, copySourceVersion } from './objects.js';
import { parseTaggingHeader } from './tagging.js';

export async function createMultipartUpload(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const key = keyOf(req);
  checkKey(key);
  const bucket = await requireBucket(deps, bucketOf(req));
  const algorithmHeader = header(req, 'x-amz-checksum-algorithm');
  const algorithm = parseChecksumAlgorithm(algorithmHeader);
  if (algorithmHeader !== undefined && !algorithm) throw errors.unsupportedChecksumAlgorithm(algorithmHeader);
  const typeHeader = header(req, 'x-amz-checksum-type');
  const checksumType = typeHeader === 'FULL_OBJECT' || typeHeader === 'COMPOSITE' ? typeHeader : algorithm ? (algorithm === 'crc64nvme' ? 'FULL_OBJECT' : 'COMPOSITE') : null;
  const lock = requestedLock(req, bucket, deps.clock.now());
  const acl = aclOfHeaders(req, grantContext(req, bucket, 'OBJECT'));
  checkAclAllowed(bucket, acl);
  const uploadId = randomBytes(48).toString('base64url');
  const headersOfUpload = withEncryption(storedHeadersOf(req.ctx.headers), requestedEncryption(req, bucket));
  await deps.db
    .insertInto('s3_uploads')
    .values({
      upload_id: uploadId,
      bucket: bucket.name,
      key,
      initiated: deps.clock.now(),
      headers: JSON.stringify(withUploadAcl(withUploadLock(headersOfUpload, lock), acl)),
      metadata: JSON.stringify(userMetadataOf(req.ctx.headers)),
      tags: JSON.stringify(parseTaggingHeader(header(req, 'x-amz-tagging'))),
      checksum_algorithm: algorithm ?? null,
      checksum_type: checksumType,
    })
    .execute();
  const headers: Record<string, string> = storedEncryptionHeaders(headersOfUpload);
  if (algorithm) headers['x-amz-checksum-algorithm'] = algorithm.toUpperCase();
  if (checksumType) headers['x-amz-checksum-type'] = checksumType;
  return xmlResponse('InitiateMultipartUploadResult', { Bucket: bucket.name, Key: key, UploadId: uploadId }, headers);
}

async function requireUpload(deps: S3Deps, req: S3Request): Promise<UploadRow> {
  await requireBucket(deps, bucketOf(req));
  const uploadId = req.ctx.query.get('uploadId') ?? '';
  const upload = await deps.db.selectFrom('s3_uploads').selectAll().where('upload_id', '=', uploadId).executeTakeFirst();
  if (!upload || upload.bucket !== bucketOf(req) || upload.key !== keyOf(req)) throw errors.noSuchUpload(uploadId);
  return upload;
}

function partNumberOf(req: S3Request): number {
  const text = req.ctx.query.get('partNumber') ?? '';
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_PART_NUMBER) throw errors.invalidPartNumber(text);
  return n;
}

async function storePart(deps: S3Deps, upload: UploadRow, partNumber: number, part: { fileId: string; size: number; etag: string; checksum?: StoredChecksum }): Promise<void> {
  const old = await deps.db.transaction().execute(async (trx) => {
    const still = await trx.selectFrom('s3_uploads').select('upload_id').where('upload_id', '=', upload.upload_id).executeTakeFirst();
    if (!still) throw errors.noSuchUpload(upload.upload_id);
    const previous = await trx.selectFrom('s3_upload_parts').select('file_id').where('upload_id', '=', upload.upload_id).where('part_number', '=', partNumber).executeTakeFirst();
    if (previous) await trx.deleteFrom('s3_upload_parts').where('upload_id', '=', upload.upload_id).where('part_number', '=', partNumber).execute();
    await trx
      .insertInto('s3_upload_parts')
      .values({
        upload_id: upload.upload_id, part_number: partNumber, size: part.size, etag: part.etag, file_id: part.fileId,
        last_modified: deps.clock.now(), checksum: part.checksum ? JSON.stringify(part.checksum) : null,
      })
      .execute();
    return previous?.file_id ?? null;
  });
  await deps.files.remove([old]);
}

export async function uploadPart(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const partNumber = partNumberOf(req);
  const upload = await requireUpload(deps, req);
  const payload = await receivePayload(req.ctx, deps.files, MAX_PART_BYTES);
  const fileId = await deps.files.keep(payload.tempPath);
  const checksum: StoredChecksum | undefined = payload.checksum && { ...payload.checksum, type: 'FULL_OBJECT' };
  try {
    await storePart(deps, upload, partNumber, { fileId, size: payload.size, etag: payload.md5Hex, ...(checksum ? { checksum } : {}) });
  } catch (err) {
    await deps.files.remove([fileId]);
    throw err;
  }
  const headers: Record<string, string> = { etag: `"${payload.md5Hex}"` };
  if (checksum) headers[`x-amz-checksum-${checksum.algorithm}`] = checksum.value;
  return emptyResponse(200, headers);
}

export async function uploadPartCopy(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const partNumber = partNumberOf(req);
  const upload = await requireUpload(deps, req);
  const { row } = await copySourceVersion(deps, req);
  const rangeHeader = header(req, 'x-amz-copy-source-range');
  const range = rangeHeader ? parseRange(rangeHeader, row.size) : undefined;
  if (rangeHeader && !range) throw errors.invalidArgument('The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', 'x-amz-copy-source-range', rangeHeader);
  const { tempPath, stream } = await deps.files.createTemp();
  const md5 = createHash('md5');
  let size = 0;
  if (row.size > 0) {
    for await (const chunk of deps.files.read(row.file_id ?? '', range) as AsyncIterable<Buffer>) {
      md5.update(chunk);
      size += chunk.length;
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
  }
  stream.end();
  await once(stream, 'finish');
  const fileId = await deps.files.keep(tempPath);
  const etag = md5.digest('hex');
  await storePart(deps, upload, partNumber, { fileId, size, etag });
  return xmlResponse('CopyPartResult', { ETag: `"${etag}"`, LastModified: xmlTime(deps.clock.now()) });
}

export async function abortMultipartUpload(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const upload = await requireUpload(deps, req);
  const files = await deps.db.transaction().execute(async (trx) => {
    const parts = await trx.selectFrom('s3_upload_parts').select('file_id').where('upload_id', '=', upload.upload_id).execute();
    await trx.deleteFrom('s3_upload_parts').where('upload_id', '=', upload.upload_id).execute();
    await trx.deleteFrom('s3_uploads').where('upload_id', '=', upload.upload_id).execute();
    return parts.map((p) => p.file_id);
  });
  await deps.files.remove(files);
  return emptyResponse(204);
}

function unquote(etag: string): string {
  return etag.trim().replace(/^"|"$/g, '');
}

/** The parts a CompleteMultipartUpload names, as `[partNumber, etag]` (numbers unchecked). */
function requestedParts(requested: Array<Record<string, unknown>>): Array<[number, string]> {
  return requested.map((entry) => [Number(xmlText(entry.PartNumber)), unquote(xmlText(entry.ETag) ?? '')]);
}

/**
 * A completion repeated with the same parts answers as the first did (S3 keeps completed uploads
 * for a while, so a client retrying a completion whose answer it lost is not told NoSuchUpload).
 */
async function repeatedCompletion(deps: S3Deps, req: S3Request, parts: Array<[number, string]>): Promise<ServiceResponse | undefined> {
  const uploadId = req.ctx.query.get('uploadId') ?? '';
  const done = await deps.db.selectFrom('s3_completed_uploads').selectAll().where('upload_id', '=', uploadId).executeTakeFirst();
  if (!done || done.bucket !== bucketOf(req) || done.key !== keyOf(req)) return undefined;
  if (done.completed_at < deps.clock.now() - COMPLETED_UPLOAD_MEMORY_MS) return undefined;
  if (done.parts !== JSON.stringify(parts)) return undefined;
  const bucket = await requireBucket(deps, done.bucket);
  return completionResponse(req, done.bucket, done.key, done.etag, done.checksum ? (JSON.parse(done.checksum) as StoredChecksum) : undefined, bucket.versioning ? done.version_id : undefined);
}

function completionResponse(req: S3Request, bucket: string, key: string, etag: string, checksum: StoredChecksum | undefined, versionId: string | undefined): ServiceResponse {
  const { protocol, hostname, port } = req.ctx.endpoint;
  return xmlResponse(
    'CompleteMultipartUploadResult',
    { Location: `${protocol}://${hostname}:${port}/${bucket}/${encodeURI(key)}`, Bucket: bucket, Key: key, ETag: `"${etag}"`, ...checksumXml(checksum) },
    versionId !== undefined ? { 'x-amz-version-id': versionId } : {},
  );
}

export async function completeMultipartUpload(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  await requireBucket(deps, bucketOf(req));
  const conditions = writeConditionsOf(req.ctx.headers, 'write');
  const doc = parseXml(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES), ['Part']);
  const root = doc?.CompleteMultipartUpload as Record<string, unknown> | undefined;
  const requested = (root && typeof root === 'object' ? (root.Part as Array<Record<string, unknown>> | undefined) : undefined) ?? [];
  if (requested.length === 0) throw errors.malformedXml();
  const asked = requestedParts(requested);
  let upload: UploadRow;
  try {
    upload = await requireUpload(deps, req);
  } catch (err) {
    const again = await repeatedCompletion(deps, req, asked);
    if (again) return again;
    throw err;
  }
  checkWriteConditions(await latestObject(deps.db, upload.bucket, upload.key), upload.key, conditions);
  const stored = await deps.db.selectFrom('s3_upload_parts').selectAll().where('upload_id', '=', upload.upload_id).execute();
  const byNumber = new Map(stored.map((p) => [p.part_number, p]));
  const algorithm = parseChecksumAlgorithm(upload.checksum_algorithm ?? undefined);
  // S3 checks the order of the whole list first, then each part, then the sizes.
  const numbers = asked.map(([n]) => n);
  numbers.forEach((n, i) => {
    if (!Number.isInteger(n) || (i > 0 && n <= numbers[i - 1]!)) throw errors.invalidPartOrder(upload.upload_id);
  });
  const chosen = requested.map((entry, index) => {
    const [number, etag] = asked[index]!;
    const part = byNumber.get(number);
    if (!part || part.etag !== etag) throw errors.invalidPart(upload.upload_id, number, etag);
    if (algorithm) {
      const given = xmlText(entry[checksumMember(algorithm)]);
      const partChecksum = part.checksum ? (JSON.parse(part.checksum) as StoredChecksum) : undefined;
      if (given !== undefined && partChecksum && given !== partChecksum.value) throw errors.invalidPart(upload.upload_id, number, etag);
    }
    return part;
  });
  chosen.forEach((part, index) => {
    if (index < chosen.length - 1 && part.size < MIN_PART_BYTES) throw errors.entityTooSmall(part.size, MIN_PART_BYTES, part.part_number, part.etag);
  });

  // The object is one file: parts are concatenated, and a FULL_OBJECT checksum computed on the way.
  const { tempPath, stream } = await deps.files.createTemp();
  const full = algorithm && upload.checksum_type === 'FULL_OBJECT' ? createChecksum(algorithm) : undefined;
  let size = 0;
  try {
    for (const part of chosen) {
      for await (const chunk of deps.files.read(part.file_id) as AsyncIterable<Buffer>) {
        full?.update(chunk);
        size += chunk.length;
        if (!stream.write(chunk)) await once(stream, 'drain');
      }
    }
    stream.end();
    await once(stream, 'finish');
  } catch (err) {
    stream.destroy();
    await deps.files.discardTemp(tempPath);
    throw err;
  }
  const fileId = await deps.files.keep(tempPath);
  const md5s = Buffer.concat(chosen.map((p) => Buffer.from(p.etag, 'hex')));
  const etag = `${createHash('md5').update(md5s).digest('hex')}-${chosen.length}`;
  let checksum: StoredChecksum | undefined;
  if (algorithm && full) checksum = { algorithm, value: full.digest().toString('base64'), type: 'FULL_OBJECT' };
  else if (algorithm && chosen.every((p) => p.checksum)) {
    const composite = createChecksum(algorithm);
    for (const p of chosen) composite.update(Buffer.from((JSON.parse(p.checksum ?? '{}') as StoredChecksum).value, 'base64'));
    checksum = { algorithm, value: `${composite.digest().toString('base64')}-${chosen.length}`, type: 'COMPOSITE' };
  }
  const partFiles = stored.map((p) => p.file_id);
  const { acl, headers: withoutAcl } = takeUploadAcl(parseJson<UploadHeaders>(upload.headers, {}));
  const { lock, headers } = takeUploadLock(withoutAcl);
  let result;
  try {
    result = await writeObject(deps, req.ctx, {
      bucket: upload.bucket, key: upload.key, fileId, size, etag,
      headers, metadata: parseJson(upload.metadata, {}), tags: parseJson(upload.tags, {}),
      // What CreateMultipartUpload asked for, else the bucket's default retention counted from completion.
      lock: withDefaultRetention(lock, await requireBucket(deps, upload.bucket), deps.clock.now()),
      ...(checksum ? { checksum } : {}),
      ...(acl ? { acl } : {}),
      partsCount: chosen.length,
      partSizes: chosen.map((p) => p.size),
      eventName: 'ObjectCreated:CompleteMultipartUpload',
      ...(conditions ? { conditions } : {}),
      alsoInTransaction: async (trx, row) => {
        const gone = await trx.deleteFrom('s3_uploads').where('upload_id', '=', upload.upload_id).executeTakeFirst();
        if (Number(gone.numDeletedRows) === 0) throw errors.noSuchUpload(upload.upload_id);
        await trx.deleteFrom('s3_upload_parts').where('upload_id', '=', upload.upload_id).execute();
        await trx.deleteFrom('s3_completed_uploads').where('completed_at', '<', row.last_modified - COMPLETED_UPLOAD_MEMORY_MS).execute();
        await trx
          .insertInto('s3_completed_uploads')
          .values({
            upload_id: upload.upload_id, bucket: upload.bucket, key: upload.key, parts: JSON.stringify(asked), etag,
            version_id: row.version_id, checksum: row.checksum, completed_at: row.last_modified,
          })
          .execute();
      },
    });
  } catch (err) {
    await deps.files.remove([fileId]);
    // A concurrent completion of the same upload won: answer as it did when the parts are the same.
    if (err instanceof AwsError && err.code === 'NoSuchUpload') {
      const again = await repeatedCompletion(deps, req, asked);
      if (again) return again;
    }
    throw err;
  }
  await deps.files.remove(partFiles);
  const bucket = await requireBucket(deps, upload.bucket);
  return completionResponse(req, upload.bucket, upload.key, etag, checksum, bucket.versioning ? result.versionId : undefined);
}

export async function listParts(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const upload = await requireUpload(deps, req);
  const marker = Number(req.ctx.query.get('part-number-marker') ?? '0') || 0;
  const maxParts = Math.min(Number(req.ctx.query.get('max-parts') ?? LIST_PARTS_MAX_DEFAULT) || LIST_PARTS_MAX_DEFAULT, LIST_PARTS_MAX_DEFAULT);
  const rows = await deps.db
    .selectFrom('s3_upload_parts')
    .selectAll()
    .where('upload_id', '=', upload.upload_id)
    .where('part_number', '>', marker)
    .orderBy('part_number')
    .limit(maxParts + 1)
    .execute();
  const truncated = rows.length > maxParts;
  const shown = rows.slice(0, maxParts);
  const owner = ownerXml(req.ctx.accountId);
  const algorithm = upload.checksum_algorithm;
  return xmlResponse('ListPartsResult', {
    Bucket: upload.bucket,
    Key: upload.key,
    UploadId: upload.upload_id,
    PartNumberMarker: marker,
    ...(shown.length > 0 ? { NextPartNumberMarker: shown[shown.length - 1]!.part_number } : {}),
    MaxParts: maxParts,
    IsTruncated: truncated,
    Part: shown.map((p) => {
      const c = p.checksum ? (JSON.parse(p.checksum) as StoredChecksum) : undefined;
      return { PartNumber: p.part_number, LastModified: xmlTime(p.last_modified), ETag: `"${p.etag}"`, Size: p.size, ...(c ? { [checksumMember(c.algorithm)]: c.value } : {}) };
    }),
    Initiator: owner,
    Owner: owner,
    StorageClass: 'STANDARD',
    ...(algorithm ? { ChecksumAlgorithm: algorithm.toUpperCase(), ChecksumType: upload.checksum_type ?? undefined } : {}),
  });
}

/**
 * Uploads in key order, then initiation order; with a delimiter, keys sharing `prefix…delimiter`
 * fold into one CommonPrefixes entry that counts once against max-uploads, as in ListObjects.
 * `upload-id-marker` matters only with `key-marker`: uploads of that key after the marked one.
 */
export async function listMultipartUploads(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const q = req.ctx.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const keyMarker = q.get('key-marker') ?? '';
  const uploadIdMarker = keyMarker ? (q.get('upload-id-marker') ?? '') : '';
  const maxUploads = maxKeysOf(req, 'max-uploads');
  const { encode, encodingType } = encoder(req);
  let query = deps.db.selectFrom('s3_uploads').selectAll().where('bucket', '=', bucket.name);
  if (prefix) query = query.where('key', '>=', prefix);
  if (keyMarker) query = query.where('key', '>=', keyMarker);
  const rows = await query.orderBy('key').orderBy('initiated').orderBy('upload_id').execute();
  let afterMarker = uploadIdMarker === '';
  const uploads: UploadRow[] = [];
  const commonPrefixes: string[] = [];
  let truncated = false;
  let last: { key: string; uploadId: string } | undefined;
  for (const u of rows) {
    if (!u.key.startsWith(prefix)) continue;
    if (u.key === keyMarker) {
      // Without an upload-id-marker the key-marker's own uploads are skipped; with one, those after it.
      if (!afterMarker) {
        if (u.upload_id === uploadIdMarker) afterMarker = true;
        continue;
      }
      if (uploadIdMarker === '') continue;
    }
    const at = delimiter ? u.key.indexOf(delimiter, prefix.length) : -1;
    const common = at >= 0 ? u.key.slice(0, at + delimiter.length) : undefined;
    if (common !== undefined && commonPrefixes[commonPrefixes.length - 1] === common) continue;
    if (keyMarker && common !== undefined && common <= keyMarker && keyMarker.startsWith(common)) continue;
    if (uploads.length + commonPrefixes.length >= maxUploads) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      commonPrefixes.push(common);
      last = { key: common, uploadId: '' };
    } else {
      uploads.push(u);
      last = { key: u.key, uploadId: u.upload_id };
    }
  }
  const owner = ownerXml(bucket.account_id);
  const upload: XmlObject[] = uploads.map((u) => ({
    Key: encode(u.key), UploadId: u.upload_id, Initiator: owner, Owner: owner, StorageClass: 'STANDARD', Initiated: xmlTime(u.initiated),
    ...(u.checksum_algorithm ? { ChecksumAlgorithm: u.checksum_algorithm.toUpperCase() } : {}),
    ...(u.checksum_type ? { ChecksumType: u.checksum_type } : {}),
  }));
  return xmlResponse('ListMultipartUploadsResult', {
    Bucket: bucket.name,
    KeyMarker: encode(keyMarker),
    UploadIdMarker: uploadIdMarker,
    ...(truncated && last ? { NextKeyMarker: encode(last.key), NextUploadIdMarker: last.uploadId } : {}),
    ...(delimiter ? { Delimiter: encode(delimiter) } : {}),
    Prefix: encode(prefix),
    ...(encodingType ? { EncodingType: encodingType } : {}),
    MaxUploads: maxUploads,
    IsTruncated: truncated,
    Upload: upload,
    CommonPrefixes: commonPrefixes.map((p) => ({ Prefix: encode(p) })),
  });
}
