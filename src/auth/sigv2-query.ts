import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from '../protocols/header-value.js';

/**
 * S3's legacy query-string authentication (Signature Version 2): `?AWSAccessKeyId=…&Expires=…&Signature=…`,
 * which boto3 and the AWS CLI still produce for presigned URLs unless told to use SigV4. Only S3
 * accepts it, as in AWS.
 */
export function isSigV2Query(query: URLSearchParams): boolean {
  return query.has('AWSAccessKeyId') && query.has('Signature') && !query.has('X-Amz-Credential');
}

// Sub-resources that are part of the signed resource (S3 developer guide, "RESTAuthentication").
const SIGNED_SUBRESOURCES = new Set([
  'acl', 'delete', 'lifecycle', 'location', 'logging', 'notification', 'partNumber', 'policy', 'requestPayment', 'response-cache-control',
  'response-content-disposition', 'response-content-encoding', 'response-content-language', 'response-content-type', 'response-expires',
  'restore', 'tagging', 'torrent', 'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'website',
]);

export interface SigV2Request {
  method: string;
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

/** Whether `Signature` is the HMAC-SHA1 of the request under `secret`, path-style or virtual-hosted. */
export function sigV2Matches(request: SigV2Request, secret: string): boolean {
  const amzHeaders = Object.keys(request.headers)
    .filter((name) => name.startsWith('x-amz-'))
    .sort()
    .map((name) => `${name}:${headerValue(request.headers[name])?.trim() ?? ''}\n`)
    .join('');
  const subresources = [...request.query.keys()]
    .filter((k) => SIGNED_SUBRESOURCES.has(k))
    .sort()
    .map((k) => (request.query.get(k) === '' ? k : `${k}=${request.query.get(k)}`));
  const suffix = subresources.length > 0 ? `?${subresources.join('&')}` : '';
  const host = (headerValue(request.headers.host) ?? '').replace(/:\d+$/, '');
  const hostBucket = /^(.+)\.s3[.-]/.exec(host)?.[1];
  const resources = [request.rawPath + suffix];
  if (hostBucket) resources.push(`/${hostBucket}${request.rawPath}${suffix}`);
  const given = Buffer.from(request.query.get('Signature') ?? '');
  return resources.some((resource) => {
    const stringToSign = [
      request.method,
      headerValue(request.headers['content-md5']) ?? '',
      headerValue(request.headers['content-type']) ?? '',
      request.query.get('Expires') ?? '',
      amzHeaders + resource,
    ].join('\n');
    const expected = Buffer.from(createHmac('sha1', secret).update(stringToSign).digest('base64'));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
