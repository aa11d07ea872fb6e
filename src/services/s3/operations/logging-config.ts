import type { ServiceResponse } from '../../../contracts/request-context.js';
import { parseXml, xmlText, type XmlObject } from '../../../protocols/rest-xml.js';
import { grantXml, type Grant, type Permission } from '../access/acl.js';
import { grantOf, type GrantContext } from '../access/grantees.js';
import { aclsDisabled } from '../access/ownership.js';
import { parseLoggingConfig, type LoggingConfig } from '../access-log/config.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_XML_REQUEST_BYTES } from '../limits.js';
import { readDocument } from '../payload.js';
import { bucketOf, emptyResponse, requireBucket, xmlResponse, type S3Request } from '../request.js';
import { getBucket } from '../tables/objects-table.js';

/**
 * PutBucketLogging. S3's checks on the target: it exists, it has the source bucket's owner and
 * region, and TargetGrants only when its ACLs are on (they become the log objects' grants).
 * Whether the target lets S3's log delivery write is checked at each delivery
 * (access-log/target-permission.ts), as S3 checks it.
 */
export async function putBucketLogging(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const doc = parseXml(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES), ['Grant']);
  const root = doc?.BucketLoggingStatus;
  if (root === undefined) throw errors.malformedXml();
  const enabled = typeof root === 'object' && root !== null ? ((root as Record<string, unknown>).LoggingEnabled as Record<string, unknown> | undefined) : undefined;
  let config: LoggingConfig | undefined;
  if (enabled !== undefined) {
    if (typeof enabled !== 'object' || enabled === null) throw errors.malformedXml();
    const targetBucket = xmlText(enabled.TargetBucket);
    const targetPrefix = xmlText(enabled.TargetPrefix);
    if (targetBucket === undefined || targetPrefix === undefined) throw errors.malformedXml();
    const target = await getBucket(deps.db, targetBucket);
    if (!target) throw errors.loggingTargetMissing(targetBucket);
    if (target.account_id !== bucket.account_id) throw errors.loggingTargetOwner(targetBucket);
    if (target.region !== bucket.region) throw errors.loggingCrossLocation(target.region, bucket.region);
    const targetGrants = targetGrantsOf(enabled.TargetGrants, { ownerAccount: bucket.account_id, region: target.region, method: req.ctx.method, resourceType: 'BUCKET' });
    if (targetGrants.length > 0 && aclsDisabled(target)) throw errors.loggingTargetGrants();
    config = { targetBucket, targetPrefix, ...keyFormatOf(enabled.TargetObjectKeyFormat), ...(targetGrants.length > 0 ? { targetGrants } : {}) };
  }
  await deps.db.updateTable('s3_buckets').set({ logging: config ? JSON.stringify(config) : null }).where('name', '=', bucket.name).execute();
  return emptyResponse(200);
}

const LOG_PERMISSIONS = new Set(['FULL_CONTROL', 'READ', 'WRITE']);

/** `<TargetGrants><Grant>…` with S3's grantee checks; a permission other than FULL_CONTROL, READ, WRITE is MalformedXML. */
function targetGrantsOf(value: unknown, ctx: GrantContext): Grant[] {
  if (value === undefined || typeof value !== 'object' || value === null) return [];
  const grants: Grant[] = [];
  for (const g of ((value as Record<string, unknown>).Grant as Array<Record<string, unknown>> | undefined) ?? []) {
    const permission = xmlText(g.Permission);
    if (permission === undefined || !LOG_PERMISSIONS.has(permission)) throw errors.malformedXml();
    const grantee = (g.Grantee ?? {}) as Record<string, unknown>;
    const uri = xmlText(grantee.URI);
    const id = xmlText(grantee.ID);
    const email = xmlText(grantee.EmailAddress);
    const grant = uri !== undefined ? grantOf('uri', uri, permission as Permission, ctx)
      : id !== undefined ? grantOf('id', id, permission as Permission, ctx)
      : email !== undefined ? grantOf('emailAddress', email, permission as Permission, ctx)
      : undefined;
    if (grant) grants.push(grant);
  }
  return grants;
}

function keyFormatOf(value: unknown): Pick<LoggingConfig, 'keyFormat'> {
  if (value === undefined || typeof value !== 'object' || value === null) return {};
  const format = value as Record<string, unknown>;
  if (format.PartitionedPrefix !== undefined) {
    const partitioned = format.PartitionedPrefix;
    const source = typeof partitioned === 'object' && partitioned !== null ? xmlText((partitioned as Record<string, unknown>).PartitionDateSource) : undefined;
    if (source !== undefined && source !== 'EventTime' && source !== 'DeliveryTime') throw errors.malformedXml();
    return { keyFormat: { kind: 'partitioned', dateSource: source ?? 'EventTime' } };
  }
  return format.SimplePrefix !== undefined ? { keyFormat: { kind: 'simple' } } : {};
}

export async function getBucketLogging(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const config = parseLoggingConfig(bucket.logging);
  if (!config) return xmlResponse('BucketLoggingStatus', {});
  const enabled: XmlObject = { TargetBucket: config.targetBucket, TargetPrefix: config.targetPrefix };
  if (config.keyFormat?.kind === 'simple') enabled.TargetObjectKeyFormat = { SimplePrefix: {} };
  if (config.keyFormat?.kind === 'partitioned') enabled.TargetObjectKeyFormat = { PartitionedPrefix: { PartitionDateSource: config.keyFormat.dateSource } };
  if (config.targetGrants) enabled.TargetGrants = { Grant: config.targetGrants.map(grantXml) };
  return xmlResponse('BucketLoggingStatus', { LoggingEnabled: enabled });
}
