import type { IamDeps } from './deps.js';

/** IAM's tables, children first; AWS-managed policies live in code and are not among them. */
const IAM_TABLES = ['iam_attachments', 'iam_inline_policies', 'iam_policy_versions', 'iam_policies', 'iam_roles', 'iam_users'] as const;

/**
 * `POST /_lambkin/reset?service=iam`: every user (with its access keys), role and customer-managed
 * policy of every account goes, and the sessions of those users and roles end, as DeleteUser and
 * DeleteRole end them. Keys that belong to no user are kept: they are the server's own (created by
 * `lambkin credentials create`; those of config.json and the local pair are not stored at all),
 * and a test suite signs its reset and every later request with them. So are account sessions
 * (CloudFormation's, GetSessionToken's of an account key).
 */
export async function resetIam(deps: IamDeps): Promise<void> {
  const gone = await deps.db.transaction().execute(async (trx) => {
    const roles = await trx.selectFrom('iam_roles').select(['account_id', 'name_key']).execute();
    const users = await trx.selectFrom('iam_users').select(['account_id', 'name_key']).execute();
    const keys = await trx.selectFrom('credentials').select('access_key_id').where('user_name', 'is not', null).execute();
    await trx.deleteFrom('credentials').where('user_name', 'is not', null).execute();
    for (const table of IAM_TABLES) await trx.deleteFrom(table).execute();
    return { roles, users, keys };
  });
  for (const role of gone.roles) await deps.sessions.revoke(role.account_id, 'role', role.name_key);
  for (const user of gone.users) await deps.sessions.revoke(user.account_id, 'user', user.name_key);
  for (const key of gone.keys) deps.credentials.forget(key.access_key_id);
  deps.policySource.invalidate();
}
