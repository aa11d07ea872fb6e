import type { Selectable } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { IamPoliciesTable } from '../../../store/schema.js';

export type PolicyRow = Selectable<IamPoliciesTable>;

/** Customer-managed policies and their versions (`iam_policies`, `iam_policy_versions`). */
export class ManagedPoliciesTable {
  constructor(private readonly db: Store) {}

  get(arn: string): Promise<PolicyRow | undefined> {
    return this.db.selectFrom('iam_policies').selectAll().where('arn', '=', arn).executeTakeFirst();
  }

  async create(row: PolicyRow, document: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.insertInto('iam_policies').values(row).onConflict((c) => c.doNothing()).executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      await trx.insertInto('iam_policy_versions').values({ policy_arn: row.arn, version: 1, document, created_at: row.created_at }).execute();
      return true;
    });
  }

  async byName(accountId: string, name: string): Promise<PolicyRow | undefined> {
    return this.db.selectFrom('iam_policies').selectAll().where('account_id', '=', accountId).where('name_key', '=', name.toLowerCase()).executeTakeFirst();
  }

  async delete(arn: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('iam_policy_versions').where('policy_arn', '=', arn).execute();
      await trx.deleteFrom('iam_policies').where('arn', '=', arn).execute();
    });
  }

  page(accountId: string, marker: string | null, limit: number): Promise<PolicyRow[]> {
    let query = this.db.selectFrom('iam_policies').selectAll().where('account_id', '=', accountId);
    if (marker !== null) query = query.where('name_key', '>', marker);
    return query.orderBy('name_key').limit(limit).execute();
  }

  versions(arn: string) {
    return this.db.selectFrom('iam_policy_versions').selectAll().where('policy_arn', '=', arn).orderBy('version').execute();
  }

  version(arn: string, version: number) {
    return this.db.selectFrom('iam_policy_versions').selectAll().where('policy_arn', '=', arn).where('version', '=', version).executeTakeFirst();
  }

  /** The default version's document. */
  async defaultDocument(arn: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('iam_policies')
      .innerJoin('iam_policy_versions', (j) => j.onRef('iam_policy_versions.policy_arn', '=', 'iam_policies.arn').onRef('iam_policy_versions.version', '=', 'iam_policies.default_version'))
      .select('iam_policy_versions.document')
      .where('iam_policies.arn', '=', arn)
      .executeTakeFirst();
    return row?.document;
  }

  async addVersion(arn: string, document: string, setDefault: boolean, now: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const policy = await trx.selectFrom('iam_policies').select('next_version').where('arn', '=', arn).executeTakeFirstOrThrow();
      const version = policy.next_version;
      await trx.insertInto('iam_policy_versions').values({ policy_arn: arn, version, document, created_at: now }).execute();
      await trx
        .updateTable('iam_policies')
        .set({ next_version: version + 1, updated_at: now, ...(setDefault ? { default_version: version } : {}) })
        .where('arn', '=', arn)
        .execute();
      return version;
    });
  }

  async setDefault(arn: string, version: number, now: number): Promise<void> {
    await this.db.updateTable('iam_policies').set({ default_version: version, updated_at: now }).where('arn', '=', arn).execute();
  }

  async deleteVersion(arn: string, version: number): Promise<void> {
    await this.db.deleteFrom('iam_policy_versions').where('policy_arn', '=', arn).where('version', '=', version).execute();
  }
}
