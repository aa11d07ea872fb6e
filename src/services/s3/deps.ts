import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { AsyncInvoker } from '../../contracts/async-invoker.js';
import type { Clock } from '../../clock.js';
import type { CredentialSource } from '../../auth/credentials.js';
import type { FunctionInvokeCheck } from '../../contracts/function-invoke-check.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import type { AccessLogSink } from './access-log/sink.js';
import type { NotificationDelivery } from './notifications/delivery.js';
import type { ObjectFiles } from './object-files.js';

export interface S3Deps {
  db: Store;
  files: ObjectFiles;
  clock: Clock;
  logger: Logger;
  sinks: DeliverySinks;
  /** Absent until the async-invocation machinery is wired: Lambda notifications then wait in the outbox. */
  asyncInvoker?: AsyncInvoker;
  /** Lambda's answer whether a notification's function exists and lets S3 invoke it. */
  functions?: FunctionInvokeCheck;
  delivery: NotificationDelivery;
  /** The edge's credential store: browser POST forms are signed inside the form, so S3 checks them itself. */
  credentials: CredentialSource;
  /** Server access logging; absent where S3 runs without it (unit tests). */
  accessLog?: AccessLogSink;
}
