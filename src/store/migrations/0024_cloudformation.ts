import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per stack, deleted ones kept (DescribeStacks by stack id and ListStacks show them).
  // `doc` is the stack's JSON: template, parameters, capabilities, tags, outputs and the operation
  // under way (what a restart resumes or rolls back).
  await db.schema
    .createTable('cfn_stacks')
    .addColumn('stack_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('stack_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint')
    .addColumn('deleted_at', 'bigint')
    .addColumn('doc', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cfn_stacks_by_name').on('cfn_stacks').columns(['account_id', 'region', 'stack_name', 'deleted_at']).execute();

  // A stack's resources: the physical id is written before the provider creates the resource, so
  // an interrupted operation knows what it may have made.
  await db.schema
    .createTable('cfn_stack_resources')
    .addColumn('stack_id', 'text', (c) => c.notNull())
    .addColumn('logical_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('physical_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cfn_stack_resources_pk', ['stack_id', 'logical_id'])
    .execute();

  await db.schema
    .createTable('cfn_stack_events')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('stack_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('logical_id', 'text', (c) => c.notNull())
    .addColumn('physical_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('properties', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cfn_stack_events_by_stack').on('cfn_stack_events').columns(['stack_id', 'seq']).execute();

  await db.schema
    .createTable('cfn_change_sets')
    .addColumn('change_set_id', 'text', (c) => c.primaryKey())
    .addColumn('stack_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('execution_status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cfn_change_sets_by_stack').on('cfn_change_sets').columns(['stack_id', 'name']).execute();
}
