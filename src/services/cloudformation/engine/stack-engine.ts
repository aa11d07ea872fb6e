import { providerFor } from '../providers/index.js';
import type { Logger } from '../../../logger.js';
import type { AwsClients } from '../providers/clients.js';
import type { ResourceProvider } from '../providers/provider.js';
import type { StackVersion } from '../stack-doc.js';
import type { ChangeSetsTable } from '../tables/change-sets.js';
import type { StackResource, StackResourcesTable } from '../tables/stack-resources.js';
import type { Stack, StacksTable } from '../tables/stacks.js';
import { ResolveError } from '../template/intrinsics.js';
import { planStack, type StackPlan } from '../template/plan.js';
import { dependents, runGraph } from './graph.js';
import { resolveOutputs } from './outputs.js';
import type { StackRecorder } from './recorder.js';
import { deleteResource, deployResource, providerContext } from './resource-steps.js';
import { resolveScope, stackIdentity, storedParameters } from './scope.js';

export interface EngineDeps {
  stacks: StacksTable;
  resources: StackResourcesTable;
  changeSets: ChangeSetsTable;
  recorder: StackRecorder;
  providers: Record<string, ResourceProvider>;
  clients(accountId: string, region: string): Promise<AwsClients>;
  logger: Logger;
}

/** Exported values of an account's stacks in a region: name → value and exporting stack. */
export type ExportIndex = Map<string, { value: string; stackId: string; stackName: string }>;

const RESTART_REASON = 'Lambkin stopped while the operation ran. ';

/**
 * Runs stack operations in the background: create, update, delete, the rollbacks, and what a
 * restart finds half done. Every step is written to the store before and after it runs.
 */
