import type { Kysely } from 'kysely';

// ELBv2 resources (load balancers, target groups, listeners, rules) and API Gateway HTTP API
// resources (apis, routes, integrations, stages), each an AWS-shaped JSON document. Listeners
// keep their port in a column: Lambkin re-opens every listener port from here on start.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('elb_resources')
    .addColumn('arn', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_arn', 'text')
    .addColumn('port', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('elb_resources_scope_idx').on('elb_resources').columns(['account_id', 'region', 'kind', 'name']).execute();
  await db.schema.createIndex('elb_resources_parent_idx').on('elb_resources').columns(['parent_arn']).execute();

  await db.schema
    .createTable('apigw_resources')
    .addColumn('api_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('apigw_resources_pk', ['api_id', 'kind', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('apigw_resources').execute();
  await db.schema.dropTable('elb_resources').execute();
}
