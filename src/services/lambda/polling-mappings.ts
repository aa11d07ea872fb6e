import type { Store } from '../../store/database.js';
import type { MappingDocument, StoredMapping } from './tables/event-source-mappings-table.js';

/** A mapping whose source should be polled now, as the pollers (`triggers/esm/`) read it. */
export interface PollingMapping {
  uuid: string;
  mapping: MappingDocument;
  tags: Record<string, string>;
  /** Epoch ms the mapping was created (a stream mapping's LATEST starts there). */
  createdAt: number;
}

/** States in which a mapping's poller runs: a mapping being created, enabled or updated already polls. */
const POLLING_STATES = new Set(['Creating', 'Enabling', 'Enabled', 'Updating']);

/**
 * The enabled mappings of one source service (`sqs`, later `kinesis`, `dynamodb`): Lambda's
 * exported read of its mappings, so pollers never read Lambda's tables.
 */
export async function pollingMappings(db: Store, sourceService: string): Promise<PollingMapping[]> {
  const rows = await db
    .selectFrom('lambda_event_source_mappings')
    .select(['uuid', 'config', 'tags'])
    .where('event_source_arn', 'like', `arn:%:${sourceService}:%`)
    .execute();
  const out: PollingMapping[] = [];
  for (const row of rows) {
    const stored = JSON.parse(row.config) as StoredMapping;
    if (!stored.mapping || !stored.enabled || !POLLING_STATES.has(stored.mapping.State)) continue;
    out.push({
      uuid: row.uuid,
      mapping: stored.mapping,
      tags: JSON.parse(row.tags || '{}') as Record<string, string>,
      createdAt: stored.createdAt ?? stored.mapping.LastModified * 1000,
    });
  }
  return out;
}

/** The UUIDs of every mapping, polling or not (pollers drop the progress of deleted ones). */
export async function mappingUuids(db: Store): Promise<Set<string>> {
  const rows = await db.selectFrom('lambda_event_source_mappings').select('uuid').execute();
  return new Set(rows.map((r) => r.uuid));
}
