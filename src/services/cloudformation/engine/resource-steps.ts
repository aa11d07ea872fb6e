import { providerFor } from '../providers/index.js';
import { changedProperties } from '../providers/coerce.js';
import type { AwsClients } from '../providers/clients.js';
import { isAlreadyExists, type ProviderContext, type ResourceProvider } from '../providers/provider.js';
import type { ResourceDoc } from '../stack-doc.js';
import type { StackResource } from '../tables/stack-resources.js';
import type { Stack } from '../tables/stacks.js';
import { ResolveError, resolveValue, type ResolveScope } from '../template/intrinsics.js';
import type { PlannedResource } from '../template/plan.js';
import { handlerMessage } from './handler-message.js';
import type { StackRecorder } from './recorder.js';

export interface StepDeps {
  recorder: StackRecorder;
  providers: Record<string, ResourceProvider>;
}

export function providerContext(stack: Stack, clients: AwsClients, logicalId: string): ProviderContext {
  return {
    clients,
    accountId: stack.account_id,
    region: stack.region,
    partition: 'aws',
    stackName: stack.stack_name,
    stackId: stack.stack_id,
    logicalId,
    stackTags: stack.doc.tags,
    capabilities: stack.doc.capabilities,
  };
}

const REPLACING = 'Requested update requires the creation of a new physical resource; hence creating one.';

/**
 * Brings one resource to its planned state: creates it, or updates it in place, or replaces it.
 * The physical id is stored before the provider runs, so an interrupted step is never untracked.
 * Returns false when it failed (the failure is recorded).
 */
export async function deployResource(
  deps: StepDeps,
  stack: Stack,
  clients: AwsClients,
  planned: PlannedResource,
  state: Map<string, StackResource>,
  scope: ResolveScope,
  inUpdate: boolean,
): Promise<boolean> {
  const { recorder } = deps;
  const existing = state.get(planned.logicalId);
  const ctx = providerContext(stack, clients, planned.logicalId);
  const provider = providerFor(deps.providers, planned.type);
  const failStatus = existing ? 'UPDATE_FAILED' : 'CREATE_FAILED';
  const base = { logicalId: planned.logicalId, type: planned.type };
  let props: Record<string, unknown>;
  try {
    props = (resolveValue(planned.properties, scope) ?? {}) as Record<string, unknown>;
  } catch (err) {
    if (!(err instanceof ResolveError)) throw err;
    const row = await recorder.resource(stack.stack_id, { ...base, physicalId: existing?.physical_id ?? null, doc: existing?.doc ?? emptyDoc(planned, inUpdate) }, failStatus, err.message);
    state.set(planned.logicalId, row);
    return false;
  }
  const doc: ResourceDoc = {
    properties: props,
    attributes: {},
    metadata: planned.metadata,
    deletionPolicy: planned.deletionPolicy,
    updateReplacePolicy: planned.updateReplacePolicy,
    dependsOn: [...planned.dependsOn],
  };
  if (!provider) {
    const reason = `Resource type ${planned.type} is not supported by Lambkin's CloudFormation`;
    const row = await recorder.resource(stack.stack_id, { ...base, physicalId: existing?.physical_id ?? null, doc: existing?.doc ?? { ...doc, created: inUpdate } }, failStatus, reason);
    state.set(planned.logicalId, row);
    return false;
  }

  if (!existing) {
    doc.created = inUpdate;
    const plannedId = provider.plannedId?.(ctx, props);
    let row = await recorder.resource(stack.stack_id, { ...base, physicalId: plannedId ?? null, doc }, 'CREATE_IN_PROGRESS', null, props);
    state.set(planned.logicalId, row);
    try {
      const created = await provider.create(ctx, props, plannedId);
      doc.attributes = created.attributes ?? {};
      if (created.ref !== undefined) doc.ref = created.ref;
      await recorder.event(stack.stack_id, { ...base, physicalId: created.physicalId }, 'CREATE_IN_PROGRESS', 'Resource creation Initiated');
      row = await recorder.resource(stack.stack_id, { ...base, physicalId: created.physicalId, doc }, 'CREATE_COMPLETE');
      state.set(planned.logicalId, row);
      return true;
    } catch (err) {
      // Refused as already existing: the name is someone else's, never ours to delete on rollback.
      row = await recorder.resource(stack.stack_id, { ...base, physicalId: isAlreadyExists(err) ? null : plannedId ?? null, doc }, 'CREATE_FAILED', handlerMessage(err, planned.type));
      state.set(planned.logicalId, row);
      return false;
    }
  }

  const old = existing.doc.properties;
  const changed = changedProperties(props, old);
  if (changed.length === 0) {
    // Unchanged: only its policies and dependencies may have moved.
    existing.doc = { ...existing.doc, deletionPolicy: doc.deletionPolicy, updateReplacePolicy: doc.updateReplacePolicy, dependsOn: doc.dependsOn, metadata: doc.metadata };
    return true;
  }
  const replace = !provider.update || provider.replaceOn.includes('*') || changed.some((c) => provider.replaceOn.includes(c));
  doc.previous = { type: existing.type, physicalId: existing.physical_id, properties: old, attributes: existing.doc.attributes, ref: existing.doc.ref, replaced: replace };
  if (replace) {
    const plannedId = provider.plannedId?.(ctx, props);
    let row = await recorder.resource(stack.stack_id, { ...base, physicalId: plannedId ?? null, doc }, 'UPDATE_IN_PROGRESS', REPLACING, props);
    state.set(planned.logicalId, row);
    try {
      const created = await provider.create(ctx, props, plannedId);
      doc.attributes = created.attributes ?? {};
      if (created.ref !== undefined) doc.ref = created.ref;
      row = await recorder.resource(stack.stack_id, { ...base, physicalId: created.physicalId, doc }, 'UPDATE_COMPLETE');
    } catch (err) {
      row = await recorder.resource(stack.stack_id, { ...base, physicalId: isAlreadyExists(err) ? null : plannedId ?? null, doc }, 'UPDATE_FAILED', handlerMessage(err, planned.type));
      state.set(planned.logicalId, row);
      return false;
    }
    state.set(planned.logicalId, row);
    return true;
  }
  const physicalId = existing.physical_id!;
  let row = await recorder.resource(stack.stack_id, { ...base, physicalId, doc: { ...doc, attributes: existing.doc.attributes, ref: existing.doc.ref } }, 'UPDATE_IN_PROGRESS', null, props);
  state.set(planned.logicalId, row);
  try {
    const updated = await provider.update!(ctx, physicalId, props, old, existing.doc.attributes);
    doc.attributes = { ...existing.doc.attributes, ...(updated?.attributes ?? {}) };
    doc.ref = updated?.ref ?? existing.doc.ref;
    row = await recorder.resource(stack.stack_id, { ...base, physicalId, doc }, 'UPDATE_COMPLETE');
    state.set(planned.logicalId, row);
    return true;
  } catch (err) {
    row = await recorder.resource(stack.stack_id, { ...base, physicalId, doc: { ...doc, attributes: existing.doc.attributes, ref: existing.doc.ref } }, 'UPDATE_FAILED', handlerMessage(err, planned.type));
    state.set(planned.logicalId, row);
    return false;
  }
}

