import { errors } from '../errors.js';
import type { BucketRow } from '../tables/objects-table.js';
import type { StoredAcl } from './acl.js';

export const OBJECT_OWNERSHIPS = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'] as const;
export type ObjectOwnership = (typeof OBJECT_OWNERSHIPS)[number];

export function isObjectOwnership(value: string): value is ObjectOwnership {
  return (OBJECT_OWNERSHIPS as readonly string[]).includes(value);
}

/** BucketOwnerEnforced turns ACLs off: they no longer grant anything, and only the owner's full control may be set. */
export function aclsDisabled(bucket: Pick<BucketRow, 'object_ownership'>): boolean {
  return bucket.object_ownership === 'BucketOwnerEnforced';
}

/**
 * An ACL a request would set, on a bucket whose ACLs are off: S3 takes only
 * `bucket-owner-full-control` (or a document granting nobody else), else AccessControlListNotSupported.
 */
export function checkAclWritable(bucket: Pick<BucketRow, 'object_ownership'>, acl: StoredAcl | undefined): void {
  if (!acl || !aclsDisabled(bucket)) return;
  const ownerOnly = acl.grants.length === 0 && (acl.canned === 'bucket-owner-full-control' || acl.canned === 'custom');
  if (!ownerOnly) throw errors.aclNotSupported();
}
