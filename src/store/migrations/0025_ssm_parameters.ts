import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // SSM Parameter Store. One row per parameter (its latest version number and its tags, a JSON
  // object), and one per version: PutParameter with Overwrite writes a new version, AWS keeps the
  // last 100, and GetParameter/GetParameterHistory read any of them by `name:version`.
  await db.schema
    .createTable('ssm_parameters')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
    .addPrimaryKeyConstraint('ssm_parameters_pk', ['account_id', 'region', 'name'])
    .execute();

  await db.schema
    .createTable('ssm_parameter_versions')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    // String, StringList or SecureString; a SecureString value is kept as given (see the README).
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('key_id', 'text')
    .addColumn('allowed_pattern', 'text')
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('data_type', 'text', (c) => c.notNull())
    .addColumn('policies', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('labels', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('modified_at', 'bigint', (c) => c.notNull())
    .addColumn('modified_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ssm_parameter_versions_pk', ['account_id', 'region', 'name', 'version'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ssm_parameter_versions').execute();
  await db.schema.dropTable('ssm_parameters').execute();
}
