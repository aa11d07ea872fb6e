import type { Selectable } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { CfnChangeSetsTable } from '../../../store/schema.js';
import type { StackTag } from '../stack-doc.js';
import type { TemplateObject } from '../template/parse.js';

type Row = Selectable<CfnChangeSetsTable>;

export interface ResourceChange {
  action: 'Add' | 'Modify' | 'Remove';
  logicalId: string;
  physicalId?: string;
  type: string;
  replacement?: 'True' | 'False' | 'Conditional';
  scope: string[];
  details: { name: string; requiresRecreation: string }[];
}

export interface ChangeSetDoc {
  changeSetType: 'CREATE' | 'UPDATE';
  description?: string;
  templateBody: string;
  template: TemplateObject;
  parameters: Record<string, string>;
  ssmValues?: Record<string, string>;
  capabilities: string[];
  tags: StackTag[];
  notificationArns: string[];
  changes: ResourceChange[];
  statusReason?: string;
}

export interface ChangeSet extends Omit<Row, 'doc'> {
  doc: ChangeSetDoc;
}

const toChangeSet = (r: Row): ChangeSet => ({ ...r, doc: JSON.parse(r.doc) as ChangeSetDoc });

/** The `cfn_change_sets` table. */
export class ChangeSetsTable {
  constructor(private readonly db: Store) {}

  async byId(id: string): Promise<ChangeSet | undefined> {
    const r = await this.db.selectFrom('cfn_change_sets').selectAll().where('change_set_id', '=', id).executeTakeFirst();
    return r ? toChangeSet(r) : undefined;
  }

  async byName(stackId: string, name: string): Promise<ChangeSet | undefined> {
    const r = await this.db.selectFrom('cfn_change_sets').selectAll().where('stack_id', '=', stackId).where('name', '=', name).executeTakeFirst();
    return r ? toChangeSet(r) : undefined;
  }

  async list(stackId: string): Promise<ChangeSet[]> {
    return (await this.db.selectFrom('cfn_change_sets').selectAll().where('stack_id', '=', stackId).orderBy('created_at').execute()).map(toChangeSet);
  }

  /**
   * Inserts the change set unless its stack has one of its name: in one transaction, so two calls
   * making one name at once (each found none when it started) make one. False when the name is taken.
   */
  async insertNew(cs: ChangeSet): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('cfn_change_sets').select('change_set_id').where('stack_id', '=', cs.stack_id).where('name', '=', cs.name).executeTakeFirst();
      if (taken) return false;
      await trx.insertInto('cfn_change_sets').values({ ...cs, doc: JSON.stringify(cs.doc) }).execute();
      return true;
    });
  }

  /**
   * ExecuteChangeSet's marks, in `db` (the transaction writing the stack's new status, so no one
   * sees the stack run the change set while it and the stack's others are still AVAILABLE): the
   * change set EXECUTE_COMPLETE, the stack's others OBSOLETE. Only if the change set is still
   * AVAILABLE: answers the execution status it had (undefined if it is gone).
   */
  async markExecuted(id: string, db: Store = this.db): Promise<string | undefined> {
    const cs = await db.selectFrom('cfn_change_sets').select(['stack_id', 'execution_status']).where('change_set_id', '=', id).executeTakeFirst();
    if (cs?.execution_status !== 'AVAILABLE') return cs?.execution_status;
    await db.updateTable('cfn_change_sets').set({ execution_status: 'OBSOLETE' }).where('stack_id', '=', cs.stack_id).where('change_set_id', '!=', id).execute();
    await db.updateTable('cfn_change_sets').set({ execution_status: 'EXECUTE_COMPLETE' }).where('change_set_id', '=', id).execute();
    return cs.execution_status;
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('cfn_change_sets').where('change_set_id', '=', id).execute();
  }

  async deleteForStack(stackId: string): Promise<void> {
    await this.db.deleteFrom('cfn_change_sets').where('stack_id', '=', stackId).execute();
  }
}
