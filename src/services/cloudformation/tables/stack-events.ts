import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { CfnStackEventsTable } from '../../../store/schema.js';

export type StackEvent = Selectable<CfnStackEventsTable>;

/** The `cfn_stack_events` table: what DescribeStackEvents lists, newest first. */
export class StackEventsTable {
  constructor(private readonly db: Store) {}

  async add(e: { stackId: string; logicalId: string; physicalId: string | null; type: string; status: string; reason?: string | null; properties?: unknown; at: number }): Promise<void> {
    await this.db
      .insertInto('cfn_stack_events')
      .values({
        stack_id: e.stackId,
        event_id: e.type === 'AWS::CloudFormation::Stack' ? randomUUID() : `${e.logicalId}-${e.status}-${new Date(e.at).toISOString()}`,
        logical_id: e.logicalId,
        physical_id: e.physicalId,
        type: e.type,
        status: e.status,
        status_reason: e.reason ?? null,
        properties: e.properties === undefined ? null : JSON.stringify(e.properties),
        at: e.at,
      })
      .execute();
  }

  list(stackId: string): Promise<StackEvent[]> {
    return this.db.selectFrom('cfn_stack_events').selectAll().where('stack_id', '=', stackId).orderBy('seq', 'desc').execute();
  }
}
