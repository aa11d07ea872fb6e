import { parseXml, xmlText, type XmlObject } from '../../../protocols/rest-xml.js';
import { errors } from '../errors.js';
import { header, type S3Request } from '../request.js';
import type { BucketRow, ObjectRow } from '../tables/objects-table.js';

export type RetentionMode = 'GOVERNANCE' | 'COMPLIANCE';

/** A bucket's Object Lock: enabled for good once on, with an optional default retention. */
export interface BucketLock {
  enabled: true;
  rule?: { mode: RetentionMode; days?: number; years?: number };
}

/** What a new version is locked with. */
export interface VersionLock {
  mode: RetentionMode | null;
  untilMs: number | null;
  legalHold: boolean | null;
}

const DAY_MS = 86_400_000;

export function bucketLock(bucket: Pick<BucketRow, 'object_lock'>): BucketLock | undefined {
  return bucket.object_lock ? (JSON.parse(bucket.object_lock) as BucketLock) : undefined;
}

function retentionMode(value: string | undefined): RetentionMode {
  if (value !== 'GOVERNANCE' && value !== 'COMPLIANCE') throw errors.malformedXml();
  return value;
}

/** `<ObjectLockConfiguration>` as PutObjectLockConfiguration takes it. */
export function parseLockConfiguration(text: string): BucketLock {
  const root = parseXml(text)?.ObjectLockConfiguration as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') throw errors.malformedXml();
  if (xmlText(root.ObjectLockEnabled) !== 'Enabled') throw errors.malformedXml();
  const rule = root.Rule as Record<string, unknown> | undefined;
  if (rule === undefined) return { enabled: true };
  const retention = (typeof rule === 'object' && rule !== null ? rule.DefaultRetention : undefined) as Record<string, unknown> | undefined;
  if (!retention || typeof retention !== 'object') throw errors.malformedXml();
  const mode = retentionMode(xmlText(retention.Mode));
  const days = xmlText(retention.Days);
  const years = xmlText(retention.Years);
  if ((days === undefined) === (years === undefined)) throw errors.malformedXml();
  const count = Number(days ?? years);
  if (!Number.isInteger(count) || count <= 0) throw errors.retentionPeriodInvalid();
  return { enabled: true, rule: { mode, ...(days !== undefined ? { days: count } : { years: count }) } };
}

export function lockConfigurationXml(lock: BucketLock): XmlObject {
  const rule = lock.rule;
  return {
    ObjectLockEnabled: 'Enabled',
    ...(rule ? { Rule: { DefaultRetention: { Mode: rule.mode, ...(rule.days !== undefined ? { Days: rule.days } : { Years: rule.years }) } } } : {}),
  };
}

/** A retain-until date as S3 takes it (ISO 8601), in ms; it must lie ahead. */
export function retainUntil(text: string | undefined, nowMs: number): number {
  const ms = text === undefined ? NaN : Date.parse(text);
  if (Number.isNaN(ms)) throw errors.malformedXml();
  if (ms <= nowMs) throw errors.retainUntilInPast();
  return ms;
}

/**
 * The lock the `x-amz-object-lock-*` headers ask for (mode and date together), nulls where they
 * are absent; headers on a bucket without Object Lock are refused as S3 refuses them.
 */
export function requestedLock(req: S3Request, bucket: BucketRow, nowMs: number): VersionLock {
  const mode = header(req, 'x-amz-object-lock-mode');
  const until = header(req, 'x-amz-object-lock-retain-until-date');
  const hold = header(req, 'x-amz-object-lock-legal-hold');
  if (!bucketLock(bucket)) {
    if (mode !== undefined || until !== undefined || hold !== undefined) throw errors.bucketMissingObjectLock();
    return { mode: null, untilMs: null, legalHold: null };
  }
  const legalHold = hold === undefined ? null : hold === 'ON';
  if (mode === undefined && until === undefined) return { mode: null, untilMs: null, legalHold };
  if (mode === undefined || until === undefined) throw errors.lockHeadersIncomplete();
  if (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') throw errors.unknownLockMode(mode);
  return { mode, untilMs: retainUntil(until, nowMs), legalHold };
}

/** A lock without a mode gets the bucket's default retention, counted from now (the version's creation). */
export function withDefaultRetention(lock: VersionLock, bucket: BucketRow, nowMs: number): VersionLock {
  const rule = bucketLock(bucket)?.rule;
  if (lock.mode !== null || !rule) return lock;
  const untilMs = rule.days !== undefined ? nowMs + rule.days * DAY_MS : addYears(nowMs, rule.years ?? 0);
  return { ...lock, mode: rule.mode, untilMs };
}

/** The lock a write gives its version: what its headers ask for, else the bucket's default retention. */
export function lockOfWrite(req: S3Request, bucket: BucketRow, nowMs: number): VersionLock {
  return withDefaultRetention(requestedLock(req, bucket, nowMs), bucket, nowMs);
}

function addYears(ms: number, years: number): number {
  const d = new Date(ms);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.getTime();
}

/**
 * Whether a version may be removed now: not under legal hold, and its retention has passed —
 * or is GOVERNANCE and the caller bypasses it (`x-amz-bypass-governance-retention`).
 */
export function checkRemovable(row: Pick<ObjectRow, 'lock_mode' | 'lock_until' | 'legal_hold'>, bypassGovernance: boolean, nowMs: number): void {
  if (row.legal_hold === 1) throw errors.objectLocked();
  if (row.lock_mode && row.lock_until !== null && Number(row.lock_until) > nowMs && !(row.lock_mode === 'GOVERNANCE' && bypassGovernance)) throw errors.objectLocked();
}

/** Headers GET and HEAD add for a locked version. */
export function lockHeaders(row: Pick<ObjectRow, 'lock_mode' | 'lock_until' | 'legal_hold'>): Record<string, string> {
  const out: Record<string, string> = {};
  if (row.lock_mode && row.lock_until !== null) {
    out['x-amz-object-lock-mode'] = row.lock_mode;
    out['x-amz-object-lock-retain-until-date'] = new Date(Number(row.lock_until)).toISOString();
  }
  if (row.legal_hold !== null) out['x-amz-object-lock-legal-hold'] = row.legal_hold === 1 ? 'ON' : 'OFF';
  return out;
}

export function bypassesGovernance(req: S3Request): boolean {
  return header(req, 'x-amz-bypass-governance-retention')?.toLowerCase() === 'true';
}
