import type { Store } from '../../../store/database.js';
import { forgetSequenceNumbers } from '../sequence-numbers.js';

export interface Topic {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  /** Attributes the user set; defaults are added when they are read (topic-attributes.ts). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
}

type Row = { arn: string; account_id: string; region: string; name: string; attributes: string; tags: string; created_at: number };

function toTopic(row: Row): Topic {
  return {
    arn: row.arn,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    tags: JSON.parse(row.tags) as Record<string, string>,
    createdAt: Number(row.created_at),
  };
}

export class TopicsTable {
  constructor(private readonly db: Store) {}

  async get(arn: string): Promise<Topic | undefined> {
    const row = await this.db.selectFrom('sns_topics').selectAll().where('arn', '=', arn).executeTakeFirst();
    return row ? toTopic(row) : undefined;
  }

  async insert(topic: Topic): Promise<void> {
    await this.db
      .insertInto('sns_topics')
      .values({
        arn: topic.arn,
        account_id: topic.accountId,
        region: topic.region,
        name: topic.name,
        attributes: JSON.stringify(topic.attributes),
        tags: JSON.stringify(topic.tags),
        created_at: topic.createdAt,
      })
      .execute();
  }

  /**
   * Reads the topic and writes back the attributes or tags `change` makes of it (null: nothing to
   * write), in one transaction, so two changes at once both take effect (two AddPermission calls
   * each kept a statement only the last write held, on PostgreSQL). `change` may run again (a
   * transaction the store retries) and may throw to refuse: it only computes. False if the topic is gone.
   */
  async change(arn: string, part: 'attributes' | 'tags', change: (topic: Topic) => Record<string, string> | null): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('sns_topics').selectAll().where('arn', '=', arn).executeTakeFirst();
      if (!row) return false;
      const next = change(toTopic(row));
      if (next) await trx.updateTable('sns_topics').set({ [part]: JSON.stringify(next) }).where('arn', '=', arn).execute();
      return true;
    });
  }

  /** Deletes the topic with its subscriptions and the deliveries still owed to them. */
  async delete(arn: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('sns_deliveries').where('topic_arn', '=', arn).execute();
      await trx.deleteFrom('sns_subscriptions').where('topic_arn', '=', arn).execute();
      await trx.deleteFrom('sns_fifo_dedup').where('topic_arn', '=', arn).execute();
      await forgetSequenceNumbers(trx, arn);
      await trx.deleteFrom('sns_topics').where('arn', '=', arn).execute();
    });
  }

  /** Deletes every topic of every account with everything owed to them, the outbox included (a state reset). */
  async deleteAll(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('sns_deliveries').execute();
      await trx.deleteFrom('sns_subscriptions').execute();
      await trx.deleteFrom('sns_fifo_dedup').execute();
      await trx.deleteFrom('sns_outbox').execute();
      await forgetSequenceNumbers(trx);
      await trx.deleteFrom('sns_topics').execute();
    });
  }

  /** One page in ARN order, after `afterArn`. */
  async page(accountId: string, region: string, afterArn: string | undefined, limit: number): Promise<Topic[]> {
    let q = this.db.selectFrom('sns_topics').selectAll().where('account_id', '=', accountId).where('region', '=', region);
    if (afterArn) q = q.where('arn', '>', afterArn);
    const rows = await q.orderBy('arn').limit(limit).execute();
    return rows.map(toTopic);
  }
}
