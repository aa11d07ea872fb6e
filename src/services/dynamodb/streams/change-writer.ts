import type { Transaction } from 'kysely';
import type { Clock } from '../../../clock.js';
import type { Database, DynamodbStreamRecordsTable } from '../../../store/schema.js';
import type { ItemChange, StreamChangeWriter, TableStream } from '../stream-contract.js';
import { nextSequence } from './sequence-numbers.js';
import { openShardFor } from './shard-lifecycle.js';
import { StreamNotifications } from './stream-notifications.js';
import { buildStreamRecord, itemKeyString, regionOfStreamArn } from './stream-record.js';
import { insertRecords } from './tables/records.js';
import { setLastSequence } from './tables/shards.js';

/**
 * The write side of DynamoDB Streams: made before DynamoDB starts (its item writes call it), while
 * the streams API and reader start later with the tables' catalog and share its notifications.
 * `append` runs in the item write's transaction, so a committed write always has its records.
 */
export interface DynamodbStreamWriter extends StreamChangeWriter {
  readonly notifications: StreamNotifications;
}

export function createStreamChangeWriter(options: { clock: Clock }): DynamodbStreamWriter {
  const { clock } = options;
  const notifications = new StreamNotifications();
  return {
    notifications,
    async append(tx: Transaction<Database>, stream: TableStream, changes: ItemChange[]): Promise<void> {
      if (changes.length === 0 || stream.disabledMs !== undefined) return;
      const now = clock.now();
      const shard = await openShardFor(tx, stream.streamArn, now);
      const region = regionOfStreamArn(stream.streamArn);
      let last = shard.last_sequence_number;
      const rows: DynamodbStreamRecordsTable[] = [];
      for (const change of changes) {
        const sequence = last === null ? shard.starting_sequence_number : nextSequence(last);
        const record = buildStreamRecord(change, stream.viewType, sequence, region, now);
        rows.push({
          stream_arn: stream.streamArn,
          shard_id: shard.shard_id,
          sequence_number: sequence,
          item_key: itemKeyString(stream.keySchema, change.keys),
          event_name: change.eventName,
          record: JSON.stringify(record),
          created_ms: now,
        });
        last = sequence;
      }
      await insertRecords(tx, rows);
      await setLastSequence(tx, stream.streamArn, shard.shard_id, last!);
    },
    committed(streamArn: string): void {
      notifications.notify(streamArn);
    },
  };
}
