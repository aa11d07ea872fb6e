import path from 'node:path';
import type { CredentialSource } from '../../auth/credentials.js';
import type { Clock } from '../../clock.js';
import type { AsyncInvoker } from '../../contracts/async-invoker.js';
import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { FunctionInvokeCheck } from '../../contracts/function-invoke-check.js';
import type { ObjectReader } from '../../contracts/object-reader.js';
import type { StartedService } from '../../contracts/started-service.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import type { S3Deps } from './deps.js';
import { AccessLogDelivery } from './access-log/delivery.js';
import { s3DeliverySink } from './delivery-sink.js';
import { NotificationDelivery } from './notifications/delivery.js';
import { ObjectFiles, type SharedObjectBodies } from './object-files.js';
import { S3ObjectReader } from './object-reader.js';
import { sweepUnreferencedObjectFiles } from './recovery.js';
import { createS3Service } from './service.js';
import { LifecycleSweep } from './lifecycle/sweep.js';

export interface StartedS3 extends StartedService {
  /** Whole objects for other services (Lambda's code from S3). */
  objects: ObjectReader;
  /** Delivers the notifications committed before a restart and not yet delivered; starts the lifecycle sweep. */
  start(): void;
  /** Applies lifecycle rules now (tests). */
  sweepLifecycle(): Promise<void>;
  close(): Promise<void>;
}

/** The embedded S3: object files under `<dataDir>/s3` (swept of orphans), its API and notification delivery. */
export async function startS3(deps: {
  db: Store;
  dataDir: string;
  clock: Clock;
  logger: Logger;
  sinks: DeliverySinks;
  /** Lambda notifications; absent, they wait in the outbox. */
  asyncInvoker?: AsyncInvoker;
  functions?: FunctionInvokeCheck;
  credentials: CredentialSource;
  /** Server access log batching (default ACCESS_LOG_FLUSH_MS_DEFAULT). */
  accessLogFlushMs?: number;
  /** The lifecycle sweep's clock (tests move it days ahead); `clock` when absent. */
  lifecycleClock?: Clock;
  /** Where bodies are stored for every node (a shared store); absent, they stay in `<dataDir>/s3`. */
  sharedBodies?: SharedObjectBodies;
}): Promise<StartedS3> {
  const { db, clock, logger, sinks } = deps;
  const files = new ObjectFiles(path.join(deps.dataDir, 's3'), deps.sharedBodies);
  await sweepUnreferencedObjectFiles(db, files, logger);
  const delivery = new NotificationDelivery({ db, clock, logger, sinks, asyncInvoker: deps.asyncInvoker });
  const accessLog = new AccessLogDelivery({ db, files, clock, logger, delivery }, deps.accessLogFlushMs);
  const s3: S3Deps = { db, files, clock, logger, sinks, functions: deps.functions, delivery, credentials: deps.credentials, accessLog };
  sinks.register(s3DeliverySink(s3));
  const lifecycle = new LifecycleSweep(s3, deps.lifecycleClock ?? clock, logger);
  return {
    service: createS3Service(s3),
    objects: new S3ObjectReader(db, files, clock),
    start: () => {
      delivery.kick();
      lifecycle.start();
    },
    sweepLifecycle: () => lifecycle.sweepNow(),
    // Every bucket with its objects, versions, uploads and pending notifications; the files of the
    // rows deleted go after them (not a sweep: a write under way has a file no row names yet).
    reset: async () => {
      accessLog.discard();
      const fileIds = await db.transaction().execute(async (trx) => {
        const objects = await trx.selectFrom('s3_objects').select('file_id').execute();
        const parts = await trx.selectFrom('s3_upload_parts').select('file_id').execute();
        for (const table of ['s3_notification_outbox', 's3_completed_uploads', 's3_upload_parts', 's3_uploads', 's3_objects', 's3_buckets'] as const) {
          await trx.deleteFrom(table).execute();
        }
        return [...objects.map((o) => o.file_id), ...parts.map((p) => p.file_id)];
      });
      await files.remove(fileIds);
    },
    close: async () => {
      await lifecycle.close();
      // Access logs first: their objects may notify.
      await accessLog.close();
      await delivery.close();
    },
  };
}
