import type { XmlObject } from '../../../protocols/rest-xml.js';
import { errors } from '../errors.js';
import { ownerXml } from '../owner.js';

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
/** The groups a grant may name (another URI is `Invalid group uri`). */
export const GROUP_URIS: readonly string[] = [ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY];

export type Permission = 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';

/** One grant beyond the owner's FULL_CONTROL (which every ACL here has): to a group, or to another account's canonical user. */
export type Grant = { group: string; permission: Permission } | { account: string; permission: Permission };

/** A stored ACL: the canned ACL it came from and the group grants it makes. */
export interface StoredAcl {
  canned: string;
  grants: Grant[];
}

/** The canned ACLs S3 takes, as the group grants each adds to the owner's FULL_CONTROL. */
const CANNED: Record<string, Grant[]> = {
  private: [],
  'public-read': [{ group: ALL_USERS, permission: 'READ' }],
  'public-read-write': [{ group: ALL_USERS, permission: 'READ' }, { group: ALL_USERS, permission: 'WRITE' }],
  'authenticated-read': [{ group: AUTHENTICATED_USERS, permission: 'READ' }],
  'aws-exec-read': [],
  // The bucket owner is the object owner here (one account writes a bucket), so these add nothing.
  'bucket-owner-read': [],
  'bucket-owner-full-control': [],
  'log-delivery-write': [{ group: LOG_DELIVERY, permission: 'WRITE' }, { group: LOG_DELIVERY, permission: 'READ_ACP' }],
};

/** `x-amz-acl`, or undefined when absent; an unknown canned ACL is refused as S3 refuses it. */
export function cannedAcl(value: string | undefined): StoredAcl | undefined {
  if (value === undefined) return undefined;
  const grants = CANNED[value];
  if (!grants) throw errors.invalidArgument('', 'x-amz-acl', value);
  return { canned: value, grants };
}

export function parseAcl(text: string | null): StoredAcl {
  return text ? (JSON.parse(text) as StoredAcl) : { canned: 'private', grants: [] };
}

/** Whether the ACL gives one of the groups, or the account, a permission; FULL_CONTROL implies every one. */
export function grantsTo(acl: StoredAcl, groups: readonly string[], permission: Permission, accountId?: string): boolean {
  return acl.grants.some((g) => ('group' in g ? groups.includes(g.group) : g.account === accountId) && (g.permission === permission || g.permission === 'FULL_CONTROL'));
}

export function isPublicAcl(acl: StoredAcl): boolean {
  return acl.grants.some((g) => 'group' in g && (g.group === ALL_USERS || g.group === AUTHENTICATED_USERS));
}

/** `<AccessControlPolicy>` as GetBucketAcl/GetObjectAcl answer. */
export function aclXml(acl: StoredAcl, ownerAccount: string): XmlObject {
  return {
    Owner: ownerXml(ownerAccount),
    AccessControlList: {
      Grant: [
        grantXml({ account: ownerAccount, permission: 'FULL_CONTROL' }),
        ...acl.grants.map(grantXml),
      ],
    },
  };
}

const xsi = { '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' };

/** One `<Grant>`: its grantee (a group by URI, an account's canonical user) and permission. */
export function grantXml(g: Grant): XmlObject {
  return {
    Grantee: 'group' in g ? { ...xsi, '@_xsi:type': 'Group', URI: g.group } : { ...xsi, '@_xsi:type': 'CanonicalUser', ...ownerXml(g.account) },
    Permission: g.permission,
  };
}
