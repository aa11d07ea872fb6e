import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from '../protocols/header-value.js';

/**
 * Whether a request is an S3 browser-based upload (an HTML form POSTed as multipart/form-data):
 * it carries no Authorization header and no presigned query, because its credentials and
 * signature travel inside the form, over the policy. Only a service that authenticates such forms
 * itself (S3) may take it unverified.
 */
export function isBrowserPostForm(method: string, headers: IncomingHttpHeaders, query: URLSearchParams): boolean {
  if (method !== 'POST') return false;
  if (headerValue(headers.authorization)) return false;
  if (query.has('X-Amz-Credential') || query.has('X-Amz-Signature') || query.has('AWSAccessKeyId') || query.has('Signature')) return false;
  const type = headerValue(headers['content-type'])?.trim().toLowerCase() ?? '';
  return type.startsWith('multipart/form-data');
}
