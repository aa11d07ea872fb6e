import type { Logger } from '../logger.js';
import { newRowIds } from '../store/cluster/row-ids.js';
import type { Store } from '../store/database.js';
import type { UsageRecordsTable } from '../store/schema.js';
import { RowInserter } from '../store/row-inserter.js';
import { BatchWriter } from './batch-writer.js';

export type UsageRecord = Omit<UsageRecordsTable, 'id'>;

const INSERT_CHUNK = 200;

const insertRows = new RowInserter('usage_records', [
  'id', 'request_id', 'account_id', 'region', 'function_name', 'version', 'memory_mb', 'duration_ms', 'billed_ms', 'init_ms',
  'max_memory_used_mb', 'outcome', 'timestamp', 'architecture', 'ephemeral_storage_mb', 'provisioned',
]);

/**
 * One record per invocation (function, version, memory, duration, billed and init milliseconds,
 * outcome) for metering, buffered and written in batches like the function logs.
 */
export class UsageRecords {
  private readonly writer: BatchWriter<UsageRecord>;

  constructor(private readonly db: Store, logger: Logger, options: { flushIntervalMs?: number; maxBatch?: number } = {}) {
    this.writer = new BatchWriter({ write: (records) => this.write(records), logger, what: 'usage records', ...options });
  }

  add(record: UsageRecord): void {
    this.writer.add(record);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  close(): Promise<void> {
    return this.writer.close();
  }

  private async write(records: UsageRecord[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const ids = await newRowIds(trx, 'usage_records', records.length);
      for (let i = 0; i < records.length; i += INSERT_CHUNK) {
        await insertRows.insert(trx, records.slice(i, i + INSERT_CHUNK).map((r, j) => ({ id: ids[i + j]!, ...r })));
      }
    });
  }
}

/** Usage of one function, oldest first (for reports and tests). */
export function listUsageRecords(
  db: Store,
  where: { accountId: string; region: string; functionName: string; sinceMs?: number },
): Promise<UsageRecordsTable[]> {
  return db
    .selectFrom('usage_records')
    .selectAll()
    .where('account_id', '=', where.accountId)
    .where('region', '=', where.region)
    .where('function_name', '=', where.functionName)
    .where('timestamp', '>=', where.sinceMs ?? 0)
    .orderBy('id')
    .execute();
}
