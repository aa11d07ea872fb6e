import type { ServiceResponse } from '../../../contracts/request-context.js';
import { parseXml, xmlText } from '../../../protocols/rest-xml.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { BUCKET_TAGS_MAX, MAX_XML_REQUEST_BYTES, OBJECT_TAGS_MAX, TAG_KEY_MAX_CHARS, TAG_VALUE_MAX_CHARS } from '../limits.js';
import { readDocument } from '../payload.js';
import { bucketOf, emptyResponse, keyOf, requireBucket, xmlResponse, type S3Request } from '../request.js';
import { latestObject, objectVersion, parseJson, type ObjectRow } from '../tables/objects-table.js';

/** Tag keys and values: letters, digits, spaces and `+ - = . _ : / @` in any script (S3's tag rule). */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** S3's tag rules, for an object's tags (at most 10) or a bucket's (at most 50). */
function checkTags(tags: Record<string, string>, max: number): Record<string, string> {
  const count = Object.keys(tags).length;
  if (count > max) throw errors.tooManyTags(max === OBJECT_TAGS_MAX ? `Object tags cannot be greater than ${max}` : `Bucket tag count cannot be greater than ${max}`);
  for (const [k, v] of Object.entries(tags)) {
    if ([...k].length === 0 || [...k].length > TAG_KEY_MAX_CHARS || !TAG_TEXT.test(k)) throw errors.invalidTag('The TagKey you have provided is invalid');
    if ([...v].length > TAG_VALUE_MAX_CHARS || !TAG_TEXT.test(v)) throw errors.invalidTag('The TagValue you have provided is invalid');
    // The aws: prefix is reserved for tags AWS sets itself.
    if (k.toLowerCase().startsWith('aws:')) throw errors.invalidTag('System tags cannot be added/updated by requester');
  }
  return tags;
}

/** `x-amz-tagging: a=1&b=2` */
export function parseTaggingHeader(value: string | undefined): Record<string, string> {
  if (!value) return {};
  const tags: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(value)) {
    if (k in tags) throw errors.invalidTag('Cannot provide multiple Tags with the same key');
    tags[k] = v;
  }
  return checkTags(tags, OBJECT_TAGS_MAX);
}

async function readTagSet(req: S3Request, max: number): Promise<Record<string, string>> {
  const doc = parseXml(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES), ['Tag']);
  const root = doc?.Tagging as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') throw errors.malformedXml();
  return tagsOf(root, max);
}

/**
 * The `tagging` field of a POST form: a `<Tagging>` document. S3 refuses text that is not XML but
 * takes a document of another shape as no tags.
 */
export function parseTaggingField(text: string | undefined): Record<string, string> {
  if (text === undefined) return {};
  const doc = parseXml(text, ['Tag']);
  if (!doc) throw errors.malformedXml();
  const root = doc.Tagging as Record<string, unknown> | undefined;
  return root && typeof root === 'object' ? tagsOf(root, OBJECT_TAGS_MAX) : {};
}

function tagsOf(root: Record<string, unknown>, max: number): Record<string, string> {
  const tagSet = root.TagSet as Record<string, unknown> | undefined;
  const tags: Record<string, string> = {};
  for (const tag of ((tagSet && typeof tagSet === 'object' ? tagSet.Tag : undefined) as Array<Record<string, unknown>> | undefined) ?? []) {
    const key = xmlText(tag.Key) ?? '';
    if (key in tags) throw errors.invalidTag('Cannot provide multiple Tags with the same key');
    tags[key] = xmlText(tag.Value) ?? '';
  }
  return checkTags(tags, max);
}

function tagSetXml(tags: Record<string, string>) {
  return { TagSet: { Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } };
}

async function taggedVersion(deps: S3Deps, req: S3Request): Promise<ObjectRow> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const key = keyOf(req);
  const versionId = req.ctx.query.get('versionId');
  const row = versionId !== null ? await objectVersion(deps.db, bucket.name, key, versionId) : await latestObject(deps.db, bucket.name, key);
  if (!row) throw versionId !== null ? errors.noSuchVersion(key, versionId) : errors.noSuchKey(key);
  if (row.is_delete_marker) throw versionId !== null ? errors.methodNotAllowed(req.ctx.method, 'DeleteMarker') : errors.noSuchKey(key);
  return row;
}

function versionHeader(row: ObjectRow, versioned: boolean): Record<string, string> {
  return versioned ? { 'x-amz-version-id': row.version_id } : {};
}

export async function getObjectTagging(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const row = await taggedVersion(deps, req);
  const bucket = await requireBucket(deps, row.bucket);
  return xmlResponse('Tagging', tagSetXml(parseJson(row.tags, {})), versionHeader(row, bucket.versioning !== null));
}

async function setObjectTags(deps: S3Deps, req: S3Request, tags: Record<string, string> | null, status: number): Promise<ServiceResponse> {
  const row = await taggedVersion(deps, req);
  const bucket = await requireBucket(deps, row.bucket);
  await deps.db
    .updateTable('s3_objects')
    .set({ tags: tags && Object.keys(tags).length > 0 ? JSON.stringify(tags) : null })
    .where('bucket', '=', row.bucket)
    .where('key', '=', row.key)
    .where('version_id', '=', row.version_id)
    .execute();
  return emptyResponse(status, versionHeader(row, bucket.versioning !== null));
}

export async function putObjectTagging(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  return setObjectTags(deps, req, await readTagSet(req, OBJECT_TAGS_MAX), 200);
}

export function deleteObjectTagging(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  return setObjectTags(deps, req, null, 204);
}

export async function getBucketTagging(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  if (!bucket.tags) throw errors.noSuchTagSet(bucket.name);
  return xmlResponse('Tagging', tagSetXml(JSON.parse(bucket.tags) as Record<string, string>));
}

export async function putBucketTagging(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const tags = await readTagSet(req, BUCKET_TAGS_MAX);
  await deps.db.updateTable('s3_buckets').set({ tags: JSON.stringify(tags) }).where('name', '=', bucket.name).execute();
  return emptyResponse(204);
}

export async function deleteBucketTagging(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  await deps.db.updateTable('s3_buckets').set({ tags: null }).where('name', '=', bucket.name).execute();
  return emptyResponse(204);
}
