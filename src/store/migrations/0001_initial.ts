import { type Kysely, sql } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('credentials')
    .addColumn('access_key_id', 'text', (c) => c.primaryKey())
    .addColumn('secret_access_key', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('lambda_functions')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('reserved_concurrency', 'integer')
    .addColumn('last_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('lambda_functions_pk', ['account_id', 'region', 'name'])
    .execute();

  await db.schema
    .createTable('lambda_function_versions')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('function_name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('code_sha256_hex', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('lambda_function_versions_pk', ['account_id', 'region', 'function_name', 'version'])
    .execute();

  await db.schema
    .createTable('lambda_aliases')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('function_name', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lambda_aliases_pk', ['account_id', 'region', 'function_name', 'name'])
    .execute();

  await db.schema
    .createTable('lambda_policies')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('function_name', 'text', (c) => c.notNull())
    .addColumn('qualifier', 'text', (c) => c.notNull())
    .addColumn('statements', 'text', (c) => c.notNull())
    .addColumn('revision_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lambda_policies_pk', ['account_id', 'region', 'function_name', 'qualifier'])
    .execute();

  await db.schema
    .createTable('lambda_layers')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('last_version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('lambda_layers_pk', ['account_id', 'region', 'name'])
    .execute();

  await db.schema
    .createTable('lambda_layer_versions')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('layer_name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('code_sha256_hex', 'text', (c) => c.notNull())
    .addColumn('statements', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('policy_revision_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lambda_layer_versions_pk', ['account_id', 'region', 'layer_name', 'version'])
    .execute();

  await db.schema
    .createTable('lambda_qualified_configs')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('function_name', 'text', (c) => c.notNull())
    .addColumn('qualifier', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('lookup_key', 'text')
    .addPrimaryKeyConstraint('lambda_qualified_configs_pk', ['kind', 'account_id', 'region', 'function_name', 'qualifier'])
    .execute();
  await db.schema
    .createIndex('lambda_qualified_configs_lookup')
    .on('lambda_qualified_configs')
    .columns(['kind', 'lookup_key'])
    .execute();

  await db.schema
    .createTable('lambda_event_source_mappings')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('function_name', 'text', (c) => c.notNull())
    .addColumn('event_source_arn', 'text')
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await sql`select 1`.execute(db);
}
