import type { ServiceResponse } from '../../../contracts/request-context.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { readDocument } from '../payload.js';
import { isPublicPolicy } from '../access/anonymous.js';
import { storedBlock } from '../access/public-access-block.js';
import { bucketOf, emptyResponse, requireBucket, type S3Request } from '../request.js';

/** S3 refuses bucket policies over 20 KB. */
const MAX_POLICY_BYTES = 20 * 1024;

/**
 * PutBucketPolicy. The document gets S3's structural checks (JSON, the required fields, resources
 * of this bucket) and is stored as given. It is evaluated for anonymous requests only (statements
 * for `*`, access/anonymous.ts); signed callers are decided by their IAM policies and the bucket's
 * account, so the CDK's `aws:SecureTransport` deny does not refuse Lambkin's plain-HTTP endpoint
 * to the SDKs.
 */
export async function putBucketPolicy(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const text = await readDocument(req.ctx, MAX_POLICY_BYTES + 1);
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) throw errors.malformedPolicy('Policies must be less than 20 KB');
  checkPolicy(text, bucket.name);
  // Block Public Access's BlockPublicPolicy refuses a policy that would make the bucket public.
  if (storedBlock(bucket.public_access_block)?.BlockPublicPolicy && isPublicPolicy(text)) throw errors.accessDenied();
  await deps.db.updateTable('s3_buckets').set({ policy: text }).where('name', '=', bucket.name).execute();
  return emptyResponse(204);
}

export async function getBucketPolicy(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  if (bucket.policy === null) throw errors.noSuchBucketPolicy(bucket.name);
  return { status: 200, headers: { 'content-type': 'application/json' }, body: bucket.policy };
}

/** DeleteBucketPolicy: 204 whether or not the bucket had one, as S3 answers. */
export async function deleteBucketPolicy(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  await deps.db.updateTable('s3_buckets').set({ policy: null }).where('name', '=', bucket.name).execute();
  return emptyResponse(204);
}

/** S3's MalformedPolicy checks, with its messages. */
function checkPolicy(text: string, bucket: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw errors.malformedPolicy('This policy contains invalid Json');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw errors.malformedPolicy('This policy contains invalid Json');
  const raw = (doc as Record<string, unknown>).Statement;
  if (raw === undefined) throw errors.malformedPolicy('Missing required field Statement');
  const statements = Array.isArray(raw) ? raw : [raw];
  for (const statement of statements) {
    if (typeof statement !== 'object' || statement === null) throw errors.malformedPolicy('This policy contains invalid Json');
    const s = statement as Record<string, unknown>;
    if (s.Effect === undefined) throw errors.malformedPolicy('Missing required field Effect');
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw errors.malformedPolicy('Invalid effect: ' + String(s.Effect));
    if (s.Principal === undefined && s.NotPrincipal === undefined) throw errors.malformedPolicy('Missing required field Principal');
    if (s.Action === undefined && s.NotAction === undefined) throw errors.malformedPolicy('Missing required field Action');
    const resources = s.Resource ?? s.NotResource;
    if (resources === undefined) throw errors.malformedPolicy('Missing required field Resource');
    for (const resource of Array.isArray(resources) ? resources : [resources]) {
      if (!ofBucket(String(resource), bucket)) throw errors.malformedPolicy('Policy has invalid resource');
    }
  }
}

/** A bucket policy may name only this bucket and its objects (wildcards allowed). */
function ofBucket(resource: string, bucket: string): boolean {
  if (resource === '*') return true;
  const m = /^arn:aws:s3:::([^/]*)(\/.*)?$/.exec(resource);
  if (!m) return false;
  const pattern = new RegExp('^' + m[1]!.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return pattern.test(bucket);
}
