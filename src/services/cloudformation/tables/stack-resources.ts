import type { Selectable } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { CfnStackResourcesTable } from '../../../store/schema.js';
import type { ResourceDoc } from '../stack-doc.js';

type Row = Selectable<CfnStackResourcesTable>;
export interface StackResource extends Omit<Row, 'doc'> {
  doc: ResourceDoc;
}

/** The `cfn_stack_resources` table. */
export class StackResourcesTable {
  constructor(private readonly db: Store) {}

  async list(stackId: string): Promise<StackResource[]> {
    const rows = await this.db.selectFrom('cfn_stack_resources').selectAll().where('stack_id', '=', stackId).orderBy('updated_at').execute();
    return rows.map((r) => ({ ...r, doc: JSON.parse(r.doc) as ResourceDoc }));
  }

  async put(resource: StackResource): Promise<void> {
    const row = { ...resource, doc: JSON.stringify(resource.doc) };
    await this.db
      .insertInto('cfn_stack_resources')
      .values(row)
      .onConflict((c) => c.columns(['stack_id', 'logical_id']).doUpdateSet({ type: row.type, physical_id: row.physical_id, status: row.status, status_reason: row.status_reason, updated_at: row.updated_at, doc: row.doc }))
      .execute();
  }

  async delete(stackId: string, logicalId: string): Promise<void> {
    await this.db.deleteFrom('cfn_stack_resources').where('stack_id', '=', stackId).where('logical_id', '=', logicalId).execute();
  }
}
