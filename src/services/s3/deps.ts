import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { AsyncInvoker } from '../../contracts/async-invoker.js';
import type { Clock } from '../../clock.js';
import type { CredentialSource } from '../../auth/credentials.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import type { NotificationDelivery } from './notifications/delivery.js';
import type { ObjectFiles } from './object-files.js';

/** Whether a function exists and its resource policy lets S3 invoke it (Lambda's answer, in-process). */
export interface FunctionInvokeCheck {
  check(functionArn: string, caller: { principalService: string; sourceArn: string; sourceAccount: string }): Promise<'allowed' | 'denied' | 'missing'>;
}

export interface S3Deps {
  db: Store;
  files: ObjectFiles;
  clock: Clock;
  logger: Logger;
  sinks: DeliverySinks;
  /** Absent until the async-invocation machinery is wired: Lambda notifications then wait in the outbox. */
  asyncInvoker?: AsyncInvoker;
  functions?: FunctionInvokeCheck;
  delivery: NotificationDelivery;
  /** The edge's credential store: browser POST forms are signed inside the form, so S3 checks them itself. */
  credentials: CredentialSource;
}
