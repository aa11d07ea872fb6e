import type { RequestContext } from '../../contracts/request-context.js';
import type { S3Request } from './request.js';

/**
 * Bucket and key of a request. Virtual-hosted style names the bucket in the host
 * (`photos.s3.localhost:4566`, `photos.s3.us-east-1.amazonaws.com`); path style puts it first in
 * the path. Keys are percent-decoded (`+` stays a plus, as in S3 paths).
 */
export function locate(ctx: RequestContext): S3Request {
  const hostBucket = bucketFromHost(ctx.endpoint.hostname);
  const path = ctx.rawPath.startsWith('/') ? ctx.rawPath.slice(1) : ctx.rawPath;
  if (hostBucket !== null) {
    return { ctx, bucket: hostBucket, key: path === '' ? null : safeDecode(path) };
  }
  if (path === '') return { ctx, bucket: null, key: null };
  const slash = path.indexOf('/');
  if (slash < 0) return { ctx, bucket: safeDecode(path), key: null };
  const key = path.slice(slash + 1);
  return { ctx, bucket: safeDecode(path.slice(0, slash)), key: key === '' ? null : safeDecode(key) };
}

const VIRTUAL_HOST = /^(.+)\.s3(?:[.-][a-z0-9-]+)*\.(?:localhost|amazonaws\.com(?:\.cn)?|localhost\.localstack\.cloud)$/i;

export function bucketFromHost(hostname: string): string | null {
  const m = VIRTUAL_HOST.exec(hostname);
  return m?.[1] ?? null;
}

/** Percent-decoded (a malformed escape leaves the text as it came). */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
