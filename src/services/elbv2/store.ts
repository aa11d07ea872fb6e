import type { Store } from '../../store/database.js';
import type { Scope } from './model.js';

export type ElbKind = 'loadbalancer' | 'targetgroup' | 'listener' | 'rule';

export interface ElbRow<T> {
  arn: string;
  name: string;
  parentArn: string | null;
  port: number | null;
  doc: T;
}

/**
 * The ELBv2 resources in `elb_resources`. Every write bumps `generation`, which the ALB front door
 * uses to drop its cached routing tables.
 */
export class ElbStore {
  generation = 0;

  constructor(readonly db: Store) {}

  async put<T>(kind: ElbKind, scope: Scope, row: ElbRow<T>, createdAt: number): Promise<void> {
    const doc = JSON.stringify(row.doc);
    await this.db
      .insertInto('elb_resources')
      .values({ arn: row.arn, kind, account_id: scope.accountId, region: scope.region, name: row.name, parent_arn: row.parentArn, port: row.port, created_at: createdAt, doc })
      .onConflict((oc) => oc.column('arn').doUpdateSet({ doc, name: row.name, port: row.port }))
      .execute();
    this.generation++;
  }

  async get<T>(kind: ElbKind, arn: string): Promise<ElbRow<T> | undefined> {
    const row = await this.db.selectFrom('elb_resources').selectAll().where('arn', '=', arn).where('kind', '=', kind).executeTakeFirst();
    return row && toRow<T>(row);
  }

  async byName<T>(kind: ElbKind, scope: Scope, name: string): Promise<ElbRow<T> | undefined> {
    const row = await this.db
      .selectFrom('elb_resources').selectAll()
      .where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('kind', '=', kind).where('name', '=', name)
      .executeTakeFirst();
    return row && toRow<T>(row);
  }

  async list<T>(kind: ElbKind, scope: Scope): Promise<Array<ElbRow<T>>> {
    const rows = await this.db
      .selectFrom('elb_resources').selectAll()
      .where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('kind', '=', kind)
      .orderBy('created_at').orderBy('arn')
      .execute();
    return rows.map((r) => toRow<T>(r));
  }

  async children<T>(kind: ElbKind, parentArn: string): Promise<Array<ElbRow<T>>> {
    const rows = await this.db.selectFrom('elb_resources').selectAll().where('parent_arn', '=', parentArn).where('kind', '=', kind).orderBy('created_at').orderBy('arn').execute();
    return rows.map((r) => toRow<T>(r));
  }

  /** Every listener of every account, to re-open their ports on start. */
  async allListeners<T>(): Promise<Array<ElbRow<T>>> {
    const rows = await this.db.selectFrom('elb_resources').selectAll().where('kind', '=', 'listener').execute();
    return rows.map((r) => toRow<T>(r));
  }

  async delete(arn: string): Promise<void> {
    await this.db.deleteFrom('elb_resources').where('arn', '=', arn).execute();
    this.generation++;
  }

  /** Every resource of every account (the state reset). */
  async deleteAll(): Promise<void> {
    await this.db.deleteFrom('elb_resources').execute();
    this.generation++;
  }
}

function toRow<T>(row: { arn: string; name: string; parent_arn: string | null; port: number | null; doc: string }): ElbRow<T> {
  return { arn: row.arn, name: row.name, parentArn: row.parent_arn, port: row.port, doc: JSON.parse(row.doc) as T };
}