function emptyDoc(planned: PlannedResource, inUpdate: boolean): ResourceDoc {
  return { properties: {}, attributes: {}, deletionPolicy: planned.deletionPolicy, updateReplacePolicy: planned.updateReplacePolicy, dependsOn: [...planned.dependsOn], created: inUpdate };
}

/**
 * Deletes one resource (or skips it under DeletionPolicy Retain). A resource whose create never
 * got a physical id is only marked deleted. Returns false when the delete failed (recorded).
 */
export async function deleteResource(deps: StepDeps, stack: Stack, clients: AwsClients, row: StackResource, honourRetain: boolean): Promise<boolean> {
  const { recorder } = deps;
  const r = { logicalId: row.logical_id, type: row.type, physicalId: row.physical_id, doc: row.doc };
  if (row.status === 'DELETE_COMPLETE' || row.status === 'DELETE_SKIPPED') return true;
  if (honourRetain && row.doc.deletionPolicy === 'Retain') {
    await recorder.resource(stack.stack_id, r, 'DELETE_SKIPPED');
    return true;
  }
  const provider = providerFor(deps.providers, row.type);
  if (row.physical_id === null || !provider) {
    await recorder.resource(stack.stack_id, r, 'DELETE_COMPLETE');
    return true;
  }
  await recorder.resource(stack.stack_id, r, 'DELETE_IN_PROGRESS');
  try {
    await provider.delete(providerContext(stack, clients, row.logical_id), row.physical_id, row.doc.properties, row.doc.attributes);
    await recorder.resource(stack.stack_id, r, 'DELETE_COMPLETE');
    return true;
  } catch (err) {
    await recorder.resource(stack.stack_id, r, 'DELETE_FAILED', handlerMessage(err, row.type));
    return false;
  }
}
