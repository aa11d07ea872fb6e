import type { Generated } from 'kysely';

/** Table types for Kysely. JSON columns hold AWS-shaped documents as text. */
export interface CredentialsTable {
  access_key_id: string;
  secret_access_key: string;
  account_id: string;
  created_at: number;
  /** The IAM user the key belongs to (migration 0015); null for an account's own key. */
  user_name: string | null;
  /** `Active` or `Inactive` (migration 0015). */
  status: Generated<string>;
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
  /** null: events never expire (AWS's default). */
  retention_in_days: number | null;
  /** JSON object of tag key → value. */
  tags: Generated<string>;
  kms_key_id: string | null;
  log_group_class: Generated<string>;
}

export interface LogsMetricFiltersTable {
  account_id: string;
  region: string;
  group_name: string;
  name: string;
  pattern: string;
  /** JSON list of MetricTransformation, as PutMetricFilter received it. */
  transformations: string;
  created_at: number;
}

export interface LogsSubscriptionFiltersTable {
  account_id: string;
  region: string;
  group_name: string;
  name: string;
  pattern: string;
  destination_arn: string;
  role_arn: string | null;
  distribution: string;
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
  /** `x86_64` or `arm64` (migration 0019); null on older rows: x86_64. */
  architecture: string | null;
  /** `EphemeralStorage.Size` (migration 0019); null on older rows: 512. */
  ephemeral_storage_mb: number | null;
  /** 1 when a provisioned-concurrency environment ran it (migration 0019). */
  provisioned: number | null;
}

/** CloudWatch metric data (migration 0019): one statistic set per series, unit, period and time. */
export interface CwMetricDatapointsTable {
  account_id: string;
  region: string;
  namespace: string;
  metric_name: string;
  /** Canonical JSON `[[name, value], …]` sorted by name. */
  dimensions: string;
  unit: string;
  period_s: number;
  timestamp: number;
  sample_count: number;
  sum: number;
  minimum: number;
  maximum: number;
  /** JSON `[[value, count], …]` when every value is known (percentiles), else null. */
  distribution: string | null;
}

export interface CwAlarmsTable {
  account_id: string;
  region: string;
  alarm_name: string;
  /** The alarm's settings as PutMetricAlarm took them (JSON). */
  definition: string;
  actions_enabled: number;
  state_value: string;
  state_reason: string;
  state_reason_data: string | null;
  state_updated_at: number;
  state_transitioned_at: number;
  configuration_updated_at: number;
  tags: string;
}

export interface CwAlarmHistoryTable {
  id: number;
  account_id: string;
  region: string;
  alarm_name: string;
  alarm_type: string;
  timestamp: number;
  history_item_type: string;
  history_summary: string;
  history_data: string;
}

/** One allocation of provisioned concurrency, billed while it lasts (migration 0019). */
export interface ProvisionedConcurrencyUsageTable {
  id: Generated<number>;
  account_id: string;
  region: string;
  function_name: string;
  version: string;
  memory_mb: number;
  architecture: string;
  concurrency: number;
  started_at: number;
  ended_at: number | null;
}

export interface SqsQueuesTable {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  attributes: string;
  tags: string;
  created_at: number;
  modified_at: number;
}

export interface SqsMessagesTable {
  seq: number;
  queue_arn: string;
  message_id: string;
  body: string;
  attributes: string | null;
  system: string;
  sent_at: number;
  visible_at: number;
  receive_count: number;
  first_receive_at: number | null;
  receipt_token: string | null;
}

