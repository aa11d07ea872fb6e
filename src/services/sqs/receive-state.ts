import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { QueueMessage } from './model.js';
import type { WriteLog } from './write-log.js';

/** How long receive-state changes wait before they are written (a batch deleted meanwhile costs no write). */
export const RECEIVE_STATE_SAVE_MS = 100;
/** Sequence numbers per `IN (…)` list, well under SQLite's host-parameter limit. */
const SEQS_PER_STATEMENT = 500;

/**
 * Writes the receive state of messages (visible_at, receive_count, receipt_token,
 * first_receive_at) a little after it changes, from the in-memory message at that time. A
 * message received and deleted within the delay (an event source mapping's batch, a quick
 * consumer) never costs an UPDATE, and messages received together share one statement.
 * Losing this state in a crash only makes messages visible again early, with their receive count
 * one lower: at-least-once delivery, as SQS promises. Sends and deletes are not deferred.
 */
export class ReceiveStateWriter {
  private readonly unsaved = new Set<QueueMessage>();
  private timer: { cancel(): void } | undefined;

  constructor(
    private readonly writes: WriteLog,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The message's receive state changed; it is written within RECEIVE_STATE_SAVE_MS unless deleted first. */
  changed(message: QueueMessage): void {
    this.unsaved.add(message);
    this.timer ??= this.clock.setTimeout(() => void this.flush(), RECEIVE_STATE_SAVE_MS);
  }

  /** Submits whatever is unsaved now (close, tests); resolves once committed. */
  flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    const groups = new Map<string, { set: Pick<QueueMessage, 'visibleAt' | 'receiveCount' | 'receiptToken' | 'firstReceiveAt'>; seqs: number[] }>();
    for (const m of this.unsaved) {
      if (m.deleted) continue;
      const key = `${m.visibleAt} ${m.receiveCount} ${m.receiptToken ?? ''} ${m.firstReceiveAt ?? ''}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { set: { visibleAt: m.visibleAt, receiveCount: m.receiveCount, receiptToken: m.receiptToken, firstReceiveAt: m.firstReceiveAt }, seqs: [] }));
      group.seqs.push(m.seq);
    }
    this.unsaved.clear();
    if (groups.size === 0) return Promise.resolve();
    return this.writes
      .submit(async (trx) => {
        for (const { set, seqs } of groups.values()) {
          for (let i = 0; i < seqs.length; i += SEQS_PER_STATEMENT) {
            await trx.updateTable('sqs_messages')
              .set({ visible_at: set.visibleAt, receive_count: set.receiveCount, receipt_token: set.receiptToken, first_receive_at: set.firstReceiveAt })
              .where('seq', 'in', seqs.slice(i, i + SEQS_PER_STATEMENT))
              .execute();
          }
        }
      })
      .catch((err: unknown) => this.logger.error({ err }, 'sqs receive state not recorded'));
  }
}
