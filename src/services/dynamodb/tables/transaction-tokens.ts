import type { Store } from '../../../store/database.js';

type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;
type Scope = { accountId: string; region: string };

export async function findToken(db: Db, scope: Scope, token: string, since: number): Promise<{ request_hash: string; response: string } | undefined> {
  return db
    .selectFrom('dynamodb_transaction_tokens')
    .select(['request_hash', 'response'])
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('token', '=', token)
    .where('created_ms', '>', since)
    .executeTakeFirst();
}

/** Remembers a token's answer, replacing an expired use of the same token. */
export async function saveToken(db: Db, scope: Scope, token: string, requestHash: string, response: string, now: number): Promise<void> {
  await db
    .insertInto('dynamodb_transaction_tokens')
    .values({ account_id: scope.accountId, region: scope.region, token, request_hash: requestHash, response, created_ms: now })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'token']).doUpdateSet({ request_hash: requestHash, response, created_ms: now }))
    .execute();
}

export async function forgetTokensBefore(db: Db, before: number): Promise<void> {
  await db.deleteFrom('dynamodb_transaction_tokens').where('created_ms', '<=', before).execute();
}
