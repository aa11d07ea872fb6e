import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { LateMessageWrites } from './late-message-writes.js';
import type { LongPolls } from './long-poll.js';
import type { MessageNumbering } from './message-numbering.js';
import type { QueueRegistry } from './queue-registry.js';
import type { WriteLog } from './write-log.js';

/** What the message operations of one `SqsQueues` share: its clock, store writes, counters, long polls and queues. */
export interface MessageContext {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly writes: WriteLog;
  readonly lateWrites: LateMessageWrites;
  readonly numbering: MessageNumbering;
  readonly longPolls: LongPolls;
  readonly registry: QueueRegistry;
}
