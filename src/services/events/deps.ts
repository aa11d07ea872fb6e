import type { MetricRecorder } from '../../contracts/metric-recorder.js';
import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { AsyncInvoker } from '../../contracts/async-invoker.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import type { OAuthTokens } from './connections/oauth-tokens.js';

export interface EventsDeps {
  db: Store;
  clock: Clock;
  logger: Logger;
  /** Lambda targets: asynchronous invocation. Absent until the async invoker is wired in. */
  asyncInvoker?: AsyncInvoker;
  /** SQS, SNS and event-bus targets and target DLQs. */
  sinks: DeliverySinks;
  /** Wakes the delivery dispatcher after new deliveries were stored. */
  onDeliveriesStored?: () => void;
  /** Where `AWS/Events` Invocations and FailedInvocations go; none recorded when absent. */
  metrics?: MetricRecorder;
  /** OAuth tokens of connections, shared by authorization and API destination invocations. */
  oauthTokens: OAuthTokens;
  /** Tells the schedule runner a rule was written. */
  onRulesChanged?: () => void;
}
