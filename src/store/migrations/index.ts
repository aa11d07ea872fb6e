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
    };
  },
};
