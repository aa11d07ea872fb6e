import type { Store } from '../../../store/database.js';
import type { MappingState } from '../esm-state.js';
import type { Scope } from '../model.js';

/** The EventSourceMappingConfiguration document as the API returns it. */
export interface MappingDocument {
  UUID: string;
  EventSourceMappingArn: string;
  EventSourceArn: string;
  FunctionArn: string;
  State: MappingState;
  StateTransitionReason: string;
  /** Epoch seconds (shape `Date`). */
  LastModified: number;
  [member: string]: unknown;
}

/** What `lambda_event_source_mappings.config` holds. */
export interface StoredMapping {
  mapping: MappingDocument;
  /** Whether the user wants the mapping polling; a transitional state settles towards it. */
  enabled: boolean;
  /** Epoch ms at which a transitional state is due to settle. */
  settleAt?: number;
  /** Epoch ms of creation: where a stream mapping with StartingPosition LATEST starts reading. */
  createdAt?: number;
}

export interface MappingRow extends StoredMapping {
  scope: Scope;
  functionName: string;
}

type Row = { uuid: string; account_id: string; region: string; function_name: string; config: string };

function toRow(r: Row): MappingRow {
  return { ...(JSON.parse(r.config) as StoredMapping), scope: { accountId: r.account_id, region: r.region }, functionName: r.function_name };
}

export class EventSourceMappingsTable {
  constructor(private readonly db: Store) {}

  async get(scope: Scope, uuid: string): Promise<MappingRow | undefined> {
    const row = await this.db
      .selectFrom('lambda_event_source_mappings')
      .select(['uuid', 'account_id', 'region', 'function_name', 'config'])
      .where('uuid', '=', uuid)
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .executeTakeFirst();
    return row && toRow(row);
  }

  async list(scope: Scope, filter: { eventSourceArn?: string; functionName?: string } = {}): Promise<MappingRow[]> {
    let query = this.db
      .selectFrom('lambda_event_source_mappings')
      .select(['uuid', 'account_id', 'region', 'function_name', 'config'])
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region);
    if (filter.eventSourceArn !== undefined) query = query.where('event_source_arn', '=', filter.eventSourceArn);
    if (filter.functionName !== undefined) query = query.where('function_name', '=', filter.functionName);
    return (await query.orderBy('uuid').execute()).map(toRow);
  }

  /** Mappings whose state was still moving when the process stopped. */
  async listUnsettled(): Promise<MappingRow[]> {
    const rows = await this.db
      .selectFrom('lambda_event_source_mappings')
      .select(['uuid', 'account_id', 'region', 'function_name', 'config'])
      .execute();
    return rows.map(toRow).filter((r) => r.settleAt !== undefined);
  }

  async insert(scope: Scope, functionName: string, stored: StoredMapping, tags: Record<string, string>): Promise<void> {
    await this.db
      .insertInto('lambda_event_source_mappings')
      .values({
        uuid: stored.mapping.UUID,
        account_id: scope.accountId,
        region: scope.region,
        function_name: functionName,
        event_source_arn: stored.mapping.EventSourceArn,
        config: JSON.stringify(stored),
        tags: JSON.stringify(tags),
      })
      .execute();
  }

  async update(uuid: string, functionName: string, stored: StoredMapping): Promise<void> {
    await this.db
      .updateTable('lambda_event_source_mappings')
      .set({ function_name: functionName, config: JSON.stringify(stored) })
      .where('uuid', '=', uuid)
      .execute();
  }

  async delete(uuid: string): Promise<void> {
    await this.db.deleteFrom('lambda_event_source_mappings').where('uuid', '=', uuid).execute();
  }
}