export interface SqsDedupTable {
  queue_arn: string;
  key: string;
  message_id: string;
  sequence_number: string;
  expires_at: number;
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
  logs_metric_filters: LogsMetricFiltersTable;
  logs_subscription_filters: LogsSubscriptionFiltersTable;
  usage_records: UsageRecordsTable;
  cw_metric_datapoints: CwMetricDatapointsTable;
  cw_alarms: CwAlarmsTable;
  cw_alarm_history: CwAlarmHistoryTable;
  provisioned_concurrency_usage: ProvisionedConcurrencyUsageTable;
  async_events: AsyncEventsTable;
  async_delivery_failures: AsyncDeliveryFailuresTable;
  sqs_queues: SqsQueuesTable;
  sqs_messages: SqsMessagesTable;
  sqs_dedup: SqsDedupTable;
  sns_topics: SnsTopicsTable;
  sns_subscriptions: SnsSubscriptionsTable;
  sns_deliveries: SnsDeliveriesTable;
  sns_fifo_dedup: SnsFifoDedupTable;
  sns_outbox: SnsOutboxTable;
  elb_resources: ElbResourcesTable;
  apigw_resources: ApigwResourcesTable;
  s3_buckets: S3BucketsTable;
  s3_objects: S3ObjectsTable;
  s3_uploads: S3UploadsTable;
  s3_upload_parts: S3UploadPartsTable;
  s3_completed_uploads: S3CompletedUploadsTable;
  s3_counters: S3CountersTable;
  s3_notification_outbox: S3NotificationOutboxTable;
  events_buses: EventsBusesTable;
  events_rules: EventsRulesTable;
  events_targets: EventsTargetsTable;
  events_deliveries: EventsDeliveriesTable;
  kinesis_streams: KinesisStreamsTable;
  kinesis_shards: KinesisShardsTable;
  kinesis_records: KinesisRecordsTable;
  kinesis_consumers: KinesisConsumersTable;
  queue_dead_letters: QueueDeadLettersTable;
  esm_stream_checkpoints: EsmStreamCheckpointsTable;
  dynamodb_stream_shards: DynamodbStreamShardsTable;
  dynamodb_stream_records: DynamodbStreamRecordsTable;
  dynamodb_tables: DynamodbTablesTable;
  dynamodb_streams: DynamodbStreamsTable;
  dynamodb_items: DynamodbItemsTable;
  dynamodb_index_items: DynamodbIndexItemsTable;
  dynamodb_transaction_tokens: DynamodbTransactionTokensTable;
  iam_roles: IamRolesTable;
  iam_users: IamUsersTable;
  iam_inline_policies: IamInlinePoliciesTable;
  iam_attachments: IamAttachmentsTable;
  iam_policies: IamPoliciesTable;
  iam_policy_versions: IamPolicyVersionsTable;
  sts_sessions: StsSessionsTable;
  ecr_repositories: EcrRepositoriesTable;
  ecr_blobs: EcrBlobsTable;
  ecr_manifests: EcrManifestsTable;
  ecr_tags: EcrTagsTable;
  ecr_uploads: EcrUploadsTable;
}

/** One queued asynchronous invocation (migration 0003); deleted once handled. */
export interface AsyncEventsTable {
  id: number;
  account_id: string;
  region: string;
  function_name: string;
  qualifier: string | null;
  request_id: string;
  trace_id: string | null;
  payload: Buffer;
  enqueued_at: number;
  /** Due time; a lease pushes it to the lease's end. */
  next_attempt_at: number;
  /** Who holds the lease (migration 0011, which replaced `leased`); null when none does. */
  lease_owner: string | null;
  invoke_count: number;
  error_count: number;
  throttle_count: number;
  last_response: string | null;
}

/** Counters of failed DLQ and destination deliveries per function (migration 0003). */
export interface AsyncDeliveryFailuresTable {
  account_id: string;
  region: string;
  function_name: string;
  metric: string;
  count: number;
  last_error: string | null;
  last_at: number;
}

export interface SnsTopicsTable {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  /** JSON: the attributes set by the user (`DisplayName`, `Policy`, `FifoTopic`, …). */
  attributes: string;
  /** JSON `{key: value}`. */
  tags: string;
  created_at: number;
}

