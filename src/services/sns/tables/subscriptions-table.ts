import type { Store } from '../../../store/database.js';
import type { SubscriptionStatus } from '../subscription-states.js';

export interface Subscription {
  arn: string;
  topicArn: string;
  accountId: string;
  region: string;
  protocol: string;
  endpoint: string;
  owner: string;
  /** Attributes the user set (`RawMessageDelivery`, `FilterPolicy`, …). */
  attributes: Record<string, string>;
  status: SubscriptionStatus;
  token: string | null;
  tokenExpiresAt: number | null;
  createdAt: number;
}

type Row = {
  arn: string;
  topic_arn: string;
  account_id: string;
  region: string;
  protocol: string;
  endpoint: string;
  owner: string;
  attributes: string;
  status: string;
  token: string | null;
  token_expires_at: number | null;
  created_at: number;
};

function toSubscription(row: Row): Subscription {
  return {
    arn: row.arn,
    topicArn: row.topic_arn,
    accountId: row.account_id,
    region: row.region,
    protocol: row.protocol,
    endpoint: row.endpoint,
    owner: row.owner,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    status: row.status as SubscriptionStatus,
    token: row.token,
    tokenExpiresAt: row.token_expires_at === null ? null : Number(row.token_expires_at),
    createdAt: Number(row.created_at),
  };
}

export function subscriptionRow(s: Subscription): Row {
  return {
    arn: s.arn,
    topic_arn: s.topicArn,
    account_id: s.accountId,
    region: s.region,
    protocol: s.protocol,
    endpoint: s.endpoint,
    owner: s.owner,
    attributes: JSON.stringify(s.attributes),
    status: s.status,
    token: s.token,
    token_expires_at: s.tokenExpiresAt,
    created_at: s.createdAt,
  };
}

export class SubscriptionsTable {
  constructor(private readonly db: Store) {}

  async get(arn: string): Promise<Subscription | undefined> {
    const row = await this.db.selectFrom('sns_subscriptions').selectAll().where('arn', '=', arn).executeTakeFirst();
    return row ? toSubscription(row) : undefined;
  }

  async byToken(topicArn: string, token: string): Promise<Subscription | undefined> {
    const row = await this.db.selectFrom('sns_subscriptions').selectAll().where('topic_arn', '=', topicArn).where('token', '=', token).executeTakeFirst();
    return row ? toSubscription(row) : undefined;
  }

  /** `db`: the caller's transaction, where the answer decides what it writes (Subscribe). */
  async find(topicArn: string, protocol: string, endpoint: string, db: Store = this.db): Promise<Subscription | undefined> {
    const row = await db
      .selectFrom('sns_subscriptions')
      .selectAll()
      .where('topic_arn', '=', topicArn)
      .where('protocol', '=', protocol)
      .where('endpoint', '=', endpoint)
      .executeTakeFirst();
    return row ? toSubscription(row) : undefined;
  }

  async ofTopic(topicArn: string): Promise<Subscription[]> {
    const rows = await this.db.selectFrom('sns_subscriptions').selectAll().where('topic_arn', '=', topicArn).orderBy('arn').execute();
    return rows.map(toSubscription);
  }

  /**
   * Reads the subscription and writes back what `change` makes of it (null: nothing to write), in
   * one transaction, so two changes at once both take effect — a confirmation beside an attribute
   * change once put the status back, on PostgreSQL. `change` may run again (a transaction the
   * store retries): it only computes. Answers the subscription as written, or undefined if gone.
   */
  async change(arn: string, change: (current: Subscription) => Subscription | null): Promise<Subscription | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('sns_subscriptions').selectAll().where('arn', '=', arn).executeTakeFirst();
      if (!row) return undefined;
      const current = toSubscription(row);
      const next = change(current);
      if (!next) return current;
      const { arn: _arn, ...rest } = subscriptionRow(next);
      await trx.updateTable('sns_subscriptions').set(rest).where('arn', '=', arn).execute();
      return next;
    });
  }

  async insert(s: Subscription): Promise<void> {
    await this.db.insertInto('sns_subscriptions').values(subscriptionRow(s)).execute();
  }

  async delete(arn: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('sns_deliveries').where('subscription_arn', '=', arn).execute();
      await trx.deleteFrom('sns_subscriptions').where('arn', '=', arn).execute();
    });
  }

  async page(scope: { accountId: string; region: string } | { topicArn: string }, afterArn: string | undefined, limit: number): Promise<Subscription[]> {
    let q = this.db.selectFrom('sns_subscriptions').selectAll();
    q = 'topicArn' in scope ? q.where('topic_arn', '=', scope.topicArn) : q.where('account_id', '=', scope.accountId).where('region', '=', scope.region);
    if (afterArn) q = q.where('arn', '>', afterArn);
    const rows = await q.orderBy('arn').limit(limit).execute();
    return rows.map(toSubscription);
  }

  async countsByStatus(topicArn: string): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('sns_subscriptions')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('topic_arn', '=', topicArn)
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
