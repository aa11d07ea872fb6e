import type { Store } from '../../../store/database.js';
import { enqueue } from '../../../store/queue/enqueue.js';
import { SCHEDULER_DELIVERIES, type SchedulerDeliveryInsert } from './delivery-queue.js';
import { DEFAULT_GROUP, type ScheduleDoc } from './model.js';
import type { Firing } from './plan.js';

export interface Scope {
  accountId: string;
  region: string;
}

export interface GroupRow {
  name: string;
  createdAt: number;
  tags: Record<string, string>;
}

/** Rows of `scheduler_groups` and `scheduler_schedules`; the `default` group exists for every account. */
export class SchedulerStore {
  constructor(readonly db: Store) {}

  async getGroup(scope: Scope, name: string): Promise<GroupRow | undefined> {
    const row = await this.db
      .selectFrom('scheduler_groups').selectAll()
      .where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', name)
      .executeTakeFirst();
    if (row) return { name: row.name, createdAt: Number(row.created_at), tags: JSON.parse(row.tags) as Record<string, string> };
    return name === DEFAULT_GROUP ? { name, createdAt: 0, tags: {} } : undefined;
  }

  async listGroups(scope: Scope): Promise<GroupRow[]> {
    const rows = await this.db.selectFrom('scheduler_groups').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).orderBy('name').execute();
    const groups = rows.map((r) => ({ name: r.name, createdAt: Number(r.created_at), tags: JSON.parse(r.tags) as Record<string, string> }));
    if (!groups.some((g) => g.name === DEFAULT_GROUP)) groups.unshift({ name: DEFAULT_GROUP, createdAt: 0, tags: {} });
    return groups.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async putGroup(scope: Scope, name: string, createdAt: number, tags: Record<string, string>): Promise<void> {
    await this.db.insertInto('scheduler_groups').values({ account_id: scope.accountId, region: scope.region, name, created_at: createdAt, tags: JSON.stringify(tags) }).execute();
  }

  /** A group goes with its schedules, as DeleteScheduleGroup does. */
  async deleteGroup(scope: Scope, name: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('scheduler_schedules').where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('group_name', '=', name).execute();
      await trx.deleteFrom('scheduler_groups').where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', name).execute();
    });
  }

  async getSchedule(scope: Scope, group: string, name: string): Promise<ScheduleDoc | undefined> {
    const row = await this.db
      .selectFrom('scheduler_schedules').select('doc')
      .where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('group_name', '=', group).where('name', '=', name)
      .executeTakeFirst();
    return row && (JSON.parse(row.doc) as ScheduleDoc);
  }

  async listSchedules(scope: Scope, group?: string): Promise<ScheduleDoc[]> {
    let q = this.db.selectFrom('scheduler_schedules').select('doc').where('account_id', '=', scope.accountId).where('region', '=', scope.region);
    if (group !== undefined) q = q.where('group_name', '=', group);
    const rows = await q.orderBy('group_name').orderBy('name').execute();
    return rows.map((r) => JSON.parse(r.doc) as ScheduleDoc);
  }

  async insertSchedule(scope: Scope, doc: ScheduleDoc, next: Firing | null): Promise<void> {
    await this.db
      .insertInto('scheduler_schedules')
      .values({ account_id: scope.accountId, region: scope.region, group_name: doc.GroupName, name: doc.Name, doc: JSON.stringify(doc), next_fire_at: next?.fireAt ?? null, window_start_at: next?.windowStart ?? null })
      .execute();
  }

  async updateSchedule(scope: Scope, doc: ScheduleDoc, next: Firing | null): Promise<void> {
    await this.db
      .updateTable('scheduler_schedules').set({ doc: JSON.stringify(doc), next_fire_at: next?.fireAt ?? null, window_start_at: next?.windowStart ?? null })
      .where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('group_name', '=', doc.GroupName).where('name', '=', doc.Name)
      .execute();
  }

  async deleteSchedule(scope: Scope, group: string, name: string): Promise<void> {
    await this.db
      .deleteFrom('scheduler_schedules')
      .where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('group_name', '=', group).where('name', '=', name)
      .execute();
  }

  /** Schedules whose next firing is due, for the runner. */
  async due(now: number): Promise<Array<{ scope: Scope; doc: ScheduleDoc; nextFireAt: number; windowStart: number }>> {
    const rows = await this.db.selectFrom('scheduler_schedules').select(['account_id', 'region', 'doc', 'next_fire_at', 'window_start_at']).where('next_fire_at', '<=', now).execute();
    return rows.map((r) => ({
      scope: { accountId: r.account_id, region: r.region },
      doc: JSON.parse(r.doc) as ScheduleDoc,
      nextFireAt: Number(r.next_fire_at),
      windowStart: Number(r.window_start_at ?? r.next_fire_at),
    }));
  }

  async earliest(): Promise<number | null> {
    const row = await this.db.selectFrom('scheduler_schedules').select((eb) => eb.fn.min('next_fire_at').as('next')).executeTakeFirst();
    return row?.next === null || row?.next === undefined ? null : Number(row.next);
  }

  /**
   * Claims firing `due` of a schedule: moves it to `next` only if nobody did meanwhile (another pass,
   * another node, an update), and stores its delivery in the same transaction. True when this
   * caller fired it.
   */
  async claim(scope: Scope, group: string, name: string, due: number, next: Firing | null, delivery: SchedulerDeliveryInsert, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('scheduler_schedules').set({ next_fire_at: next?.fireAt ?? null, window_start_at: next?.windowStart ?? null })
        .where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('group_name', '=', group).where('name', '=', name)
        .where('next_fire_at', '=', due)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await enqueue(trx, SCHEDULER_DELIVERIES, [delivery], now);
      return true;
    });
  }

  async deleteAll(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('scheduler_deliveries').execute();
      await trx.deleteFrom('scheduler_schedules').execute();
      await trx.deleteFrom('scheduler_groups').execute();
    });
  }
}
