import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import type { S3Deps } from '../deps.js';
import { deleteObject, internalWriteContext } from '../object-writes.js';
import { parseJson } from '../tables/objects-table.js';
import { dueAfterDays, ruleSelects, type LifecycleRule } from './rules.js';

/** How often the sweep looks for what lifecycle rules expire (AWS runs them about once a day). */
export const LIFECYCLE_SWEEP_INTERVAL_MS = 60_000;

/**
 * Applies buckets' lifecycle rules every LIFECYCLE_SWEEP_INTERVAL_MS of the injected clock:
 * current versions past their Expiration (deleted, or a delete marker on a versioned bucket),
 * noncurrent versions past NoncurrentVersionExpiration, lone expired delete markers, and multipart
 * uploads past AbortIncompleteMultipartUpload. Removals notify as `s3:LifecycleExpiration:*`.
 */
export class LifecycleSweep {
  private timer: { cancel(): void } | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly deps: S3Deps, private readonly clock: Clock, private readonly logger: Logger) {}

  start(): void {
    if (this.closed) return;
    this.timer = this.clock.setTimeout(() => {
      void this.sweepNow().finally(() => this.start());
    }, LIFECYCLE_SWEEP_INTERVAL_MS);
  }

  /** One sweep now (also what the timer runs). */
  sweepNow(): Promise<void> {
    this.running ??= this.sweep()
      .catch((err: unknown) => this.logger.error({ err }, 's3 lifecycle sweep failed'))
      .finally(() => (this.running = null));
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    await this.running;
  }

  private async sweep(): Promise<void> {
    const nowMs = this.clock.now();
    const buckets = await this.deps.db.selectFrom('s3_buckets').select(['name', 'account_id', 'lifecycle']).where('lifecycle', 'is not', null).execute();
    for (const bucket of buckets) {
      const rules = parseJson<LifecycleRule[]>(bucket.lifecycle, []).filter((r) => r.status === 'Enabled');
      if (rules.length === 0) continue;
      // Noncurrent versions first: a version this sweep makes noncurrent starts its days from now.
      await this.expireNoncurrent(bucket.name, bucket.account_id, rules, nowMs);
      await this.expireCurrent(bucket.name, bucket.account_id, rules, nowMs);
      await this.abortUploads(bucket.name, rules, nowMs);
    }
  }

  private async expireCurrent(bucket: string, accountId: string, rules: LifecycleRule[], nowMs: number): Promise<void> {
    const rows = await this.deps.db
      .selectFrom('s3_objects')
      .select(['key', 'size', 'tags', 'last_modified', 'is_delete_marker'])
      .where('bucket', '=', bucket)
      .where('is_latest', '=', 1)
      .execute();
    for (const row of rows) {
      const tags = parseJson<Record<string, string>>(row.tags, {});
      const applies = rules.filter((r) => ruleSelects(r.filter, row.key, tags, row.size));
      if (row.is_delete_marker === 1) {
        // A delete marker with no versions behind it is removed by ExpiredObjectDeleteMarker.
        if (!applies.some((r) => r.expiration?.expiredObjectDeleteMarker)) continue;
        const versions = await this.deps.db.selectFrom('s3_objects').select('version_id').where('bucket', '=', bucket).where('key', '=', row.key).execute();
        if (versions.length !== 1) continue;
        await deleteObject(this.deps, internalWriteContext(accountId), bucket, row.key, versions[0]!.version_id, undefined, { lifecycle: true });
        continue;
      }
      const due = applies.some((r) => {
        const e = r.expiration;
        if (e?.days !== undefined) return nowMs >= dueAfterDays(row.last_modified, e.days);
        if (e?.date !== undefined) return nowMs >= Date.parse(e.date);
        return false;
      });
      if (due) await deleteObject(this.deps, internalWriteContext(accountId), bucket, row.key, undefined, undefined, { lifecycle: true });
    }
  }

  private async expireNoncurrent(bucket: string, accountId: string, rules: LifecycleRule[], nowMs: number): Promise<void> {
    const withNoncurrent = rules.filter((r) => r.noncurrentExpiration);
    if (withNoncurrent.length === 0) return;
    const rows = await this.deps.db
      .selectFrom('s3_objects')
      .select(['key', 'version_id', 'size', 'tags', 'last_modified', 'is_latest'])
      .where('bucket', '=', bucket)
      .orderBy('key')
      .orderBy('sequence', 'desc')
      .execute();
    // Versions of a key newest first: a version became noncurrent when the one after it was written.
    let previous: { key: string; last_modified: number } | undefined;
    let noncurrentIndex = 0;
    for (const row of rows) {
      if (previous?.key !== row.key) {
        previous = row;
        noncurrentIndex = 0;
        continue;
      }
      const since = previous.last_modified;
      previous = row;
      noncurrentIndex++;
      const tags = parseJson<Record<string, string>>(row.tags, {});
      const due = withNoncurrent.some((r) => {
        const n = r.noncurrentExpiration!;
        if (!ruleSelects(r.filter, row.key, tags, row.size)) return false;
        // NewerNoncurrentVersions keeps that many newer noncurrent versions.
        if (n.newerNoncurrentVersions !== undefined && noncurrentIndex <= n.newerNoncurrentVersions) return false;
        return nowMs >= dueAfterDays(since, n.noncurrentDays);
      });
      if (due) await deleteObject(this.deps, internalWriteContext(accountId), bucket, row.key, row.version_id, undefined, { lifecycle: true });
    }
  }

  private async abortUploads(bucket: string, rules: LifecycleRule[], nowMs: number): Promise<void> {
    const aborting = rules.filter((r) => r.abortIncompleteMultipartUploadDays !== undefined);
    if (aborting.length === 0) return;
    const uploads = await this.deps.db.selectFrom('s3_uploads').select(['upload_id', 'key', 'initiated']).where('bucket', '=', bucket).execute();
    for (const upload of uploads) {
      const due = aborting.some((r) => ruleSelects({ ...r.filter, tags: [] }, upload.key, {}, 0) && nowMs >= dueAfterDays(upload.initiated, r.abortIncompleteMultipartUploadDays!));
      if (!due) continue;
      const files = await this.deps.db.transaction().execute(async (trx) => {
        const parts = await trx.selectFrom('s3_upload_parts').select('file_id').where('upload_id', '=', upload.upload_id).execute();
        await trx.deleteFrom('s3_upload_parts').where('upload_id', '=', upload.upload_id).execute();
        await trx.deleteFrom('s3_uploads').where('upload_id', '=', upload.upload_id).execute();
        return parts.map((p) => p.file_id);
      });
      await this.deps.files.remove(files);
    }
  }
}
