import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // ECR repositories, per account and region as in AWS. Tags as a JSON list of {Key, Value}.
  await db.schema
    .createTable('ecr_repositories')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('tag_mutability', 'text', (c) => c.notNull())
    .addColumn('scan_on_push', 'integer', (c) => c.notNull())
    .addColumn('encryption', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ecr_repositories_pk', ['account_id', 'region', 'name'])
    .execute();

  // Which blobs a repository holds; the bytes sit once in the content-addressed blob store.
  await db.schema
    .createTable('ecr_blobs')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ecr_blobs_pk', ['account_id', 'region', 'repository', 'digest'])
    .execute();

  // Manifests keep the exact bytes pushed: their digest is the hash of those bytes.
  await db.schema
    .createTable('ecr_manifests')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('body', 'blob', (c) => c.notNull())
    .addColumn('image_size', 'bigint', (c) => c.notNull())
    .addColumn('pushed_at', 'bigint', (c) => c.notNull())
    .addColumn('last_pulled_at', 'bigint')
    .addPrimaryKeyConstraint('ecr_manifests_pk', ['account_id', 'region', 'repository', 'digest'])
    .execute();

  await db.schema
    .createTable('ecr_tags')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ecr_tags_pk', ['account_id', 'region', 'repository', 'tag'])
    .execute();
  await db.schema.createIndex('ecr_tags_digest').on('ecr_tags').columns(['account_id', 'region', 'repository', 'digest']).execute();
}
