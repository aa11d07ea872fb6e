import type { ServiceResponse } from '../../../contracts/request-context.js';
import type { XmlObject } from '../../../protocols/rest-xml.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { checksumXml } from '../object-headers.js';
import { LIST_PARTS_MAX_DEFAULT } from '../limits.js';
import { bucketOf, header, httpTime, requireBucket, xmlResponse, type S3Request } from '../request.js';
import { checksumOfRow, parseJson, type ObjectRow, type StoredHeaders } from '../tables/objects-table.js';
import { readableVersion } from './objects.js';

const ATTRIBUTES = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);

/**
 * GetObjectAttributes: what HeadObject and ListParts would tell, for the attributes
 * `x-amz-object-attributes` names. Parts are listed (paged by `x-amz-max-parts` and
 * `x-amz-part-number-marker`) for multipart objects only, with their sizes; per-part checksums are
 * not kept after completion, so parts carry none.
 */
export async function getObjectAttributes(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const asked = (header(req, 'x-amz-object-attributes') ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
  if (asked.length === 0) throw errors.objectAttributesMissing();
  const unknown = asked.find((a) => !ATTRIBUTES.has(a));
  if (unknown !== undefined) throw errors.invalidObjectAttribute(unknown);
  const bucket = await requireBucket(deps, bucketOf(req));
  const row = await readableVersion(deps, req, bucket);
  const wanted = new Set(asked);
  const body: XmlObject = {};
  if (wanted.has('ETag')) body.ETag = row.etag;
  if (wanted.has('Checksum')) {
    const checksum = checksumXml(checksumOfRow(row));
    if (Object.keys(checksum).length > 0) body.Checksum = checksum;
  }
  if (wanted.has('ObjectParts') && row.parts_count !== null) body.ObjectParts = partsXml(req, row);
  if (wanted.has('StorageClass')) body.StorageClass = parseJson<StoredHeaders>(row.headers, {})['x-amz-storage-class'] ?? 'STANDARD';
  if (wanted.has('ObjectSize')) body.ObjectSize = row.size;
  const headers: Record<string, string> = { 'last-modified': httpTime(row.last_modified) };
  if (bucket.versioning) headers['x-amz-version-id'] = row.version_id;
  return xmlResponse('GetObjectAttributesResponse', body, headers);
}

function partsXml(req: S3Request, row: ObjectRow): XmlObject {
  const sizes = row.part_sizes ? (JSON.parse(row.part_sizes) as number[]) : [];
  const marker = Math.max(0, Number(header(req, 'x-amz-part-number-marker') ?? '0') || 0);
  const maxParts = Math.min(Math.max(0, Number(header(req, 'x-amz-max-parts') ?? LIST_PARTS_MAX_DEFAULT) || LIST_PARTS_MAX_DEFAULT), LIST_PARTS_MAX_DEFAULT);
  const shown = sizes.map((size, i) => ({ PartNumber: i + 1, Size: size })).filter((p) => p.PartNumber > marker).slice(0, maxParts);
  const last = shown[shown.length - 1]?.PartNumber ?? marker;
  return {
    PartsCount: row.parts_count ?? sizes.length,
    PartNumberMarker: marker,
    NextPartNumberMarker: last,
    MaxParts: maxParts,
    IsTruncated: last < sizes.length,
    ...(shown.length > 0 ? { Part: shown } : {}),
  };
}
