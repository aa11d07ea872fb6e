import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { QueueMessage } from './model.js';
import type { WriteLog } from './write-log.js';

/** How long late writes wait: a batch received and deleted within it costs one grouped DELETE and no UPDATE. */
export const LATE_WRITE_DELAY_MS = 100;
/** Sequence numbers per `IN (…)` list, well under SQLite's host-parameter limit. */
const SEQS_PER_STATEMENT = 500;

type ReceiveState = Pick<QueueMessage, 'visibleAt' | 'receiveCount' | 'receiptToken' | 'firstReceiveAt'>;

/**
 * Store writes that nobody waits for, gathered for LATE_WRITE_DELAY_MS and written together: the
 * receive state of messages (visible_at, receive_count, receipt_token, first_receive_at, taken
 * from the in-memory message at write time) and the deletes of an event source mapping. A message
 * received and deleted within the delay never costs an UPDATE, messages received together share one
 * statement, and hundreds of deletes share one statement and one commit. Losing these in a crash
 * only makes messages visible again (early, or after they were processed), with their receive
 * count one lower: at-least-once delivery, as SQS promises. Sends, and deletes a client waits for,
 * do not come here.
 */
export class LateMessageWrites {
  private readonly changedMessages = new Set<QueueMessage>();
  private deletedSeqs: number[] = [];
  private timer: { cancel(): void } | undefined;

  constructor(
    private readonly writes: WriteLog,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The message's receive state changed; it is written later unless the message is gone by then. */
  changed(message: QueueMessage): void {
    this.changedMessages.add(message);
    this.schedule();
  }

  /** The message, already out of its queue's index, leaves the store later. */
  deleted(message: QueueMessage): void {
    this.deletedSeqs.push(message.seq);
    this.schedule();
  }

  private schedule(): void {
    this.timer ??= this.clock.setTimeout(() => void this.flush(), LATE_WRITE_DELAY_MS);
  }

  /** Submits everything gathered so far (close, timer); resolves once committed. */
  flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    const groups = new Map<string, { set: ReceiveState; seqs: number[] }>();
    for (const m of this.changedMessages) {
      if (m.deleted) continue;
      const key = `${m.visibleAt} ${m.receiveCount} ${m.receiptToken ?? ''} ${m.firstReceiveAt ?? ''}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { set: { visibleAt: m.visibleAt, receiveCount: m.receiveCount, receiptToken: m.receiptToken, firstReceiveAt: m.firstReceiveAt }, seqs: [] }));
      group.seqs.push(m.seq);
    }
    this.changedMessages.clear();
    const deleted = this.deletedSeqs;
    this.deletedSeqs = [];
    if (groups.size === 0 && deleted.length === 0) return Promise.resolve();
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
        for (let i = 0; i < deleted.length; i += SEQS_PER_STATEMENT) {
          await trx.deleteFrom('sqs_messages').where('seq', 'in', deleted.slice(i, i + SEQS_PER_STATEMENT)).execute();
        }
      })
      .catch((err: unknown) => this.logger.error({ err }, 'sqs late writes not recorded'));
  }
}
