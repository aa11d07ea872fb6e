import type { Selectable } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { IamUsersTable } from '../../../store/schema.js';

export type UserRow = Selectable<IamUsersTable>;

/** The `iam_users` table, and the users' access keys in `credentials`. */
export class UsersTable {
  constructor(private readonly db: Store) {}

  get(accountId: string, name: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('iam_users').selectAll().where('account_id', '=', accountId).where('name_key', '=', name.toLowerCase()).executeTakeFirst();
  }

  async insert(row: UserRow): Promise<boolean> {
    const result = await this.db.insertInto('iam_users').values(row).onConflict((c) => c.doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async delete(accountId: string, name: string): Promise<void> {
    await this.db.deleteFrom('iam_users').where('account_id', '=', accountId).where('name_key', '=', name.toLowerCase()).execute();
  }

  page(accountId: string, pathPrefix: string, marker: string | null, limit: number): Promise<UserRow[]> {
    let query = this.db.selectFrom('iam_users').selectAll().where('account_id', '=', accountId).where('path', 'like', `${pathPrefix}%`);
    if (marker !== null) query = query.where('name_key', '>', marker);
    return query.orderBy('name_key').limit(limit).execute();
  }

  accessKeys(accountId: string, name: string) {
    return this.db
      .selectFrom('credentials')
      .select(['access_key_id', 'status', 'created_at'])
      .where('account_id', '=', accountId)
      .where('user_name', '=', name.toLowerCase())
      .orderBy('created_at')
      .execute();
  }

  async deleteAccessKey(accountId: string, name: string, accessKeyId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('credentials')
      .where('account_id', '=', accountId)
      .where('user_name', '=', name.toLowerCase())
      .where('access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async setAccessKeyStatus(accountId: string, name: string, accessKeyId: string, status: string): Promise<boolean> {
    const result = await this.db
      .updateTable('credentials')
      .set({ status })
      .where('account_id', '=', accountId)
      .where('user_name', '=', name.toLowerCase())
      .where('access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
