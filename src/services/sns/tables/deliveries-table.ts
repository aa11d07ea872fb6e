import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Clock } from '../../../clock.js';
import { newRowIds } from '../../../store/cluster/row-ids.js';
import { isPostgres, type Store } from '../../../store/database.js';
import { DurableQueue } from '../../../store/queue/durable-queue.js';
import type { QueueTable } from '../../../store/queue/queue.js';
import type { Database, SnsDeliveriesTable } from '../../../store/schema.js';
import type { PendingDelivery, StoredDelivery } from '../delivery/pending-delivery.js';

type DeliveryRow = Selectable<SnsDeliveriesTable>;

/** SNS's queue table: deliveries in publish (id) order; a FIFO group's one at a time. */
export const SNS_DELIVERIES: QueueTable<DeliveryRow> = { name: 'sns_deliveries' satisfies keyof Database, order: ['id'], group: 'group_key' };

/** The deliveries a publish owes, queued in the durable queue (store/queue) with SNS's own columns. */
export class DeliveriesTable {
  /** Highest id handed out; the single writer assigns ids (see migration 0002 for why). */
  private lastId: number | undefined;
  readonly queue: DurableQueue<DeliveryRow>;

  constructor(db: Store, clock: Clock) {
    this.queue = new DurableQueue(db, SNS_DELIVERIES, clock);
  }

  /** Stores deliveries in the caller's transaction, so they are durable before Publish answers. */
  async insert(trx: Transaction<Database> | Kysely<Database>, deliveries: PendingDelivery[], now: number): Promise<void> {
    if (deliveries.length === 0) return;
    // Several nodes insert on PostgreSQL: ids come from the table's sequence there.
    const ids = isPostgres(trx) ? await newRowIds(trx, 'sns_deliveries', deliveries.length) : undefined;
    if (!ids && this.lastId === undefined) {
      const row = await trx.selectFrom('sns_deliveries').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
      this.lastId = Number(row?.max ?? 0);
    }
    const rows = deliveries.map((d, i) => ({
      id: ids ? ids[i]! : ++this.lastId!,
      subscription_arn: d.subscriptionArn,
      topic_arn: d.topicArn,
      protocol: d.protocol,
      endpoint: d.endpoint,
      // Neither an ARN nor a group id holds a space (PostgreSQL refuses a NUL in text: migration 0068).
      group_key: d.payload.kind === 'sqs' && d.payload.messageGroupId !== undefined ? `${d.subscriptionArn} ${d.payload.messageGroupId}` : null,
      message: JSON.stringify({ payload: d.payload, deadLetter: d.deadLetter }),
      attempts: 0,
      created_at: now,
    }));
    await this.queue.enqueue(trx, rows, now);
  }

  /** Leases due deliveries in id order; of a FIFO group only its oldest row, whether due or waiting for a retry. */
  async lease(limit: number, leaseMs: number): Promise<StoredDelivery[]> {
    const rows = await this.queue.lease(limit, leaseMs);
    return rows.map((r) => {
      const stored = JSON.parse(r.message) as Pick<PendingDelivery, 'payload' | 'deadLetter'>;
      return {
        id: r.id,
        subscriptionArn: r.subscription_arn,
        topicArn: r.topic_arn,
        protocol: r.protocol,
        endpoint: r.endpoint,
        payload: stored.payload,
        deadLetter: stored.deadLetter,
        groupKey: r.group_key,
        attempts: r.attempts,
        nextAttemptAt: Number(r.next_attempt_at),
      };
    });
  }
}
