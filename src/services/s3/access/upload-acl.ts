import type { UploadHeaders } from '../object-lock/upload-lock.js';
import type { StoredAcl } from './acl.js';

/**
 * A multipart upload keeps the ACL CreateMultipartUpload asked for (`x-amz-acl` or grant headers)
 * among its stored headers, under a name no request header can have, until CompleteMultipartUpload
 * gives it to the new version.
 */
const ACL = 'x-lambkin-upload-acl';

export function withUploadAcl(headers: UploadHeaders, acl: StoredAcl | undefined): UploadHeaders {
  return acl ? { ...headers, [ACL]: JSON.stringify(acl) } : headers;
}

export function takeUploadAcl(headers: UploadHeaders): { acl: StoredAcl | undefined; headers: UploadHeaders } {
  const { [ACL]: acl, ...rest } = headers;
  return { acl: acl === undefined ? undefined : (JSON.parse(acl) as StoredAcl), headers: rest };
}
