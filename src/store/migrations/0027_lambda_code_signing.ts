import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Lambda code signing configs: stored and returned as AWS does; signatures are not checked.
  // allowed_publishers and policies are the JSON objects of the API.
  await db.schema
    .createTable('lambda_code_signing_configs')
    .addColumn('arn', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('allowed_publishers', 'text', (c) => c.notNull())
    .addColumn('policies', 'text', (c) => c.notNull())
    .addColumn('last_modified', 'text', (c) => c.notNull())
    .execute();

  // Which config a function uses (PutFunctionCodeSigningConfig): one row per function, removed
  // with the function.
  await db.schema
    .createTable('lambda_function_code_signing')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('function_name', 'text', (c) => c.notNull())
    .addColumn('config_arn', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lambda_function_code_signing_pk', ['account_id', 'region', 'function_name'])
    .execute();
  await db.schema.createIndex('lambda_function_code_signing_config').on('lambda_function_code_signing').column('config_arn').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('lambda_function_code_signing').execute();
  await db.schema.dropTable('lambda_code_signing_configs').execute();
}
