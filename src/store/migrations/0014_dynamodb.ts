import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Items hang off the table's row id, so a table deleted and created again under the same name
  // never sees the old one's items (its purge may still be running).
  await db.schema
    .createTable('dynamodb_tables')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // AWS's TableId (a UUID).
    .addColumn('table_uuid', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // When a transitional status (CREATING, UPDATING, DELETING) ends; null once settled.
    .addColumn('status_until', 'bigint')
    // KeySchema and AttributeDefinitions as the API gave them (JSON).
    .addColumn('key_schema', 'text', (c) => c.notNull())
    .addColumn('attribute_definitions', 'text', (c) => c.notNull())
    .addColumn('billing_mode', 'text', (c) => c.notNull())
    .addColumn('billing_mode_updated_ms', 'bigint')
    // {ReadCapacityUnits, WriteCapacityUnits, LastIncreaseMs, LastDecreaseMs} (JSON).
    .addColumn('throughput', 'text', (c) => c.notNull())
    // Index definitions with their own status (JSON arrays).
    .addColumn('global_indexes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('local_indexes', 'text', (c) => c.notNull().defaultTo('[]'))
    // The current stream (null view type: none enabled); the ARN and label stay after it is disabled.
    .addColumn('stream_view_type', 'text')
    .addColumn('stream_arn', 'text')
    .addColumn('stream_label', 'text')
    .addColumn('ttl_attribute', 'text')
    .addColumn('ttl_status', 'text', (c) => c.notNull().defaultTo('DISABLED'))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dynamodb_tables_name').unique().on('dynamodb_tables').columns(['account_id', 'region', 'name']).execute();

  // Every stream a table ever had: DynamoDB Streams reads them for 24 h after they are disabled.
  await db.schema
    .createTable('dynamodb_streams')
    .addColumn('stream_arn', 'text', (c) => c.primaryKey())
    .addColumn('table_id', 'integer', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    // The table's key schema in the contract's form (JSON).
    .addColumn('key_schema', 'text', (c) => c.notNull())
    .addColumn('view_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_ms', 'bigint', (c) => c.notNull())
    .addColumn('disabled_ms', 'bigint')
    .execute();
  await db.schema.createIndex('dynamodb_streams_table').on('dynamodb_streams').columns(['table_name', 'created_ms']).execute();

  // Keys are order-preserving encodings (attribute-values.ts `sortableKey`), so a Query is a range
  // scan of the primary key; a table without a sort key stores '' as its range key.
  // `hash_point` (32 bits of the partition key's MD5) orders a Scan and splits it into segments.
  await db.schema
    .createTable('dynamodb_items')
    .addColumn('table_id', 'integer', (c) => c.notNull())
    .addColumn('hash_key', 'text', (c) => c.notNull())
    .addColumn('range_key', 'text', (c) => c.notNull())
    .addColumn('hash_point', 'bigint', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    // Epoch seconds of the TTL attribute when the table's TTL is enabled and the value is a number.
    .addColumn('ttl_at', 'bigint')
    .addPrimaryKeyConstraint('dynamodb_items_pk', ['table_id', 'hash_key', 'range_key'])
    .execute();
  await db.schema.createIndex('dynamodb_items_scan').on('dynamodb_items').columns(['table_id', 'hash_point', 'hash_key', 'range_key']).execute();
  await db.schema.createIndex('dynamodb_items_ttl').on('dynamodb_items').columns(['ttl_at']).execute();

  // Secondary index entries, written in the same transaction as their base item; the base key
  // orders entries with equal index keys, so pages of an index restart where they stopped.
  await db.schema
    .createTable('dynamodb_index_items')
    .addColumn('table_id', 'integer', (c) => c.notNull())
    .addColumn('index_name', 'text', (c) => c.notNull())
    .addColumn('hash_key', 'text', (c) => c.notNull())
    .addColumn('range_key', 'text', (c) => c.notNull())
    .addColumn('base_hash_key', 'text', (c) => c.notNull())
    .addColumn('base_range_key', 'text', (c) => c.notNull())
    .addColumn('hash_point', 'bigint', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dynamodb_index_items_pk', ['table_id', 'index_name', 'hash_key', 'range_key', 'base_hash_key', 'base_range_key'])
    .execute();
  await db.schema
    .createIndex('dynamodb_index_items_scan')
    .on('dynamodb_index_items')
    .columns(['table_id', 'index_name', 'hash_point', 'hash_key', 'range_key', 'base_hash_key', 'base_range_key'])
    .execute();

  // TransactWriteItems' ClientRequestToken: the same request within 10 minutes is answered again.
  await db.schema
    .createTable('dynamodb_transaction_tokens')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('dynamodb_transaction_tokens_pk', ['account_id', 'region', 'token'])
    .execute();
}
