import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import { headerValue } from '../../protocols/header-value.js';
import { xmlDocument, type XmlObject } from '../../protocols/rest-xml.js';
import type { S3Deps } from './deps.js';
import { errors } from './errors.js';
import { getBucket, type BucketRow } from './tables/objects-table.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** A request once the bucket and key are known (path-style or virtual-hosted). */
export interface S3Request {
  ctx: RequestContext;
  bucket: string | null;
  key: string | null;
}

export type S3Handler = (deps: S3Deps, req: S3Request) => Promise<ServiceResponse>;

export function header(req: S3Request, name: string): string | undefined {
  return headerValue(req.ctx.headers[name]);
}

export function xmlResponse(root: string, content: XmlObject, headers: Record<string, string> = {}, status = 200): ServiceResponse {
  return { status, headers: { 'content-type': 'application/xml', ...headers }, body: xmlDocument(root, content, S3_XMLNS) };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): ServiceResponse {
  return { status, headers };
}

/** The bucket row, or NoSuchBucket. */
export async function requireBucket(deps: S3Deps, name: string): Promise<BucketRow> {
  const bucket = await getBucket(deps.db, name);
  if (!bucket) throw errors.noSuchBucket(name);
  return bucket;
}

export function bucketOf(req: S3Request): string {
  return req.bucket ?? '';
}

export function keyOf(req: S3Request): string {
  return req.key ?? '';
}

/** `2026-01-05T10:11:12.000Z`, as S3 writes times in XML. */
export function xmlTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** `Mon, 05 Jan 2026 10:11:12 GMT`, as S3 writes times in headers. */
export function httpTime(ms: number): string {
  return new Date(ms).toUTCString();
}

