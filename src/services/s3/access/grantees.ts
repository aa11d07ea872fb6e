import { errors } from '../errors.js';
import { accountOfCanonicalId } from '../owner.js';
import { header, type S3Request } from '../request.js';
import { cannedAcl, GROUP_URIS, type Grant, type Permission, type StoredAcl } from './acl.js';

/** How a grant names its grantee, in `x-amz-grant-*` headers (`id=`, `uri=`, `emailAddress=`) and in ACL documents. */
export type GranteeKind = 'id' | 'uri' | 'emailAddress';

const GRANT_HEADERS: ReadonlyArray<readonly [string, Permission]> = [
  ['x-amz-grant-read', 'READ'],
  ['x-amz-grant-write', 'WRITE'],
  ['x-amz-grant-read-acp', 'READ_ACP'],
  ['x-amz-grant-write-acp', 'WRITE_ACP'],
  ['x-amz-grant-full-control', 'FULL_CONTROL'],
];

/**
 * The regions where S3 stopped taking email grantees on 1 October 2025 (a 405 there); elsewhere an
 * address must name an account, and no Lambkin account has one.
 */
const EMAIL_GRANTS_RETIRED = new Set(['us-east-1', 'us-west-1', 'us-west-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'eu-west-1', 'sa-east-1']);

export interface GrantContext {
  /** The bucket's account: grants naming it add nothing to the owner's FULL_CONTROL. */
  ownerAccount: string;
  /** The bucket's region (email grantees are refused differently by region). */
  region: string;
  method: string;
  resourceType: 'BUCKET' | 'OBJECT';
}

/** One grantee as S3 checks it: a canonical user id of an account, a known group URI, or an email address. */
export function grantOf(kind: GranteeKind, value: string, permission: Permission, ctx: GrantContext): Grant | undefined {
  if (kind === 'uri') {
    if (!GROUP_URIS.includes(value)) throw errors.invalidArgument('Invalid group uri', 'uri', value);
    return { group: value, permission };
  }
  if (kind === 'emailAddress') {
    if (EMAIL_GRANTS_RETIRED.has(ctx.region)) throw errors.methodNotAllowed(ctx.method, ctx.resourceType);
    throw errors.unresolvableGrantByEmail(value);
  }
  const account = accountOfCanonicalId(value);
  if (account === undefined) throw errors.invalidArgument('Invalid id', 'id', value);
  return account === ctx.ownerAccount ? undefined : { account, permission };
}

/** `id="…", uri="…"` — a header's comma-separated grantees, quotes optional. */
function granteesOf(name: string, value: string): Array<{ kind: GranteeKind; value: string }> {
  const found: Array<{ kind: GranteeKind; value: string }> = [];
  for (const part of value.split(',')) {
    const m = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
    if (!m) throw errors.invalidArgument('Argument format not recognized', name, value);
    const kind = m[1]!.toLowerCase() === 'emailaddress' ? 'emailAddress' : (m[1]!.toLowerCase() as GranteeKind);
    found.push({ kind, value: m[2]! });
  }
  return found;
}

/**
 * The ACL a write names in its headers: `x-amz-acl` (a canned ACL) or `x-amz-grant-*` (grantees per
 * permission), never both; undefined when neither is there.
 */
export function aclOfHeaders(req: S3Request, ctx: GrantContext): StoredAcl | undefined {
  const canned = header(req, 'x-amz-acl');
  const given = GRANT_HEADERS.filter(([name]) => header(req, name) !== undefined);
  if (canned !== undefined && given.length > 0) throw errors.cannedAndHeaderGrants();
  if (canned !== undefined) return cannedAcl(canned);
  if (given.length === 0) return undefined;
  const grants: Grant[] = [];
  for (const [name, permission] of given) {
    for (const grantee of granteesOf(name, header(req, name)!)) {
      const grant = grantOf(grantee.kind, grantee.value, permission, ctx);
      if (grant) grants.push(grant);
    }
  }
  return { canned: 'custom', grants };
}
