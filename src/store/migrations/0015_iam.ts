import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // IAM names are unique per account without regard to case, as in AWS: `name_key` is the
  // lower-cased name, the name column keeps the spelling the caller chose.
  await db.schema
    .createTable('iam_roles')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('role_name', 'text', (c) => c.notNull())
    .addColumn('role_id', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull())
    .addColumn('trust_policy', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('max_session_seconds', 'integer', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('iam_roles_pk', ['account_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('iam_users')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('iam_users_pk', ['account_id', 'name_key'])
    .execute();

  // Inline policies and attachments of roles and users alike: `principal_kind` is `role` or `user`.
  await db.schema
    .createTable('iam_inline_policies')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('principal_kind', 'text', (c) => c.notNull())
    .addColumn('principal_key', 'text', (c) => c.notNull())
    .addColumn('policy_name', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('iam_inline_policies_pk', ['account_id', 'principal_kind', 'principal_key', 'policy_name'])
    .execute();

  await db.schema
    .createTable('iam_attachments')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('principal_kind', 'text', (c) => c.notNull())
    .addColumn('principal_key', 'text', (c) => c.notNull())
    .addColumn('policy_arn', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('iam_attachments_pk', ['account_id', 'principal_kind', 'principal_key', 'policy_arn'])
    .execute();
  await db.schema.createIndex('iam_attachments_policy').on('iam_attachments').column('policy_arn').execute();

  // Customer-managed policies; AWS-managed ones are code (services/iam/aws-managed-policies.ts).
  await db.schema
    .createTable('iam_policies')
    .addColumn('arn', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('policy_name', 'text', (c) => c.notNull())
    .addColumn('policy_id', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('default_version', 'integer', (c) => c.notNull())
    .addColumn('next_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('iam_policies_name').unique().on('iam_policies').columns(['account_id', 'name_key']).execute();

  await db.schema
    .createTable('iam_policy_versions')
    .addColumn('policy_arn', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('iam_policy_versions_pk', ['policy_arn', 'version'])
    .execute();

  // Temporary credentials (AssumeRole, GetSessionToken, function environments). The secret is
  // sealed with the installation secret (AES-256-GCM): SigV4 needs it back to check signatures, so
  // a hash would not do; the session token is only compared, so only its SHA-256 is kept.
  await db.schema
    .createTable('sts_sessions')
    .addColumn('access_key_id', 'text', (c) => c.primaryKey())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('token_sha256', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    // `role` (AssumeRole and functions) or `user` (GetSessionToken).
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('principal_key', 'text', (c) => c.notNull())
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sts_sessions_principal').on('sts_sessions').columns(['account_id', 'kind', 'principal_key']).execute();
  await db.schema.createIndex('sts_sessions_expiry').on('sts_sessions').column('expires_at').execute();

  // Access keys of IAM users (CreateAccessKey) live with the other long-term keys; `user_name`
  // null is an account's own key (the `lambkin credentials create` kind).
  await db.schema.alterTable('credentials').addColumn('user_name', 'text').execute();
  await db.schema.alterTable('credentials').addColumn('status', 'text', (c) => c.notNull().defaultTo('Active')).execute();
}