export interface SnsSubscriptionsTable {
  arn: string;
  topic_arn: string;
  account_id: string;
  region: string;
  protocol: string;
  endpoint: string;
  owner: string;
  /** JSON: the attributes set by the user (`RawMessageDelivery`, `FilterPolicy`, …). */
  attributes: string;
  /** `PendingConfirmation` | `Confirmed` (see services/sns/subscription-states.ts). */
  status: string;
  token: string | null;
  token_expires_at: number | null;
  created_at: number;
}

/** A delivery a publish owes one subscription; deleted once the target accepted it. */
export interface SnsDeliveriesTable {
  id: number;
  subscription_arn: string;
  topic_arn: string;
  protocol: string;
  endpoint: string;
  /** FIFO: subscription ARN + message group; rows of one group are delivered one at a time, in id order. */
  group_key: string | null;
  /** JSON: the rendered delivery (see services/sns/delivery/pending-delivery.ts). */
  message: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  /** Who holds the lease (migration 0011); null when none does. */
  lease_owner: string | null;
}

export interface SnsFifoDedupTable {
  topic_arn: string;
  dedup_id: string;
  message_id: string;
  sequence_number: string;
  expires_at: number;
}

/** What SNS would have sent an email, SMS, mobile push or Firehose endpoint (migration 0009). */
export interface SnsOutboxTable {
  id: number;
  account_id: string;
  region: string;
  /** Null for a direct SMS publish (`PhoneNumber`). */
  topic_arn: string | null;
  subscription_arn: string | null;
  protocol: string;
  endpoint: string;
  message_id: string;
  subject: string | null;
  body: string;
  /** `Notification` | `SubscriptionConfirmation` | `UnsubscribeConfirmation`. */
  kind: string;
  created_at: number;
}

/** ELBv2 load balancers, target groups, listeners and rules (`kind`), AWS-shaped `doc`. */
export interface ElbResourcesTable {
  arn: string;
  kind: string;
  account_id: string;
  region: string;
  name: string;
  parent_arn: string | null;
  port: number | null;
  created_at: number;
  doc: string;
}

