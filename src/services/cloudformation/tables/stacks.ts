import type { Selectable } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { CfnStacksTable } from '../../../store/schema.js';
import type { StackDoc } from '../stack-doc.js';

export type StackRow = Selectable<CfnStacksTable>;
export interface Stack extends Omit<StackRow, 'doc'> {
  doc: StackDoc;
}

const toStack = (row: StackRow): Stack => ({ ...row, doc: JSON.parse(row.doc) as StackDoc });

/** The `cfn_stacks` table. */
export class StacksTable {
  constructor(private readonly db: Store) {}

  /** A live stack by name, or any stack (deleted ones too) by its id. */
  async find(accountId: string, region: string, nameOrId: string): Promise<Stack | undefined> {
    let q = this.db.selectFrom('cfn_stacks').selectAll().where('account_id', '=', accountId).where('region', '=', region);
    q = nameOrId.startsWith('arn:') ? q.where('stack_id', '=', nameOrId) : q.where('stack_name', '=', nameOrId).where('deleted_at', 'is', null);
    const row = await q.executeTakeFirst();
    return row ? toStack(row) : undefined;
  }

  async byId(stackId: string): Promise<Stack | undefined> {
    const row = await this.db.selectFrom('cfn_stacks').selectAll().where('stack_id', '=', stackId).executeTakeFirst();
    return row ? toStack(row) : undefined;
  }

  async list(accountId: string, region: string, includeDeleted: boolean): Promise<Stack[]> {
    let q = this.db.selectFrom('cfn_stacks').selectAll().where('account_id', '=', accountId).where('region', '=', region);
    if (!includeDeleted) q = q.where('deleted_at', 'is', null);
    return (await q.orderBy('created_at', 'desc').execute()).map(toStack);
  }

  /** Stacks with an operation under way (what a restart picks up). */
  async inProgress(): Promise<Stack[]> {
    return (await this.db.selectFrom('cfn_stacks').selectAll().where('status', 'like', '%IN_PROGRESS').where('deleted_at', 'is', null).execute()).map(toStack);
  }

  /**
   * Inserts a new stack unless a live stack has its name: in one transaction, so two calls making
   * one new stack at once (each found no stack when it started) make one; the name's index is not
   * unique. Answers the live stack found instead, undefined when `stack` was inserted.
   */
  async insertNew(stack: Stack): Promise<Stack | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('cfn_stacks').selectAll()
        .where('account_id', '=', stack.account_id).where('region', '=', stack.region).where('stack_name', '=', stack.stack_name).where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (row) return toStack(row);
      await trx.insertInto('cfn_stacks').values({ ...stack, doc: JSON.stringify(stack.doc) }).execute();
      return undefined;
    });
  }

  /**
   * Reads the stack and writes back what `change` makes of it (null: nothing to write), in one
   * transaction, so what another writer changed in between is what `change` sees: the stack is
   * one stored document, and a write of a copy read earlier undid the other's change. `change`
   * may run again (a transaction the store retries) and may throw to refuse: it only computes.
   * Answers the stack as written (as read when nothing was), or undefined if there is none.
   * `alongside`, when given, runs in the transaction after a write, for the writes that go with it
   * (it may throw to refuse, and may run again: it only touches the database, through `trx`).
   */
  async change(stackId: string, change: (current: Stack) => Stack | null, alongside?: (trx: Store, written: Stack) => Promise<void>): Promise<Stack | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('cfn_stacks').selectAll().where('stack_id', '=', stackId).executeTakeFirst();
      if (!row) return undefined;
      const current = toStack(row);
      const next = change(current);
      if (!next) return current;
      const { stack_id: _id, doc, ...rest } = next;
      await trx.updateTable('cfn_stacks').set({ ...rest, doc: JSON.stringify(doc) }).where('stack_id', '=', stackId).execute();
      if (alongside) await alongside(trx, next);
      return next;
    });
  }

  async delete(stackId: string): Promise<void> {
    await this.db.deleteFrom('cfn_stacks').where('stack_id', '=', stackId).execute();
  }
}
