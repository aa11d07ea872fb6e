import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { AwsError } from '../../contracts/aws-error.js';
import type { QueueMessage, QueueScope } from './model.js';
import type { Queue } from './queue.js';
import { scopeKey } from './scope-keys.js';
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
 * do not come here. Gathered per account and region, each written with its own fence (WriteLog).
 */
export class LateMessageWrites {
  /** Per scope (a cluster node's writes are fenced per account and region, see WriteLog). */
  private changedMessages = new Map<string, { scope: QueueScope; messages: Set<QueueMessage> }>();
  private deletedSeqs = new Map<string, { scope: QueueScope; seqs: number[] }>();
  private timer: { cancel(): void } | undefined;

  constructor(
    private readonly writes: WriteLog,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The message's receive state changed; it is written later unless the message is gone by then. */
  changed(queue: Queue, message: QueueMessage): void {
    const key = scopeKey(queue.scope);
    let entry = this.changedMessages.get(key);
    if (!entry) this.changedMessages.set(key, (entry = { scope: queue.scope, messages: new Set() }));
    entry.messages.add(message);
    this.schedule();
  }

  /** The message, already out of its queue's index, leaves the store later. */
  deleted(queue: Queue, message: QueueMessage): void {
    const key = scopeKey(queue.scope);
    let entry = this.deletedSeqs.get(key);
    if (!entry) this.deletedSeqs.set(key, (entry = { scope: queue.scope, seqs: [] }));
    entry.seqs.push(message.seq);
    this.schedule();
  }

  private schedule(): void {
    this.timer ??= this.clock.setTimeout(() => void this.flush(), LATE_WRITE_DELAY_MS);
  }

  /** Submits everything gathered so far (close, timer); resolves once committed. */
  async flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    const changed = this.changedMessages;
    const deleted = this.deletedSeqs;
    const keys = new Set([...changed.keys(), ...deleted.keys()]);
    const scopes = new Map([...changed, ...deleted].map(([key, entry]) => [key, entry.scope]));
    this.changedMessages = new Map();
    this.deletedSeqs = new Map();
    await Promise.all([...keys].map((key) => this.flushScope(scopes.get(key)!, changed.get(key)?.messages ?? new Set(), deleted.get(key)?.seqs ?? [])));
  }

  private flushScope(scope: QueueScope, changed: Set<QueueMessage>, deleted: number[]): Promise<void> {
    const groups = new Map<string, { set: ReceiveState; seqs: number[] }>();
    for (const m of changed) {
      if (m.deleted) continue;
      const key = `${m.visibleAt} ${m.receiveCount} ${m.receiptToken ?? ''} ${m.firstReceiveAt ?? ''}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { set: { visibleAt: m.visibleAt, receiveCount: m.receiveCount, receiptToken: m.receiptToken, firstReceiveAt: m.firstReceiveAt }, seqs: [] }));
      group.seqs.push(m.seq);
    }
    if (groups.size === 0 && deleted.length === 0) return Promise.resolve();
    return this.writes
      .submit(scope, async (trx) => {
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
      .catch((err: unknown) => {
        // Refused: the queues moved to another node, which serves them as stored (at-least-once).
        if (err instanceof AwsError && err.status === 503) this.logger.warn({ scope: scopeKey(scope) }, 'sqs late writes dropped: the queues moved to another node');
        else this.logger.error({ err }, 'sqs late writes not recorded');
      });
  }
}