export class StackEngine {
  private closing = false;
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly deps: EngineDeps) {}

  create(stack: Stack): void {
    this.track(stack, () => this.runCreate(stack));
  }

  update(stack: Stack): void {
    this.track(stack, () => this.runUpdate(stack));
  }

  delete(stack: Stack): void {
    this.track(stack, () => this.runDelete(stack));
  }

  /** Operations a previous process left under way: rolled back, or (deletes, rollbacks, cleanups) finished. */
  async resume(): Promise<void> {
    for (const stack of await this.deps.stacks.inProgress()) {
      this.track(stack, async () => {
        switch (stack.status) {
          case 'CREATE_IN_PROGRESS':
            return this.failCreate(stack, RESTART_REASON);
          case 'ROLLBACK_IN_PROGRESS':
            return this.rollbackCreate(stack);
          case 'DELETE_IN_PROGRESS':
            return this.deleteAll(stack);
          case 'UPDATE_IN_PROGRESS':
            await this.deps.recorder.stackStatus(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', RESTART_REASON);
            return this.rollbackUpdate(stack);
          case 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS':
            return this.cleanupUpdate(stack);
          case 'UPDATE_ROLLBACK_IN_PROGRESS':
            return this.rollbackUpdate(stack);
          case 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS':
            return this.finishRollbackCleanup(stack);
          default:
            return undefined;
        }
      });
    }
  }

  /** Stops starting steps and waits for those under way (a restart picks the operation up). */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.running.values()]);
  }

  /**
   * Stops every operation at its next step and waits for the steps under way (a state reset, which
   * then deletes the stacks): nothing is rolled back, and a step under way finishes first.
   */
  async abandonAll(): Promise<void> {
    this.closing = true;
    try {
      await this.idle();
    } finally {
      this.closing = false;
    }
  }

  /** Resolves once no operation runs (tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /** Resolves when the stack's operation ends or after `ms`, whichever comes first. */
  async settled(stackId: string, ms: number): Promise<void> {
    const p = this.running.get(stackId);
    if (!p || ms <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([p, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }

  private track(stack: Stack, run: () => Promise<void>): void {
    const p = run()
      .catch((err: unknown) => {
        if (!this.closing) this.deps.logger.error({ err, stack: stack.stack_id }, 'stack operation failed unexpectedly');
      })
      .finally(() => {
        if (this.running.get(stack.stack_id) === p) this.running.delete(stack.stack_id);
      });
    this.running.set(stack.stack_id, p);
  }

  private async exports(stack: Stack): Promise<ExportIndex> {
    const out: ExportIndex = new Map();
    for (const s of await this.deps.stacks.list(stack.account_id, stack.region, false)) {
      for (const o of s.doc.outputs) if (o.exportName) out.set(o.exportName, { value: o.value, stackId: s.stack_id, stackName: s.stack_name });
    }
    return out;
  }

  private async state(stack: Stack): Promise<Map<string, StackResource>> {
    return new Map((await this.deps.resources.list(stack.stack_id)).map((r) => [r.logical_id, r]));
  }

  /** Deploys the stack's current template over `state`; returns the failed resources' ids and the plan. */
  private async deploy(stack: Stack, state: Map<string, StackResource>, inUpdate: boolean): Promise<{ failed: string[]; reason?: string; plan?: StackPlan }> {
    const params = storedParameters(stack.doc.template, stack.doc.parameters, stack.doc.ssmValues);
    const plan = planStack(stack.doc.template, params, stackIdentity(stack));
    const exports = await this.exports(stack);
    const imported = new Set<string>();
    const scope = resolveScope(stack, stack.doc.template, params, plan.conditions, state, exports, imported);
    const clients = await this.deps.clients(stack.account_id, stack.region);
    const failed = await runGraph(
      plan.resources.keys(),
      (id) => plan.resources.get(id)!.dependsOn,
      (id) => deployResource(this.deps, stack, clients, plan.resources.get(id)!, state, scope, inUpdate),
      () => this.closing,
    );
    if (this.closing) throw new Error('closing');
    if (failed.length > 0) return { failed, plan };
    try {
      stack.doc.outputs = resolveOutputs(stack.doc.template, plan.conditions, scope, (name) => {
        const e = exports.get(name);
        return e && e.stackId !== stack.stack_id ? e.stackName : undefined;
      });
      stack.doc.imports = [...imported];
    } catch (err) {
      if (err instanceof ResolveError) return { failed: [], reason: err.message, plan };
      throw err;
    }
    return { failed: [], plan };
  }

  private async runCreate(stack: Stack): Promise<void> {
    const state = await this.state(stack);
    const result = await this.deploy(stack, state, false);
    if (result.failed.length === 0 && !result.reason) {
      stack.doc.operation = undefined;
      await this.deps.recorder.stackStatus(stack, 'CREATE_COMPLETE');
      return;
    }
    const reason = result.reason ?? `The following resource(s) failed to create: [${result.failed.sort().join(', ')}]. `;
    await this.failCreate(stack, reason);
  }

  private async failCreate(stack: Stack, reason: string): Promise<void> {
    if (stack.doc.disableRollback) {
      stack.doc.operation = undefined;
      await this.deps.recorder.stackStatus(stack, 'CREATE_FAILED', reason);
      return;
    }
    stack.doc.operation = { kind: 'ROLLBACK' };
    await this.deps.recorder.stackStatus(stack, 'ROLLBACK_IN_PROGRESS', `${reason}Rollback requested by user.`);
    await this.rollbackCreate(stack);
  }

  private async rollbackCreate(stack: Stack): Promise<void> {
    const failed = await this.deleteRows(stack, [...(await this.state(stack)).values()], false);
    if (this.closing) return;
    stack.doc.operation = undefined;
    stack.doc.outputs = [];
    if (failed.length > 0) await this.deps.recorder.stackStatus(stack, 'ROLLBACK_FAILED', `The following resource(s) failed to delete: [${failed.sort().join(', ')}]. `);
    else await this.deps.recorder.stackStatus(stack, 'ROLLBACK_COMPLETE');
  }

  /** Deletes rows in reverse dependency order, independent ones at once; returns those that failed. */
  private async deleteRows(stack: Stack, rows: StackResource[], honourRetain: boolean): Promise<string[]> {
    const byId = new Map(rows.map((r) => [r.logical_id, r]));
    const graph = new Map(rows.map((r) => [r.logical_id, (r.doc.dependsOn ?? []).filter((d) => byId.has(d))]));
    const after = dependents(graph);
    const clients = await this.deps.clients(stack.account_id, stack.region);
    return runGraph(byId.keys(), (id) => after.get(id) ?? [], (id) => deleteResource(this.deps, stack, clients, byId.get(id)!, honourRetain), () => this.closing);
  }

  private async runDelete(stack: Stack): Promise<void> {
    await this.deleteAll(stack);
  }

  private async deleteAll(stack: Stack): Promise<void> {
    const rows = [...(await this.state(stack)).values()];
    const failed = await this.deleteRows(stack, rows, true);
    if (this.closing) return;
    if (failed.length > 0) {
      stack.doc.operation = undefined;
      await this.deps.recorder.stackStatus(stack, 'DELETE_FAILED', `The following resource(s) failed to delete: [${failed.sort().join(', ')}]. `);
      return;
    }
    stack.doc.operation = undefined;
    stack.doc.outputs = [];
    await this.deps.changeSets.deleteForStack(stack.stack_id);
    await this.deps.recorder.stackStatus(stack, 'DELETE_COMPLETE', null, { deleted_at: this.deps.recorder.now() });
  }

  private async runUpdate(stack: Stack): Promise<void> {
    const state = await this.state(stack);
    let result: { failed: string[]; reason?: string };
    try {
      result = await this.deploy(stack, state, true);
    } catch (err) {
      if (this.closing) return;
      result = { failed: [], reason: (err as Error).message };
    }
    if (this.closing) return;
    if (result.failed.length === 0 && !result.reason) {
      await this.deps.recorder.stackStatus(stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
      await this.cleanupUpdate(stack);
      return;
    }
    const reason = result.reason ?? `The following resource(s) failed to update: [${result.failed.sort().join(', ')}]. `;
    await this.deps.recorder.stackStatus(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', reason);
    await this.rollbackUpdate(stack);
  }

  /** After a successful update: the replaced physical resources and the removed ones go. */
  private async cleanupUpdate(stack: Stack): Promise<void> {
    const rows = [...(await this.state(stack)).values()];
    const params = storedParameters(stack.doc.template, stack.doc.parameters, stack.doc.ssmValues);
    const plan = planStack(stack.doc.template, params, stackIdentity(stack));
    const clients = await this.deps.clients(stack.account_id, stack.region);
    for (const row of rows) {
      const prev = row.doc.previous;
      if (prev?.replaced && prev.physicalId !== null && prev.physicalId !== row.physical_id && row.doc.updateReplacePolicy !== 'Retain') {
        const old: StackResource = { ...row, type: prev.type, physical_id: prev.physicalId, doc: { ...row.doc, properties: prev.properties, attributes: prev.attributes } };
        const provider = providerFor(this.deps.providers, prev.type);
        await this.deps.recorder.event(stack.stack_id, { logicalId: row.logical_id, type: prev.type, physicalId: prev.physicalId }, 'DELETE_IN_PROGRESS');
        try {
          await provider?.delete(providerContext(stack, clients, row.logical_id), prev.physicalId, prev.properties, prev.attributes);
          await this.deps.recorder.event(stack.stack_id, { logicalId: row.logical_id, type: prev.type, physicalId: prev.physicalId }, 'DELETE_COMPLETE');
        } catch (err) {
          // A cleanup failure leaves the old resource behind, as on AWS; the update stands.
          this.deps.logger.warn({ err, stack: stack.stack_id, resource: old.logical_id }, 'deleting a replaced resource failed');
          await this.deps.recorder.event(stack.stack_id, { logicalId: row.logical_id, type: prev.type, physicalId: prev.physicalId }, 'DELETE_FAILED', (err as Error).message);
        }
      }
    }
    const removed = rows.filter((r) => !plan.resources.has(r.logical_id));
    await this.deleteRows(stack, removed, true);
    if (this.closing) return;
    for (const r of removed) await this.deps.recorder.dropResource(stack.stack_id, r.logical_id);
    for (const row of rows) {
      if (!plan.resources.has(row.logical_id)) continue;
      if (row.doc.previous || row.doc.created) {
        row.doc.previous = undefined;
        row.doc.created = undefined;
        await this.deps.resources.put(row);
      }
    }
    stack.doc.operation = undefined;
    await this.deps.recorder.stackStatus(stack, 'UPDATE_COMPLETE');
  }

  /** Puts every resource the update touched back as it was, then the template and outputs. */
  private async rollbackUpdate(stack: Stack): Promise<void> {
    const previous = stack.doc.operation?.previous;
    if (previous) Object.assign(stack.doc, previous satisfies StackVersion);
    await this.deps.recorder.saveDoc(stack);
    const clients = await this.deps.clients(stack.account_id, stack.region);
    const rows = [...(await this.state(stack)).values()];
    let failures = 0;
    for (const row of rows) {
      const prev = row.doc.previous;
      if (!prev || row.doc.created) continue;
      const provider = providerFor(this.deps.providers, prev.type);
      const r = { logicalId: row.logical_id, type: prev.type };
      await this.deps.recorder.resource(stack.stack_id, { ...r, physicalId: prev.physicalId, doc: row.doc }, 'UPDATE_IN_PROGRESS');
      try {
        if (prev.replaced) {
          if (row.physical_id !== null && row.physical_id !== prev.physicalId) await provider?.delete(providerContext(stack, clients, row.logical_id), row.physical_id, row.doc.properties, row.doc.attributes);
        } else {
          await provider?.update?.(providerContext(stack, clients, row.logical_id), prev.physicalId!, prev.properties, row.doc.properties, prev.attributes);
        }
        const doc = { ...row.doc, properties: prev.properties, attributes: prev.attributes, ref: prev.ref, previous: undefined };
        await this.deps.recorder.resource(stack.stack_id, { ...r, physicalId: prev.physicalId, doc }, 'UPDATE_COMPLETE');
      } catch (err) {
        failures++;
        await this.deps.recorder.resource(stack.stack_id, { ...r, physicalId: prev.physicalId, doc: row.doc }, 'UPDATE_FAILED', (err as Error).message);
      }
    }
    if (this.closing) return;
    if (failures > 0) {
      stack.doc.operation = undefined;
      await this.deps.recorder.stackStatus(stack, 'UPDATE_ROLLBACK_FAILED');
      return;
    }
    await this.deps.recorder.stackStatus(stack, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    await this.finishRollbackCleanup(stack);
  }

  /** The resources the failed update created go. */
  private async finishRollbackCleanup(stack: Stack): Promise<void> {
    const created = [...(await this.state(stack)).values()].filter((r) => r.doc.created);
    await this.deleteRows(stack, created, false);
    if (this.closing) return;
    for (const r of created) await this.deps.recorder.dropResource(stack.stack_id, r.logical_id);
    stack.doc.operation = undefined;
    await this.deps.recorder.stackStatus(stack, 'UPDATE_ROLLBACK_COMPLETE');
  }
}
