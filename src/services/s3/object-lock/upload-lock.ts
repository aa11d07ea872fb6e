import type { StoredHeaders } from '../tables/objects-table.js';
import { lockHeaders, type VersionLock } from './settings.js';

/**
 * A multipart upload keeps the lock CreateMultipartUpload asked for among its stored headers, as the
 * `x-amz-object-lock-*` headers GET sends, until CompleteMultipartUpload gives it to the new version
 * (the version's own lock then lives in its lock columns, so the headers are taken out again).
 */
export type UploadHeaders = StoredHeaders & Record<string, string | undefined>;

const MODE = 'x-amz-object-lock-mode';
const UNTIL = 'x-amz-object-lock-retain-until-date';
const HOLD = 'x-amz-object-lock-legal-hold';

export function withUploadLock(headers: StoredHeaders, lock: VersionLock): UploadHeaders {
  return { ...headers, ...lockHeaders({ lock_mode: lock.mode, lock_until: lock.untilMs, legal_hold: lock.legalHold === null ? null : lock.legalHold ? 1 : 0 }) };
}

export function takeUploadLock(headers: UploadHeaders): { lock: VersionLock; headers: StoredHeaders } {
  const { [MODE]: mode, [UNTIL]: until, [HOLD]: hold, ...rest } = headers;
  const lock: VersionLock = {
    mode: mode === 'GOVERNANCE' || mode === 'COMPLIANCE' ? mode : null,
    untilMs: until === undefined ? null : Date.parse(until),
    legalHold: hold === undefined ? null : hold === 'ON',
  };
  return { lock, headers: rest };
}
