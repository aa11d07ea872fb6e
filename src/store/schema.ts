import type { Generated } from 'kysely';
/** Table types for Kysely. JSON columns hold AWS-shaped documents as text. */
export interface CredentialsTable {
  access_key_id: string;
  secret_access_key: string;
  account_id: string;
  created_at: number;
}

export interface LambdaFunctionsTable {
  account_id: string;
  region: string;
  name: string;
  created_at: number;
  tags: string;
  reserved_concurrency: number | null;
  last_version: number;
}

export interface LambdaFunctionVersionsTable {
  account_id: string;
  region: string;
  function_name: string;
  version: string;
  config: string;
  code_sha256_hex: string | null;
  created_at: number;
}

export interface LambdaAliasesTable {
  account_id: string;
  region: string;
  function_name: string;
  name: string;
  config: string;
}

export interface LambdaPoliciesTable {
  account_id: string;
  region: string;
  function_name: string;
  qualifier: string;
  statements: string;
  revision_id: string;
}

export interface LambdaLayersTable {
  account_id: string;
  region: string;
  name: string;
  last_version: number;
}

export interface LambdaLayerVersionsTable {
  account_id: string;
  region: string;
  layer_name: string;
  version: number;
  data: string;
  code_sha256_hex: string;
  statements: string;
  policy_revision_id: string;
}

/** Per-qualifier documents of one kind: event-invoke configs, URL configs, provisioned concurrency. */
export interface LambdaQualifiedConfigsTable {
  kind: string;
  account_id: string;
  region: string;
  function_name: string;
  qualifier: string;
  config: string;
  lookup_key: string | null;
}

export interface LambdaEventSourceMappingsTable {
  uuid: string;
  account_id: string;
  region: string;
  function_name: string;
  event_source_arn: string | null;
  config: string;
  tags: string;
}

export interface LogsGroupsTable {
  account_id: string;
  region: string;
  name: string;
  created_at: number;
}

export interface LogsStreamsTable {
  id: number;
  account_id: string;
  region: string;
  group_name: string;
  name: string;
  created_at: number;
  first_event_timestamp: number | null;
  last_event_timestamp: number | null;
  last_ingestion_time: number | null;
}

/**
 * Consecutive log events of one stream, written together: `events` is JSON
 * `[[timestampMs, message], …]`, each message one line with its trailing newline, as Lambda writes it.
 */
export interface LogsEventBatchesTable {
  id: number;
  stream_id: number;
  first_timestamp: number;
  last_timestamp: number;
  ingestion_time: number;
  event_count: number;
  events: string;
}

/** One row per invocation, for metering. */
export interface UsageRecordsTable {
  id: number;
  request_id: string;
  account_id: string;
  region: string;
  function_name: string;
  version: string;
  memory_mb: number;
  duration_ms: number;
  billed_ms: number;
  init_ms: number | null;
  max_memory_used_mb: number;
  outcome: string;
  timestamp: number;
}

export interface S3BucketsTable {
  name: string;
  account_id: string;
  region: string;
  created_at: number;
  /** null (never enabled), 'Enabled' or 'Suspended' */
  versioning: string | null;
  tags: string | null;
  notification: string | null;
}

export interface S3ObjectsTable {
  bucket: string;
  key: string;
  /** 'null' for objects written while versioning was never enabled or suspended */
  version_id: string;
  sequence: number;
  is_latest: number;
  is_delete_marker: number;
  size: number;
  etag: string;
  last_modified: number;
  file_id: string | null;
  headers: string;
  metadata: string;
  tags: string | null;
  checksum: string | null;
  parts_count: number | null;
  /** JSON array of part sizes for multipart objects (GET/HEAD with partNumber). */
  part_sizes: string | null;
}

export interface S3UploadsTable {
  upload_id: string;
  bucket: string;
  key: string;
  initiated: number;
  headers: string;
  metadata: string;
  tags: string | null;
  checksum_algorithm: string | null;
  checksum_type: string | null;
}

export interface S3UploadPartsTable {
  upload_id: string;
  part_number: number;
  size: number;
  etag: string;
  file_id: string;
  last_modified: number;
  checksum: string | null;
}

export interface S3CountersTable {
  name: string;
  value: number;
}

export interface S3NotificationOutboxTable {
  id: Generated<number>;
  account_id: string;
  region: string;
  bucket: string;
  /** JSON: where the message goes ({kind, arn, …}) */
  destination: string;
  message: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  last_error: string | null;
}

export interface Database {
  credentials: CredentialsTable;
  lambda_functions: LambdaFunctionsTable;
  lambda_function_versions: LambdaFunctionVersionsTable;
  lambda_aliases: LambdaAliasesTable;
  lambda_policies: LambdaPoliciesTable;
  lambda_layers: LambdaLayersTable;
  lambda_layer_versions: LambdaLayerVersionsTable;
  lambda_qualified_configs: LambdaQualifiedConfigsTable;
  lambda_event_source_mappings: LambdaEventSourceMappingsTable;
  logs_groups: LogsGroupsTable;
  logs_streams: LogsStreamsTable;
  logs_event_batches: LogsEventBatchesTable;
  usage_records: UsageRecordsTable;
  s3_buckets: S3BucketsTable;
  s3_objects: S3ObjectsTable;
  s3_uploads: S3UploadsTable;
  s3_upload_parts: S3UploadPartsTable;
  s3_counters: S3CountersTable;
  s3_notification_outbox: S3NotificationOutboxTable;
}
