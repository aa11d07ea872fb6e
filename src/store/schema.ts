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
  events_buses: EventsBusesTable;
  events_rules: EventsRulesTable;
  events_targets: EventsTargetsTable;
  events_deliveries: EventsDeliveriesTable;
}
