import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../store/schema.js';
import type { Scope } from '../model.js';

/**
 * Deletes what is configured on one qualified ARN (its resource policy, URL, event-invoke and
 * provisioned-concurrency configs): done when that version or alias is deleted.
 */
export async function deleteQualifierAttachments(
  db: Kysely<Database> | Transaction<Database>,
  scope: Scope,
  functionName: string,
  qualifier: string,
): Promise<void> {
  for (const table of ['lambda_policies', 'lambda_qualified_configs'] as const) {
    await db
      .deleteFrom(table)
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('function_name', '=', functionName)
      .where('qualifier', '=', qualifier)
      .execute();
  }
}
