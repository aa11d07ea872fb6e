import type { Kysely, Transaction } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { Database } from '../../../store/schema.js';
import type { PendingDelivery, StoredDelivery } from '../delivery/pending-delivery.js';

export class DeliveriesTable {
  /** Highest id handed out; the single writer assigns ids (see migration 0002 for why). */
  private lastId: number | undefined;

  constructor(private readonly db: Store) {}

  /** Stores deliveries in the caller's transaction, so they are durable before Publish answers. */
  async insert(trx: Transaction<Database> | Kysely<Database>, deliveries: PendingDelivery[], now: number): Promise<void> {
    if (deliveries.length === 0) return;
    if (this.lastId === undefined) {
      const row = await trx.selectFrom('sns_deliveries').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
      this.lastId = Number(row?.max ?? 0);
    }
    const rows = deliveries.map((d) => ({
      id: ++this.lastId!,
      subscription_arn: d.subscriptionArn,
      topic_arn: d.topicArn,
      protocol: d.protocol,
      endpoint: d.endpoint,
      group_key: d.payload.kind === 'sqs' && d.payload.messageGroupId !== undefined ? `${d.subscriptionArn}\0${d.payload.messageGroupId}` : null,
      message: JSON.stringify({ payload: d.payload, deadLetter: d.deadLetter }),
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    }));
    for (let i = 0; i < rows.length; i += 200) await trx.insertInto('sns_deliveries').values(rows.slice(i, i + 200)).execute();
  }

  /** Due rows in id order; of a FIFO group only its oldest row, whether due or waiting for a retry. */
  async due(now: number, limit: number, excluding: Iterable<number> = []): Promise<StoredDelivery[]> {
    const skip = [...excluding];
    let q = this.db.selectFrom('sns_deliveries as d').selectAll('d');
    if (skip.length > 0) q = q.where('d.id', 'not in', skip);
    const rows = await q
      .where('d.next_attempt_at', '<=', now)
      .where((eb) =>
        eb.or([
          eb('d.group_key', 'is', null),
          eb.not(eb.exists(eb.selectFrom('sns_deliveries as p').select('p.id').whereRef('p.group_key', '=', 'd.group_key').whereRef('p.id', '<', 'd.id'))),
        ]),
      )
      .orderBy('d.id')
      .limit(limit)
      .execute();
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

  async nextDueAt(): Promise<number | undefined> {
    const row = await this.db.selectFrom('sns_deliveries').select((eb) => eb.fn.min('next_attempt_at').as('t')).executeTakeFirst();
    return row?.t === null || row?.t === undefined ? undefined : Number(row.t);
  }

  async complete(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('sns_deliveries').where('id', 'in', ids).execute();
  }

  async retryAt(ids: number[], attempts: number, at: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('sns_deliveries').set({ attempts, next_attempt_at: at }).where('id', 'in', ids).execute();
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('sns_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
