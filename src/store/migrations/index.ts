import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_logs_and_usage.js';
import * as m0003 from './0003_async_invocations.js';
import * as m0004 from './0004_sqs.js';
import * as m0005 from './0005_sns.js';
import * as m0006 from './0006_s3.js';
import * as m0007 from './0007_events.js';
import * as m0008 from './0008_http_front_doors.js';
import * as m0009 from './0009_sns_outbox.js';
import * as m0010 from './0010_kinesis.js';
import * as m0011 from './0011_queue_leases.js';
import * as m0012 from './0012_esm_stream_checkpoints.js';
import * as m0013 from './0013_dynamodb_streams.js';
import * as m0014 from './0014_dynamodb.js';
import * as m0015 from './0015_iam.js';
import * as m0016 from './0016_ecr.js';
import * as m0017 from './0017_ecr_uploads.js';
import * as m0018 from './0018_logs_api.js';
import * as m0019 from './0019_cloudwatch_metrics.js';
import * as m0021 from './0021_s3_edges.js';
import * as m0022 from './0022_backlog_indexes.js';
import * as m0023 from './0023_monitoring_outboxes.js';
import * as m0024 from './0024_cloudformation.js';
import * as m0025 from './0025_ssm_parameters.js';
import * as m0026 from './0026_shared_blobs.js';
import * as m0027 from './0027_lambda_code_signing.js';
import * as m0028 from './0028_s3_bucket_policy.js';
import * as m0030 from './0030_cluster.js';
import * as m0031 from './0031_id_counters.js';
import * as m0032 from './0032_concurrency_slots.js';
import * as m0033 from './0033_scheduler.js';
import * as m0037 from './0037_s3_bucket_controls.js';
import * as m0039 from './0039_events_archives.js';
import * as m0040 from './0040_events_bus_policy.js';
import * as m0044 from './0044_cluster_secrets.js';
import * as m0047 from './0047_row_id_sequences.js';
import * as m0048 from './0048_console_sessions.js';
import * as m0049 from './0049_events_api_destinations.js';
import * as m0050 from './0050_scheduler_deliveries.js';
import * as m0051 from './0051_s3_bucket_settings.js';
import * as m0052 from './0052_s3_object_lock.js';
import * as m0053 from './0053_apigw_usage.js';
import * as m0056 from './0056_s3_bucket_website.js';
import * as m0068 from './0068_sns_group_key_separator.js';
import * as m0069 from './0069_async_events_unused_index.js';

/**
 * Migrations in order; the name is the key Kysely records, so it never changes once shipped. After
 * adding one, `npm run schema:dump` records its hash in landed.json and rewrites ../schema.sql.
 */
export const migrationProvider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      '0001_initial': m0001,
      '0002_logs_and_usage': m0002,
      '0003_async_invocations': m0003,
      '0004_sqs': m0004,
      '0005_sns': m0005,
      '0006_s3': m0006,
      '0007_events': m0007,
      '0008_http_front_doors': m0008,
      '0009_sns_outbox': m0009,
      '0010_kinesis': m0010,
      '0011_queue_leases': m0011,
      '0012_esm_stream_checkpoints': m0012,
      '0013_dynamodb_streams': m0013,
      '0014_dynamodb': m0014,
      '0015_iam': m0015,
      '0016_ecr': m0016,
      '0017_ecr_uploads': m0017,
      '0018_logs_api': m0018,
      '0019_cloudwatch_metrics': m0019,
      '0021_s3_edges': m0021,
      '0022_backlog_indexes': m0022,
      '0023_monitoring_outboxes': m0023,
      '0024_cloudformation': m0024,
      '0025_ssm_parameters': m0025,
      '0026_shared_blobs': m0026,
      '0027_lambda_code_signing': m0027,
      '0028_s3_bucket_policy': m0028,
      '0030_cluster': m0030,
      '0031_id_counters': m0031,
      '0032_concurrency_slots': m0032,
      '0033_scheduler': m0033,
      '0037_s3_bucket_controls': m0037,
      '0039_events_archives': m0039,
      '0040_events_bus_policy': m0040,
      '0044_cluster_secrets': m0044,
      '0047_row_id_sequences': m0047,
      '0048_console_sessions': m0048,
      '0049_events_api_destinations': m0049,
      '0050_scheduler_deliveries': m0050,
      '0051_s3_bucket_settings': m0051,
      '0052_s3_object_lock': m0052,
      '0053_apigw_usage': m0053,
      '0056_s3_bucket_website': m0056,
      '0068_sns_group_key_separator': m0068,
      '0069_async_events_unused_index': m0069,
    };
  },
};
