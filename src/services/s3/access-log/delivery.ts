import { randomBytes } from 'node:crypto';
import type { S3Deps } from '../deps.js';
import { internalWriteContext, writeBytesObject } from '../object-writes.js';
import { getBucket } from '../tables/objects-table.js';
import { parseLoggingConfig, type LoggingConfig } from './config.js';
import { accessLogLine, type AccessLogEntry } from './record-line.js';
import type { AccessLogSink } from './sink.js';
import { LOGGING_SERVICE, logDeliveryAllowed } from './target-permission.js';

/** How long records wait before they are written as a log object (S3 delivers within hours; locally, seconds). */
export const ACCESS_LOG_FLUSH_MS_DEFAULT = 3_000;

interface Batch {
  config: LoggingConfig;
  sourceAccount: string;
  sourceRegion: string;
  sourceBucket: string;
  lines: string[];
  firstEventMs: number;
}

/**
 * Server access log delivery: requests to a bucket with logging enabled are kept in memory and
 * written, every flush interval, as one object per source bucket under the target bucket's prefix.
 * Like S3's (best effort), records not yet flushed are lost if the process dies; on a clean stop
 * they are flushed. A target that no longer exists, or whose policy or ACL does not let S3's log
 * delivery write (target-permission.ts), loses its batch, as S3's delivery would.
 */
export class AccessLogDelivery implements AccessLogSink {
  private readonly batches = new Map<string, Batch>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly deps: Pick<S3Deps, 'db' | 'files' | 'clock' | 'logger' | 'delivery'>,
    private readonly flushMs = ACCESS_LOG_FLUSH_MS_DEFAULT,
  ) {}

  /** Notes a request to `bucket` when that bucket logs; never throws (logging must not fail a request). */
  async note(bucket: string, entry: Omit<AccessLogEntry, 'bucketOwnerAccount' | 'bucket'>): Promise<void> {
    try {
      const row = await getBucket(this.deps.db, bucket);
      const config = parseLoggingConfig(row?.logging ?? null);
      if (!row || !config || this.closed) return;
      const line = accessLogLine({ ...entry, bucket, bucketOwnerAccount: row.account_id });
      const id = `${bucket}\n${config.targetBucket}\n${config.targetPrefix}`;
      let batch = this.batches.get(id);
      if (!batch) {
        batch = { config, sourceAccount: row.account_id, sourceRegion: row.region, sourceBucket: bucket, lines: [], firstEventMs: entry.timeMs };
        this.batches.set(id, batch);
      }
      batch.lines.push(line);
      this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
    } catch (err) {
      this.deps.logger.warn({ err, bucket }, 's3 access log record dropped');
    }
  }

  /** Forgets every pending batch (a state reset: a bucket made afterwards must not get old lines). */
  discard(): void {
    this.batches.clear();
  }

  /** Writes every pending batch as a log object. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.batches.values()];
    this.batches.clear();
    this.flushing = this.flushing.then(async () => {
      for (const batch of batches) await this.deliver(batch);
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private async deliver(batch: Batch): Promise<void> {
    const nowMs = this.deps.clock.now();
    const key = logObjectKey(batch, nowMs);
    try {
      const target = await getBucket(this.deps.db, batch.config.targetBucket);
      if (!target) throw new Error(`target bucket ${batch.config.targetBucket} does not exist`);
      if (!logDeliveryAllowed(target, { bucket: batch.sourceBucket, accountId: batch.sourceAccount }, key)) {
        throw new Error(`target bucket ${target.name} lets neither ${LOGGING_SERVICE} (bucket policy) nor the LogDelivery group (ACL) write ${key}`);
      }
      await writeBytesObject(this.deps as S3Deps, internalWriteContext(batch.sourceAccount), {
        bucket: target.name, key, body: Buffer.from(batch.lines.join('\n') + '\n', 'utf8'), contentType: 'text/plain',
        ...(batch.config.targetGrants ? { acl: { canned: 'custom', grants: batch.config.targetGrants } } : {}),
      });
    } catch (err) {
      this.deps.logger.warn({ err, bucket: batch.sourceBucket, target: batch.config.targetBucket, records: batch.lines.length }, 's3 access log delivery failed');
    }
  }
}

/**
 * `[prefix]YYYY-MM-DD-hh-mm-ss-UNIQUE` (SimplePrefix), or with PartitionedPrefix
 * `[prefix][account]/[region]/[bucket]/YYYY/MM/DD/YYYY-MM-DD-hh-mm-ss-UNIQUE`.
 */
export function logObjectKey(batch: Pick<Batch, 'config' | 'sourceAccount' | 'sourceRegion' | 'sourceBucket' | 'firstEventMs'>, deliveryMs: number): string {
  const format = batch.config.keyFormat;
  const partitioned = format?.kind === 'partitioned';
  const dateMs = format?.kind === 'partitioned' && format.dateSource === 'EventTime' ? batch.firstEventMs : deliveryMs;
  const iso = new Date(deliveryMs).toISOString();
  const stamp = `${iso.slice(0, 10)}-${iso.slice(11, 13)}-${iso.slice(14, 16)}-${iso.slice(17, 19)}`;
  const unique = randomBytes(8).toString('hex').toUpperCase();
  if (!partitioned) return `${batch.config.targetPrefix}${stamp}-${unique}`;
  const day = new Date(dateMs).toISOString().slice(0, 10).replace(/-/g, '/');
  return `${batch.config.targetPrefix}${batch.sourceAccount}/${batch.sourceRegion}/${batch.sourceBucket}/${day}/${stamp}-${unique}`;
}
