import type { Kysely, Transaction } from 'kysely';
import { newRowIds } from '../../../store/cluster/row-ids.js';
import { isPostgres, type Store } from '../../../store/database.js';
import type { Database } from '../../../store/schema.js';

export type OutboxKind = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/** One message SNS would have sent an email, SMS, mobile push or Firehose endpoint. */
export interface OutboxMessage {
  accountId: string;
  region: string;
  topicArn: string | null;
  subscriptionArn: string | null;
  protocol: string;
  endpoint: string;
  messageId: string;
  subject: string | null;
  body: string;
  kind: OutboxKind;
}

export interface StoredOutboxMessage extends OutboxMessage {
  id: number;
  createdAt: number;
}

export interface OutboxFilter {
  protocol?: string;
  endpoint?: string;
  topicArn?: string;
}

export class OutboxTable {
  /** Highest id handed out; the single writer assigns ids (see migration 0002 for why). */
  private lastId: number | undefined;

  constructor(private readonly db: Store) {}

  /** Records messages; one already recorded for the same subscription and message id is kept as is. */
  async record(messages: OutboxMessage[], now: number, trx: Transaction<Database> | Kysely<Database> = this.db): Promise<void> {
    if (messages.length === 0) return;
    // Several nodes insert on PostgreSQL: ids come from the table's sequence there.
    const ids = isPostgres(trx) ? await newRowIds(trx, 'sns_outbox', messages.length) : undefined;
    if (!ids && this.lastId === undefined) {
      const row = await trx.selectFrom('sns_outbox').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
      this.lastId = Number(row?.max ?? 0);
    }
    const rows = messages.map((m, i) => ({
      id: ids ? ids[i]! : ++this.lastId!,
      account_id: m.accountId,
      region: m.region,
      topic_arn: m.topicArn,
      subscription_arn: m.subscriptionArn,
      protocol: m.protocol,
      endpoint: m.endpoint,
      message_id: m.messageId,
      subject: m.subject,
      body: m.body,
      kind: m.kind,
      created_at: now,
    }));
    await trx
      .insertInto('sns_outbox')
      .values(rows)
      .onConflict((oc) => oc.columns(['subscription_arn', 'message_id']).doNothing())
      .execute();
  }

  /** Oldest first. */
  async list(filter: OutboxFilter): Promise<StoredOutboxMessage[]> {
    let q = this.db.selectFrom('sns_outbox').selectAll();
    if (filter.protocol !== undefined) q = q.where('protocol', '=', filter.protocol);
    if (filter.endpoint !== undefined) q = q.where('endpoint', '=', filter.endpoint);
    if (filter.topicArn !== undefined) q = q.where('topic_arn', '=', filter.topicArn);
    const rows = await q.orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      accountId: r.account_id,
      region: r.region,
      topicArn: r.topic_arn,
      subscriptionArn: r.subscription_arn,
      protocol: r.protocol,
      endpoint: r.endpoint,
      messageId: r.message_id,
      subject: r.subject,
      body: r.body,
      kind: r.kind as OutboxKind,
      createdAt: Number(r.created_at),
    }));
  }

  async clear(): Promise<void> {
    await this.db.deleteFrom('sns_outbox').execute();
  }
}
