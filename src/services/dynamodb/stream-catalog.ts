import type { Clock } from '../../clock.js';
import type { Store } from '../../store/database.js';
import { STREAM_RETENTION_MS } from './api-limits.js';
import type { TableStream, TableStreamCatalog } from './stream-contract.js';
import { findStreamRow, listStreamRows } from './tables/streams.js';

/** The tables side's answer to "which streams exist": enabled ones, and disabled ones for 24 h. */
export function tableStreamCatalog(db: Store, clock: Clock): TableStreamCatalog {
  return {
    list: (tableName?: string) => listStreamRows(db, clock.now() - STREAM_RETENTION_MS, tableName),
    async find(arn: string): Promise<TableStream | undefined> {
      const stream = await findStreamRow(db, arn);
      if (!stream || (stream.disabledMs !== undefined && stream.disabledMs <= clock.now() - STREAM_RETENTION_MS)) return undefined;
      return stream;
    },
  };
}
