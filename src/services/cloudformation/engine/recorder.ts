import type { Clock } from '../../../clock.js';
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

  async stackStatus(stack: Stack, status: StackStatus, reason: string | null = null, extra: Partial<Stack> = {}): Promise<void> {
    transition(stack.status as StackStatus, status);
    const at = this.clock.now();
    stack.status = status;
    stack.status_reason = reason;
    Object.assign(stack, extra);
    await this.stacks.update(stack.stack_id, { status, status_reason: reason, doc: stack.doc, ...extra });
    await this.events.add({ stackId: stack.stack_id, logicalId: stack.stack_name, physicalId: stack.stack_id, type: 'AWS::CloudFormation::Stack', status, reason, at });
  }

  async saveDoc(stack: Stack): Promise<void> {
    await this.stacks.update(stack.stack_id, { doc: stack.doc });
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
