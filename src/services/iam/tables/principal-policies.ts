import type { Store } from '../../../store/database.js';

export type PrincipalKind = 'role' | 'user';

/** Inline policies and managed-policy attachments of roles and users (`iam_inline_policies`, `iam_attachments`). */
export class PrincipalPoliciesTable {
  constructor(private readonly db: Store) {}

  async putInline(accountId: string, kind: PrincipalKind, key: string, name: string, document: string): Promise<void> {
    await this.db
      .insertInto('iam_inline_policies')
      .values({ account_id: accountId, principal_kind: kind, principal_key: key, policy_name: name, document })
      .onConflict((c) => c.columns(['account_id', 'principal_kind', 'principal_key', 'policy_name']).doUpdateSet({ document }))
      .execute();
  }

  getInline(accountId: string, kind: PrincipalKind, key: string, name: string) {
    return this.db
      .selectFrom('iam_inline_policies')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('principal_kind', '=', kind)
      .where('principal_key', '=', key)
      .where('policy_name', '=', name)
      .executeTakeFirst();
  }

  async deleteInline(accountId: string, kind: PrincipalKind, key: string, name: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('iam_inline_policies')
      .where('account_id', '=', accountId)
      .where('principal_kind', '=', kind)
      .where('principal_key', '=', key)
      .where('policy_name', '=', name)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  inline(accountId: string, kind: PrincipalKind, key: string) {
    return this.db
      .selectFrom('iam_inline_policies')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('principal_kind', '=', kind)
      .where('principal_key', '=', key)
      .orderBy('policy_name')
      .execute();
  }

  async attach(accountId: string, kind: PrincipalKind, key: string, policyArn: string): Promise<void> {
    await this.db
      .insertInto('iam_attachments')
      .values({ account_id: accountId, principal_kind: kind, principal_key: key, policy_arn: policyArn })
      .onConflict((c) => c.doNothing())
      .execute();
  }

  async detach(accountId: string, kind: PrincipalKind, key: string, policyArn: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('iam_attachments')
      .where('account_id', '=', accountId)
      .where('principal_kind', '=', kind)
      .where('principal_key', '=', key)
      .where('policy_arn', '=', policyArn)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async attached(accountId: string, kind: PrincipalKind, key: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('iam_attachments')
      .select('policy_arn')
      .where('account_id', '=', accountId)
      .where('principal_kind', '=', kind)
      .where('principal_key', '=', key)
      .orderBy('policy_arn')
      .execute();
    return rows.map((r) => r.policy_arn);
  }

  /** How many roles and users in `accountId` have `policyArn` attached. */
  async attachmentCount(accountId: string, policyArn: string): Promise<number> {
    const row = await this.db
      .selectFrom('iam_attachments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('policy_arn', '=', policyArn)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
