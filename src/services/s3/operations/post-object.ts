import type { ServiceResponse } from '../../../contracts/request-context.js';
import { headerValue } from '../../../protocols/header-value.js';
import { xmlDocument } from '../../../protocols/rest-xml.js';
import { CHECKSUM_ALGORITHMS, parseChecksumAlgorithm, type ChecksumAlgorithm, type StoredChecksum } from '../checksums.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_SINGLE_PUT_BYTES } from '../limits.js';
import { bucketPolicyAllowsAccount } from '../access/cross-account.js';
import { requestedEncryption, withEncryption } from '../encryption.js';
import { checksumHeaders, storedHeadersOf, userMetadataOf } from '../object-headers.js';
import { cannedAcl } from '../access/acl.js';
import { checkAclAllowed } from './acl-config.js';
import { writeObject } from '../object-writes.js';
import { FormFields, readPostForm, type PostForm } from '../post-object/form.js';
import { checkPolicy, parsePolicy } from '../post-object/policy.js';
import { receiveFile } from '../post-object/receive-file.js';
import { authenticatePostForm } from '../post-object/signature.js';
import { bucketOf, requireBucket, type S3Request } from '../request.js';
import { bucketFromHost } from '../routing.js';
import type { BucketRow } from '../tables/objects-table.js';
import { checkKey } from './objects.js';
import { parseTaggingField } from './tagging.js';

/**
 * PostObject: a browser-based upload. The form's policy, signed with the uploader's credentials,
 * says what the form may contain; the object is then written as PutObject writes it, and its
 * notifications are `ObjectCreated:Post`.
 */
export async function postObject(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const contentType = headerValue(req.ctx.headers['content-type'])?.trim().toLowerCase() ?? '';
  if (!contentType.startsWith('multipart/form-data')) throw errors.postNotMultipart();
  if (!req.ctx.bodyStream) throw errors.malformedPostRequest();
  const form = await readPostForm(req.ctx.headers, req.ctx.bodyStream);
  try {
    return await storePostedObject(deps, req, bucket, form);
  } finally {
    form.release();
  }
}

async function storePostedObject(deps: S3Deps, req: S3Request, bucket: BucketRow, form: PostForm): Promise<ServiceResponse> {
  const fields = new FormFields(form.fields);
  const keyField = fields.get('key');
  if (keyField === undefined || keyField === '') throw errors.postFieldMissing('key');
  const credential = await authenticatePostForm(fields, bucket.region, deps.credentials);
  // The form's signer stands for its account: another account's bucket must let it upload.
  if (credential.accountId !== bucket.account_id && !bucketPolicyAllowsAccount(bucket, credential.accountId, 's3:PutObject', `arn:aws:s3:::${bucket.name}/${fields.get('key') ?? ''}`, deps.clock.now())) {
    throw errors.accessDenied();
  }
  const range = checkPolicy(parsePolicy(fields.get('policy') ?? ''), { fields, bucket: bucket.name, nowMs: deps.clock.now() });

  // `${filename}` is the file part's name; a part without one leaves the text as it is.
  const key = form.filename === undefined ? keyField : keyField.split('${filename}').join(form.filename);
  checkKey(key);
  const asHeaders = fields.asHeaders();
  const headers = withEncryption(storedHeadersOf(asHeaders), requestedEncryption({ ...req, ctx: { ...req.ctx, headers: asHeaders } }, bucket));
  const metadata = userMetadataOf(asHeaders);
  const tags = parseTaggingField(fields.get('tagging'));
  // A form names a canned ACL in its `acl` field (the policy's conditions usually pin it).
  const acl = cannedAcl(fields.get('acl'));
  checkAclAllowed(bucket, acl);
  const expectedChecksum = CHECKSUM_ALGORITHMS.find((a) => fields.has(`x-amz-checksum-${a}`));
  const algorithm: ChecksumAlgorithm = expectedChecksum ?? parseChecksumAlgorithm(fields.get('x-amz-checksum-algorithm')) ?? 'crc64nvme';

  const file = await receiveFile(deps.files, form.file, {
    minBytes: range?.minBytes ?? 0,
    maxBytes: Math.min(range?.maxBytes ?? MAX_SINGLE_PUT_BYTES, MAX_SINGLE_PUT_BYTES),
  }, algorithm);
  if (expectedChecksum && fields.get(`x-amz-checksum-${expectedChecksum}`) !== file.checksum.value) {
    await deps.files.discardTemp(file.tempPath);
    throw errors.checksumMismatch(expectedChecksum);
  }
  const fileId = await deps.files.keep(file.tempPath);
  const checksum: StoredChecksum = { ...file.checksum, type: 'FULL_OBJECT' };
  let versionId: string;
  try {
    // The uploader is whoever signed the policy: the records name them, as for a signed PUT.
    const ctx = { ...req.ctx, accountId: credential.accountId, accessKeyId: credential.accessKeyId };
    ({ versionId } = await writeObject(deps, ctx, {
      bucket: bucket.name, key, fileId, size: file.size, etag: file.md5Hex, headers, metadata, tags, checksum,
      eventName: 'ObjectCreated:Post',
      ...(acl ? { acl } : {}),
    }));
  } catch (err) {
    await deps.files.remove([fileId]);
    throw err;
  }
  return postAnswer(fields, req, bucket, { key, etag: `"${file.md5Hex}"`, versionId, checksum });
}

/** 303 to `success_action_redirect`, else `success_action_status` 200, 201 (a PostResponse) or 204. */
function postAnswer(fields: FormFields, req: S3Request, bucket: BucketRow, object: { key: string; etag: string; versionId: string; checksum: StoredChecksum }): ServiceResponse {
  const location = objectUrl(req, bucket.name, object.key);
  const headers: Record<string, string> = {
    etag: object.etag,
    location,
    ...(bucket.versioning ? { 'x-amz-version-id': object.versionId } : {}),
    ...checksumHeaders(object.checksum),
  };
  const redirect = absoluteUrl(fields.get('success_action_redirect') ?? fields.get('redirect'));
  if (redirect !== undefined) {
    const query = new URLSearchParams({ bucket: bucket.name, key: object.key, etag: object.etag }).toString();
    return { status: 303, headers: { ...headers, location: `${redirect}${redirect.includes('?') ? '&' : '?'}${query}` } };
  }
  switch (fields.get('success_action_status')) {
    case '200':
      return { status: 200, headers };
    case '201':
      return {
        status: 201,
        headers: { ...headers, 'content-type': 'application/xml' },
        body: xmlDocument('PostResponse', { Location: location, Bucket: bucket.name, Key: object.key, ETag: object.etag }),
      };
    default:
      return { status: 204, headers };
  }
}

/** S3 redirects only to an absolute http(s) URL; anything else answers as if none was given. */
function absoluteUrl(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? text : undefined;
  } catch {
    return undefined;
  }
}

/** The object's URL in the style the form was posted with; the key is escaped whole, `/` included, as S3 does. */
function objectUrl(req: S3Request, bucket: string, key: string): string {
  const { protocol, hostname, port } = req.ctx.endpoint;
  const defaultPort = (protocol === 'http' && port === 80) || (protocol === 'https' && port === 443);
  const origin = `${protocol}://${hostname}${defaultPort ? '' : `:${port}`}`;
  const path = bucketFromHost(hostname) !== null ? `/${encodeURIComponent(key)}` : `/${encodeURIComponent(bucket)}/${encodeURIComponent(key)}`;
  return origin + path;
}
