import type { ColumnType, Generated } from 'kysely';

/** A nullable column added later: rows may be written without it. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;

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
  /** Assigned by the store (SQLite's rowid): concurrent writers never pick the same one. */
  id: Generated<number>;
  account_id: string;
  region: string;
  alarm_name: string;
  alarm_type: string;
  timestamp: number;
  history_item_type: string;
  history_summary: string;
  history_data: string;
}

/** An alarm action owed by a state change (migration 0023); deleted once handed on. */
export interface CwAlarmActionsTable {
  id: Generated<number>;
  account_id: string;
  region: string;
  alarm_name: string;
  action_arn: string;
  state_updated_at: number;
  /** JSON: an SNS `{subject, message}` or the Lambda event. */
  message: string;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  created_at: number;
  last_error: string | null;
}

/** One awslogs document owed to a subscription filter's function (migration 0023); deleted once queued for it. */
export interface LogsSubscriptionDeliveriesTable {
  id: Generated<number>;
  account_id: string;
  region: string;
  group_name: string;
  filter_name: string;
  destination_arn: string;
  /** JSON: the document before gzip and base64. */
  document: string;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  created_at: number;
  last_error: string | null;
}

/** A Logs Insights query, its status and results (migration 0023). */
export interface LogsInsightsQueriesTable {
  query_id: string;
  account_id: string;
  region: string;
  query_string: string;
  /** JSON string array. */
  log_group_names: string;
  start_ms: number;
  end_ms: number;
  result_limit: number;
  create_time: number;
  status: string;
  /** JSON QueryOutput once Complete. */
  output: string | null;
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

/** A Lambda code signing config (migration 0027). */
export interface LambdaCodeSigningConfigsTable {
  arn: string;
  account_id: string;
  region: string;
  id: string;
  description: string;
  /** `AllowedPublishers` as JSON. */
  allowed_publishers: string;
  /** `CodeSigningPolicies` as JSON. */
  policies: string;
  /** ISO 8601, as the API returns it. */
  last_modified: string;
}

/** The code signing config a function uses (migration 0027). */
export interface LambdaFunctionCodeSigningTable {
  account_id: string;
  region: string;
  function_name: string;
  config_arn: string;
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
  lambda_code_signing_configs: LambdaCodeSigningConfigsTable;
  lambda_function_code_signing: LambdaFunctionCodeSigningTable;
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
  cw_alarm_actions: CwAlarmActionsTable;
  logs_subscription_deliveries: LogsSubscriptionDeliveriesTable;
  logs_insights_queries: LogsInsightsQueriesTable;
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
  apigw_usage: ApigwUsageTable;
  apigw_throttle: ApigwThrottleTable;
  scheduler_groups: SchedulerGroupsTable;
  scheduler_schedules: SchedulerSchedulesTable;
  scheduler_deliveries: SchedulerDeliveriesTable;
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
  events_archives: EventsArchivesTable;
  events_archived_events: EventsArchivedEventsTable;
  events_replays: EventsReplaysTable;
  events_connections: EventsConnectionsTable;
  events_api_destinations: EventsApiDestinationsTable;
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
  ssm_parameters: SsmParametersTable;
  ssm_parameter_versions: SsmParameterVersionsTable;
  cfn_stacks: CfnStacksTable;
  cfn_stack_resources: CfnStackResourcesTable;
  cfn_stack_events: CfnStackEventsTable;
  cfn_change_sets: CfnChangeSetsTable;
  blobs: BlobsTable;
  blob_chunks: BlobChunksTable;
  cluster_members: ClusterMembersTable;
  cluster_leases: ClusterLeasesTable;
  id_counters: IdCountersTable;
  console_sessions: ConsoleSessionsTable;
  concurrency_slots: ConcurrencySlotsTable;
  cluster_secrets: ClusterSecretsTable;
}

/** A secret the nodes of a cluster share (migration 0044); `node-call` authenticates node-to-node requests. */
export interface ClusterSecretsTable {
  name: string;
  value: string;
}

/** One execution holding one unit of a concurrency limit across the cluster (migration 0032). */
export interface ConcurrencySlotsTable {
  /** `r:account/region/function` (a reservation) or `a:account/region` (the unreserved pool). */
  scope: string;
  /** Below the scope's limit: the key keeps the holders within it. */
  slot: number;
  /** The member's node id. */
  owner: string;
  expires_at: number;
}

/** A shared id counter (migration 0031): `next` is the first id no node has reserved. */
export interface IdCountersTable {
  name: string;
  next: number;
}

/** A running node (migration 0030), kept alive by its heartbeat. */
export interface ClusterMembersTable {
  node_id: string;
  /** Every durable-queue lease owner id of the node starts with this and '/'. */
  lease_prefix: string;
  url: string;
  started_at: number;
  heartbeat_at: number;
  /** 1 once it is shutting down (finishing its invocations, taking no new work). */
  draining: number;
  /** JSON: the node's load as it last reported it. */
  load: string;
}

/** Singleton work owned by one node until `expires_at` unless renewed (migration 0030). */
export interface ClusterLeasesTable {
  name: string;
  owner: string;
  expires_at: number;
}

/** A blob kept in the database (migration 0026; PostgreSQL store): its size and whether every chunk is in. */
export interface BlobsTable {
  hex: string;
  size: number;
  /** 1 once every chunk is written. */
  complete: number;
  /** Last time a writer stored it (garbage collection leaves younger blobs alone). */
  stored_at: number;
}

/** Up to 1 MiB of a blob's bytes, `seq` counting from 0. */
export interface BlobChunksTable {
  hex: string;
  seq: number;
  data: Uint8Array;
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
/** Requests an API key made under a usage plan on one UTC day (`day` is YYYY-MM-DD). */
export interface ApigwUsageTable {
  account_id: string;
  region: string;
  plan_id: string;
  key_id: string;
  day: string;
  used: number;
}

/** A usage plan's token bucket for one key: `tokens` left at `at_ms`. */
export interface ApigwThrottleTable {
  account_id: string;
  region: string;
  plan_id: string;
  key_id: string;
  tokens: number;
  at_ms: number;
}

export interface ApigwResourcesTable {
  api_id: string;
  kind: string;
  id: string;
  account_id: string;
  region: string;
  created_at: number;
  doc: string;
}

export interface SchedulerGroupsTable {
  account_id: string;
  region: string;
  name: string;
  created_at: number;
  /** JSON object of tags. */
  tags: string;
}

export interface SchedulerSchedulesTable {
  account_id: string;
  region: string;
  group_name: string;
  name: string;
  /** The schedule as GetSchedule returns it (dates in epoch ms), plus the runner's bookkeeping. */
  doc: string;
  /** When the next firing happens: a random time within its flexible window (its start when OFF). */
  next_fire_at: number | null;
  /** The start of that window, the firing's scheduled time; null on rows from before migration 0050. */
  window_start_at: number | null;
}

export interface SchedulerDeliveriesTable {
  id: string;
  account_id: string;
  region: string;
  schedule_arn: string;
  /** The schedule's Target, as JSON. */
  target: string;
  payload: string;
  /** The firing's scheduled time (the start of its flexible window). */
  window_start_at: number;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
  last_error: string | null;
  lease_owner: string | null;
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
  /** The bucket policy's JSON text; evaluated for anonymous requests. null when none. */
  policy: string | null;
  /** CORS rules (JSON array of CorsRule), null when none. */
  cors: Optional<string>;
  /** Lifecycle rules (JSON array), null when none. */
  lifecycle: Optional<string>;
  /** The bucket's ACL (JSON {grants}), null: private. */
  acl: Optional<string>;
  /** Block Public Access (JSON of the four flags), null when none. */
  public_access_block: Optional<string>;
  /** Ownership controls: 'BucketOwnerEnforced', 'BucketOwnerPreferred' or 'ObjectWriter'; null when none. */
  object_ownership: Optional<string>;
  /** Default encryption (JSON {algorithm, kmsKeyId?, bucketKeyEnabled}); null: S3's default SSE-S3. */
  encryption: Optional<string>;
  /** 1 when the requester pays (PutBucketRequestPayment). */
  requester_pays: Generated<number>;
  /** Object Lock (JSON {enabled, rule?: {mode, days?, years?}}); null when not enabled. */
  object_lock: Optional<string>;
  /** Static website hosting (JSON WebsiteConfiguration); null when the bucket is not a website. */
  website: Optional<string>;
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
  /** The object's ACL (JSON {grants}), null: private. */
  acl: Optional<string>;
  /** Object Lock retention: 'GOVERNANCE' or 'COMPLIANCE', null when none. */
  lock_mode: Optional<string>;
  /** Retain-until time (ms since epoch), with lock_mode. */
  lock_until: Optional<number>;
  /** Legal hold: 1 on, 0 off, null never set. */
  legal_hold: Optional<number>;
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
  /** The resource policy (migration 0040); null when the bus has none. */
  policy: string | null;
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

/** Archives (migration 0039). */
export interface EventsArchivesTable {
  account_id: string;
  region: string;
  name: string;
  bus_name: string;
  description: string | null;
  event_pattern: string | null;
  /** 0: kept indefinitely. */
  retention_days: number;
  created_at: number;
}

export interface EventsArchivedEventsTable {
  account_id: string;
  region: string;
  archive_name: string;
  event_id: string;
  event_time: number;
  archived_at: number;
  envelope: string;
}

/** Replays (migration 0039). */
export interface EventsReplaysTable {
  account_id: string;
  region: string;
  name: string;
  archive_name: string;
  description: string | null;
  /** The request's `Destination` (`Arn`, optional `FilterArns`), as JSON. */
  destination: string;
  event_start: number;
  event_end: number;
  state: string;
  state_reason: string | null;
  /** Event time of the last event sent; null until the first. */
  replayed_through: number | null;
  /** Until when the runner sending it holds it (epoch ms). */
  lease_until: number | null;
  started_at: number;
  ended_at: number | null;
}

export interface EventsConnectionsTable {
  account_id: string;
  region: string;
  name: string;
  /** The random last part of the connection's ARN. */
  arn_suffix: string;
  description: string | null;
  authorization_type: string;
  /** AuthParameters as JSON, secrets included (the API never returns them). */
  auth_parameters: string;
  state: string;
  state_reason: string | null;
  created_at: number;
  modified_at: number;
  authorized_at: number | null;
}

export interface EventsApiDestinationsTable {
  account_id: string;
  region: string;
  name: string;
  arn_suffix: string;
  description: string | null;
  connection_name: string;
  endpoint: string;
  http_method: string;
  rate_limit_per_second: number;
  created_at: number;
  modified_at: number;
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

/** An SSM parameter (migration 0025): its latest version and its tags (a JSON object). */
export interface SsmParametersTable {
  account_id: string;
  region: string;
  name: string;
  version: number;
  tags: string;
}

/** One version of an SSM parameter (migration 0025). */
export interface SsmParameterVersionsTable {
  account_id: string;
  region: string;
  name: string;
  version: number;
  type: string;
  value: string;
  description: string | null;
  key_id: string | null;
  allowed_pattern: string | null;
  tier: string;
  data_type: string;
  /** JSON list of the policies given with PutParameter. */
  policies: string;
  /** JSON list of labels (LabelParameterVersion). */
  labels: string;
  modified_at: number;
  /** The ARN of who wrote this version (LastModifiedUser). */
  modified_by: string;
}

/** A CloudFormation stack (migration 0024); `doc` is its JSON state (services/cloudformation/stack-doc.ts). */
export interface CfnStacksTable {
  stack_id: string;
  account_id: string;
  region: string;
  stack_name: string;
  status: string;
  status_reason: string | null;
  created_at: number;
  updated_at: number | null;
  deleted_at: number | null;
  doc: string;
}

/** One resource of a stack (migration 0024); `doc` holds its resolved properties and attributes. */
export interface CfnStackResourcesTable {
  stack_id: string;
  logical_id: string;
  type: string;
  physical_id: string | null;
  status: string;
  status_reason: string | null;
  updated_at: number;
  doc: string;
}

/** A stack event (migration 0024), in the order written. */
export interface CfnStackEventsTable {
  seq: Generated<number>;
  stack_id: string;
  event_id: string;
  logical_id: string;
  physical_id: string | null;
  type: string;
  status: string;
  status_reason: string | null;
  properties: string | null;
  at: number;
}

/** A change set (migration 0024); `doc` holds its template, parameters and computed changes. */
export interface CfnChangeSetsTable {
  change_set_id: string;
  stack_id: string;
  name: string;
  status: string;
  execution_status: string;
  created_at: number;
  doc: string;
}

/** A web console session (migration 0048); the cookie's token is kept only as its SHA-256. */
export interface ConsoleSessionsTable {
  token_sha256: string;
  access_key_id: string;
  csrf: string;
  created_at: number;
  last_used_at: number;
}
