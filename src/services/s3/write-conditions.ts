import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from '../../protocols/header-value.js';
import { errors } from './errors.js';
import type { ObjectRow } from './tables/objects-table.js';

/**
 * Conditional writes and deletes (S3, 2024–2025): `If-None-Match: *` writes only when the key has
 * no current object; `If-Match: <etag>|*` writes or deletes only when the current object has that
 * ETag. They are checked again inside the transaction that writes, so two racing writers cannot
 * both pass.
 */
export interface WriteConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

/** The conditions a PutObject, CopyObject, CompleteMultipartUpload or DeleteObject carries. */
export function writeConditionsOf(headers: IncomingHttpHeaders, operation: 'write' | 'delete'): WriteConditions | undefined {
  const ifMatch = headerValue(headers['if-match']);
  const ifNoneMatch = operation === 'write' ? headerValue(headers['if-none-match']) : undefined;
  // S3 takes only `*` in If-None-Match on writes; an ETag there asks for something it does not do.
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') throw errors.headerNotImplemented('If-None-Match');
  if (operation === 'delete') {
    // General purpose buckets refuse the directory-bucket-only delete conditions rather than ignore them.
    for (const name of ['x-amz-if-match-last-modified-time', 'x-amz-if-match-size']) {
      if (headers[name] !== undefined) throw errors.headerNotImplemented(name);
    }
  }
  if (ifMatch === undefined && ifNoneMatch === undefined) return undefined;
  return { ...(ifMatch !== undefined ? { ifMatch } : {}), ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}) };
}

/** Throws S3's answer when `current` (the key's current version, if any) fails the conditions. */
export function checkWriteConditions(current: ObjectRow | undefined, key: string, conditions: WriteConditions | undefined): void {
  if (!conditions) return;
  const live = current && current.is_delete_marker === 0 ? current : undefined;
  if (conditions.ifNoneMatch !== undefined && live) throw errors.preconditionFailed('If-None-Match');
  if (conditions.ifMatch !== undefined) {
    // No current object (or a delete marker): nothing to match, so S3 says the key is not there.
    if (!live) throw errors.noSuchKey(key);
    if (!etagListMatches(conditions.ifMatch, live.etag)) throw errors.preconditionFailed('If-Match');
  }
}

/** An If-Match / If-None-Match list (`"a", "b"`, `*`, quoted or not) against a stored ETag. */
export function etagListMatches(list: string, etag: string): boolean {
  const quoted = `"${etag}"`;
  return list.split(',').map((t) => t.trim()).some((t) => t === '*' || t === quoted || `"${t}"` === quoted || t === `W/${quoted}`);
}