/** API Gateway v2 apis, routes, integrations and stages (`kind`), AWS-shaped `doc`. */
export interface ApigwResourcesTable {
  api_id: string;
  kind: string;
  id: string;
  account_id: string;
  region: string;
  created_at: number;
  doc: string;
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
  /** Server access logging: JSON {targetBucket, targetPrefix}, null when off. */
  logging: string | null;
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

/** A completed multipart upload, kept so a repeated completion answers as the first did. */
export interface S3CompletedUploadsTable {
  upload_id: string;
  bucket: string;
  key: string;
  /** JSON [[partNumber, etag], …] */
  parts: string;
  etag: string;
  version_id: string;
  checksum: string | null;
  completed_at: number;
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
  /** Who holds the lease (migration 0011); null when none does. */
  lease_owner: string | null;
}

export interface EventsBusesTable {
  account_id: string;
  region: string;
  name: string;
  description: string | null;
  tags: string;
  created_at: number;
  last_modified_at: number;
}

export interface EventsRulesTable {
  account_id: string;
  region: string;
  bus_name: string;
  name: string;
  event_pattern: string | null;
  schedule_expression: string | null;
  state: string;
  description: string | null;
  role_arn: string | null;
  tags: string;
  schedule_anchor: number | null;
  last_fired_tick: number | null;
  created_at: number;
}

export interface EventsTargetsTable {
  account_id: string;
  region: string;
  bus_name: string;
  rule_name: string;
  target_id: string;
  config: string;
  created_at: number;
}

export interface EventsDeliveriesTable {
  id: string;
  account_id: string;
  region: string;
  rule_arn: string;
  target: string;
  payload: string;
  envelope: string | null;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
  last_error: string | null;
  /** Who holds the lease (migration 0011); null when none does. */
  lease_owner: string | null;
}

/** An item moved out of its queue by `dead` (src/store/queue/dead.ts; migration 0011). */
export interface QueueDeadLettersTable {
  id: string;
  /** The queue's table name. */
  queue: string;
  item_id: string;
  /** JSON: the item's row as it was. */
  item: string;
  reason: string;
  dead_at: number;
}

/** A Kinesis data stream (migration 0010); `status_until` ends a transitional status. */
export interface KinesisStreamsTable {
  id: Generated<number>;
  account_id: string;
  region: string;
  name: string;
  mode: string;
  status: string;
  status_until: number | null;
  retention_hours: number;
  tags: string;
  next_shard_index: number;
  created_at: number;
}

/** A shard, open or closed, with its lineage (migration 0010). */
export interface KinesisShardsTable {
  stream_id: number;
  shard_index: number;
  parent_index: number | null;
  adjacent_parent_index: number | null;
  starting_hash_key: string;
  ending_hash_key: string;
  starting_sequence_number: string;
  ending_sequence_number: string | null;
  created_at: number;
  closed_at: number | null;
  last_arrival_ms: number;
  last_counter: number;
  last_sequence_number: string | null;
}

/** One data record, keyed for in-order range scans of a shard (migration 0010). */
export interface KinesisRecordsTable {
  stream_id: number;
  shard_index: number;
  sequence_number: string;
  partition_key: string;
  data: Buffer;
  arrival_ms: number;
}

/** A registered (enhanced fan-out) consumer of a stream (migration 0010). */
export interface KinesisConsumersTable {
  stream_id: number;
  name: string;
  status: string;
  status_until: number | null;
  tags: string;
  created_at: number;
}

/** A stream event source mapping's progress in one shard (migration 0012). */
export interface EsmStreamCheckpointsTable {
  mapping_uuid: string;
  shard_id: string;
  /** The last record fully processed; null before the first. */
  sequence_number: string | null;
  /** 1 once the (closed) shard is processed to its end. */
  finished: number;
  /** JSON: open tumbling windows by lane, with the state the function last returned. */
  window_state: string | null;
  updated_at: number;
}

/** A shard of a DynamoDB stream (migration 0013); at most one per stream is open (closed_ms null). */
export interface DynamodbStreamShardsTable {
  stream_arn: string;
  shard_id: string;
  parent_shard_id: string | null;
  starting_sequence_number: string;
  ending_sequence_number: string | null;
  /** The stream's newest sequence number while this shard is the open one; null before its first record. */
  last_sequence_number: string | null;
  created_ms: number;
  closed_ms: number | null;
}

/** One DynamoDB stream record (migration 0013): `record` is its GetRecords JSON, trimmed to the view type. */
export interface DynamodbStreamRecordsTable {
  stream_arn: string;
  shard_id: string;
  sequence_number: string;
  /** The item's key as one string: a mapping keeps one item's records in order by it. */
  item_key: string;
  event_name: string;
  record: string;
  created_ms: number;
}

/** A DynamoDB table (migration 0014); definitions as JSON text. */
export interface DynamodbTablesTable {
  id: Generated<number>;
  account_id: string;
  region: string;
  name: string;
  table_uuid: string;
  status: string;
  status_until: number | null;
  key_schema: string;
  attribute_definitions: string;
  billing_mode: string;
  billing_mode_updated_ms: number | null;
  throughput: string;
  global_indexes: Generated<string>;
  local_indexes: Generated<string>;
  stream_view_type: string | null;
  stream_arn: string | null;
  stream_label: string | null;
  ttl_attribute: string | null;
  ttl_status: Generated<string>;
  tags: Generated<string>;
  created_ms: number;
}

/** Every stream a DynamoDB table had, readable 24 h after it was disabled (migration 0014). */
export interface DynamodbStreamsTable {
  stream_arn: string;
  table_id: number;
  account_id: string;
  region: string;
  table_name: string;
  label: string;
  key_schema: string;
  view_type: string;
  status: string;
  created_ms: number;
  disabled_ms: number | null;
}

/** One item, under order-preserving encodings of its keys (migration 0014). */
export interface DynamodbItemsTable {
  table_id: number;
  hash_key: string;
  range_key: string;
  hash_point: number;
  item: string;
  size: number;
  ttl_at: number | null;
}

/** One secondary index entry of a base item (migration 0014). */
export interface DynamodbIndexItemsTable {
  table_id: number;
  index_name: string;
  hash_key: string;
  range_key: string;
  base_hash_key: string;
  base_range_key: string;
  hash_point: number;
  item: string;
  size: number;
}

/** A TransactWriteItems ClientRequestToken and the answer it got (migration 0014). */
export interface DynamodbTransactionTokensTable {
  account_id: string;
  region: string;
  token: string;
  request_hash: string;
  response: string;
  created_ms: number;
}

/** An IAM role (migration 0015); `name_key` is the lower-cased name. */
export interface IamRolesTable {
  account_id: string;
  name_key: string;
  role_name: string;
  role_id: string;
  path: string;
  arn: string;
  trust_policy: string;
  description: string | null;
  max_session_seconds: number;
  tags: string;
  created_at: number;
}

/** An IAM user (migration 0015). */
export interface IamUsersTable {
  account_id: string;
  name_key: string;
  user_name: string;
  user_id: string;
  path: string;
  arn: string;
  tags: string;
  created_at: number;
}

/** An inline policy of a role or user (migration 0015). */
export interface IamInlinePoliciesTable {
  account_id: string;
  principal_kind: string;
  principal_key: string;
  policy_name: string;
  document: string;
}

/** A managed policy attached to a role or user (migration 0015). */
export interface IamAttachmentsTable {
  account_id: string;
  principal_kind: string;
  principal_key: string;
  policy_arn: string;
}

/** A customer-managed policy (migration 0015). */
export interface IamPoliciesTable {
  arn: string;
  account_id: string;
  name_key: string;
  policy_name: string;
  policy_id: string;
  path: string;
  description: string | null;
  default_version: number;
  next_version: number;
  created_at: number;
  updated_at: number;
}

/** One version of a customer-managed policy (migration 0015). */
export interface IamPolicyVersionsTable {
  policy_arn: string;
  version: number;
  document: string;
  created_at: number;
}

/** Temporary credentials (migration 0015): secret sealed, token hashed. */
export interface StsSessionsTable {
  access_key_id: string;
  secret_sealed: string;
  token_sha256: string;
  account_id: string;
  kind: string;
  principal_key: string;
  principal: string;
  expires_at: number;
  revoked_at: number | null;
  created_at: number;
}

/** An ECR repository (migration 0016). `tags` is a JSON list of {Key, Value}. */
export interface EcrRepositoriesTable {
  account_id: string;
  region: string;
  name: string;
  /** `MUTABLE` or `IMMUTABLE`. */
  tag_mutability: string;
  scan_on_push: number;
  /** The EncryptionConfiguration as JSON. */
  encryption: string;
  tags: string;
  created_at: number;
}

/** A blob a repository holds (migration 0016); its bytes are in the blob store under the digest's hex. */
export interface EcrBlobsTable {
  account_id: string;
  region: string;
  repository: string;
  /** `sha256:<hex>`. */
  digest: string;
  size: number;
}

/** A manifest or image index pushed to a repository (migration 0016), its bytes as pushed. */
export interface EcrManifestsTable {
  account_id: string;
  region: string;
  repository: string;
  digest: string;
  media_type: string;
  body: Buffer;
  /** The sum of the config's and layers' sizes (an index: of its manifests' images). */
  image_size: number;
  pushed_at: number;
  last_pulled_at: number | null;
}

export interface EcrTagsTable {
  account_id: string;
  region: string;
  repository: string;
  tag: string;
  digest: string;
}

/** A registry blob upload in progress (migration 0017); its bytes so far are the file `ecr-uploads/<id>`. */
export interface EcrUploadsTable {
  id: string;
  account_id: string;
  region: string;
  repository: string;
  started_at: number;
}
