import type { Selectable } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { IamRolesTable } from '../../../store/schema.js';

export type RoleRow = Selectable<IamRolesTable>;

/** The `iam_roles` table. */
export class RolesTable {
  constructor(private readonly db: Store) {}

  get(accountId: string, name: string): Promise<RoleRow | undefined> {
    return this.db.selectFrom('iam_roles').selectAll().where('account_id', '=', accountId).where('name_key', '=', name.toLowerCase()).executeTakeFirst();
  }

  async insert(row: RoleRow): Promise<boolean> {
    const result = await this.db.insertInto('iam_roles').values(row).onConflict((c) => c.doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async update(accountId: string, name: string, changes: Partial<Pick<RoleRow, 'trust_policy' | 'description' | 'max_session_seconds'>>): Promise<void> {
    await this.db.updateTable('iam_roles').set(changes).where('account_id', '=', accountId).where('name_key', '=', name.toLowerCase()).execute();
  }

  async delete(accountId: string, name: string): Promise<void> {
    await this.db.deleteFrom('iam_roles').where('account_id', '=', accountId).where('name_key', '=', name.toLowerCase()).execute();
  }

  /** Roles in name order after `marker` (a name key), optionally under a path prefix. */
  page(accountId: string, pathPrefix: string, marker: string | null, limit: number): Promise<RoleRow[]> {
    let query = this.db.selectFrom('iam_roles').selectAll().where('account_id', '=', accountId).where('path', 'like', `${pathPrefix}%`);
    if (marker !== null) query = query.where('name_key', '>', marker);
    return query.orderBy('name_key').limit(limit).execute();
  }
}
