import type { Clock } from '../../../clock.js';
import type { Store } from '../../../store/database.js';
import type { ResourceDoc } from '../stack-doc.js';
import type { StackEventsTable } from '../tables/stack-events.js';
import type { StackResource, StackResourcesTable } from '../tables/stack-resources.js';
import type { Stack, StacksTable } from '../tables/stacks.js';
import { transition, type StackStatus } from './stack-states.js';

/** Writes a stack's and its resources' statuses, each with the event DescribeStackEvents shows. */
export class StackRecorder {
  constructor(
    private readonly stacks: StacksTable,
    private readonly resources: StackResourcesTable,
    private readonly events: StackEventsTable,
    private readonly clock: Clock,
  ) {}

  now(): number {
    return this.clock.now();
  }

  /**
   * A call starting an operation on a stack (or ending one in review): in one transaction, reads
   * the stack, lets `start` refuse on what it read (it throws) or make of it the stack the
   * operation starts from, with its new status, and writes that, then adds the status event. Two
   * calls checked the status on one read and wrote it later, so both could start an operation.
   * `start` may run again (a transaction the store retries): it only computes, on the copy it is
   * given. Answers the stack as written, for the engine to run; undefined when `start` answered
   * null (nothing to do) or the stack is gone. `alongside` (StacksTable.change) writes what goes
   * with the new status in its transaction.
   */
  async begin(stackId: string, start: (stored: Stack) => Stack | null, alongside?: (trx: Store) => Promise<void>): Promise<Stack | undefined> {
    // What the last run of `start` made (the run whose transaction committed).
    let started = null as Stack | null;
    await this.stacks.change(stackId, (stored) => {
      const from = stored.status as StackStatus;
      started = start(stored);
      if (started) transition(from, started.status as StackStatus);
      return started;
    }, alongside);
    if (!started) return undefined;
    await this.events.add({ stackId, logicalId: started.stack_name, physicalId: stackId, type: 'AWS::CloudFormation::Stack', status: started.status, reason: started.status_reason, at: this.clock.now() });
    return started;
  }

  /**
   * The stack's new status (and state), with its event. The status moves from the stored one, in
   * the transaction that writes it. The document written is the operation's, but for termination
   * protection: that is the stored one, the one part of the document a call changes while an
   * operation runs (UpdateTerminationProtection), which a write of the operation's copy undid.
   */
  async stackStatus(stack: Stack, status: StackStatus, reason: string | null = null, extra: Partial<Stack> = {}): Promise<void> {
    const at = this.clock.now();
    const written = await this.stacks.change(stack.stack_id, (stored) => {
      transition(stored.status as StackStatus, status);
      return { ...stored, ...extra, status, status_reason: reason, doc: { ...stack.doc, terminationProtection: stored.doc.terminationProtection } };
    });
    // Gone: a state reset deleted the stack under the operation it abandoned.
    if (!written) return;
    Object.assign(stack, extra, { status, status_reason: reason });
    stack.doc.terminationProtection = written.doc.terminationProtection;
    await this.events.add({ stackId: stack.stack_id, logicalId: stack.stack_name, physicalId: stack.stack_id, type: 'AWS::CloudFormation::Stack', status, reason, at });
  }

  /** The operation's document, with the stored termination protection (as `stackStatus`). */
  async saveDoc(stack: Stack): Promise<void> {
    const written = await this.stacks.change(stack.stack_id, (stored) => ({ ...stored, doc: { ...stack.doc, terminationProtection: stored.doc.terminationProtection } }));
    if (written) stack.doc.terminationProtection = written.doc.terminationProtection;
  }

  /**
   * UpdateTerminationProtection: the stored document with the protection changed, in one
   * transaction (it wrote back a whole document read earlier, undoing an operation's writes in
   * between). False if the stack is gone.
   */
  async terminationProtection(stackId: string, enabled: boolean): Promise<boolean> {
    const written = await this.stacks.change(stackId, (stored) => (stored.doc.terminationProtection === enabled ? null : { ...stored, doc: { ...stored.doc, terminationProtection: enabled } }));
    return written !== undefined;
  }

  /** The resource's new status (and state), with its event. */
  async resource(
    stackId: string,
    r: { logicalId: string; type: string; physicalId: string | null; doc: ResourceDoc },
    status: string,
    reason: string | null = null,
    eventProperties?: unknown,
  ): Promise<StackResource> {
    const at = this.clock.now();
    const row: StackResource = { stack_id: stackId, logical_id: r.logicalId, type: r.type, physical_id: r.physicalId, status, status_reason: reason, updated_at: at, doc: r.doc };
    await this.resources.put(row);
    await this.events.add({ stackId, logicalId: r.logicalId, physicalId: r.physicalId ?? '', type: r.type, status, reason, properties: eventProperties, at });
    return row;
  }

  /** An event alone (the resource's row is written elsewhere or goes away). */
  async event(stackId: string, r: { logicalId: string; type: string; physicalId: string | null }, status: string, reason: string | null = null): Promise<void> {
    await this.events.add({ stackId, logicalId: r.logicalId, physicalId: r.physicalId ?? '', type: r.type, status, reason, at: this.clock.now() });
  }

  async dropResource(stackId: string, logicalId: string): Promise<void> {
    await this.resources.delete(stackId, logicalId);
  }
}
