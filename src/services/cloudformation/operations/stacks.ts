import type { CfnDeps, CfnOperation, CfnRequest } from '../deps.js';
import { cfnErrors } from '../errors.js';
import { UPDATABLE, type StackStatus } from '../engine/stack-states.js';
import type { StackDoc } from '../stack-doc.js';
import type { Stack } from '../tables/stacks.js';
import { newStackId, prepareTemplate, templateText } from './prepare.js';
import { bool, checkNewStackName, givenParameters, givenTags, requiredStackName } from './request-input.js';

/** A stack by name or id; CloudFormation's error when there is none. */
export async function findStack(deps: CfnDeps, req: CfnRequest, nameOrId: string): Promise<Stack> {
  const stack = await deps.stacks.find(req.ctx.accountId, req.ctx.region, nameOrId);
  if (!stack) throw cfnErrors.stackNotFound(nameOrId);
  return stack;
}

const createStack: CfnOperation = async (deps, req) => {
  const { ctx, params } = req;
  const name = requiredStackName(params);
  checkNewStackName(name);
  const existing = await deps.stacks.find(ctx.accountId, ctx.region, name);
  if (existing && existing.status !== 'REVIEW_IN_PROGRESS') throw cfnErrors.stackExists(name);
  const capabilities = params.scalarList('Capabilities');
  const notificationArns = params.scalarList('NotificationARNs');
  const stackId = existing?.stack_id ?? newStackId(ctx.region, ctx.accountId, name);
  const body = await templateText(deps, req);
  const prepared = await prepareTemplate(deps, body, givenParameters(params), capabilities, { stackName: name, stackId, accountId: ctx.accountId, region: ctx.region, notificationArns }, { transformNeedsCapability: true });
  const onFailure = params.get('OnFailure');
  const doc: StackDoc = {
    templateBody: prepared.templateBody,
    template: prepared.template,
    parameters: prepared.parameters,
    ssmValues: prepared.ssmValues,
    outputs: [],
    description: prepared.description,
    capabilities,
    tags: givenTags(params) ?? [],
    notificationArns,
    terminationProtection: bool(params.get('EnableTerminationProtection')) ?? false,
    disableRollback: bool(params.get('DisableRollback')) ?? onFailure === 'DO_NOTHING',
    roleArn: params.get('RoleARN'),
    timeoutInMinutes: params.has('TimeoutInMinutes') ? Number(params.get('TimeoutInMinutes')) : undefined,
    operation: { kind: 'CREATE' },
  };
  const now = deps.clock.now();
  const stack: Stack = { stack_id: stackId, account_id: ctx.accountId, region: ctx.region, stack_name: name, status: 'CREATE_IN_PROGRESS', status_reason: 'User Initiated', created_at: now, updated_at: null, deleted_at: null, doc };
  // The name is checked again where the new stack is inserted: a call beside this one (CreateStack,
  // a CREATE change set) may have made a stack of that name since this one looked.
  const found = existing ?? (await deps.stacks.insertNew(stack));
  let started = stack;
  if (found) {
    // A stack in review (made by a CREATE change set) is created once: the status is checked again where it is written.
    const begun = await deps.recorder.begin(found.stack_id, (stored) => {
      if (stored.status !== 'REVIEW_IN_PROGRESS') throw cfnErrors.stackExists(name);
      return { ...stored, status: stack.status, status_reason: stack.status_reason, doc };
    });
    if (!begun) throw cfnErrors.stackNotFound(name);
    started = begun;
  } else {
    await deps.events.add({ stackId, logicalId: name, physicalId: stackId, type: 'AWS::CloudFormation::Stack', status: 'CREATE_IN_PROGRESS', reason: 'User Initiated', at: now });
  }
  deps.engine.create(started);
  await deps.engine.settled(started.stack_id, deps.settleWaitMs);
  return { StackId: started.stack_id };
};

/** UpdateStack: the new template replaces the stack's, resources are changed by diff. */
const updateStack: CfnOperation = async (deps, req) => {
  const { ctx, params } = req;
  const stack = await findStack(deps, req, requiredStackName(params));
  if (!UPDATABLE.has(stack.status)) throw cfnErrors.notUpdatable(stack.stack_id, stack.status);
  const capabilities = params.scalarList('Capabilities');
  const notificationArns = params.hasUnder('NotificationARNs') ? params.scalarList('NotificationARNs') : stack.doc.notificationArns;
  const body = await templateText(deps, req, stack);
  const prepared = await prepareTemplate(deps, body, givenParameters(params), capabilities, { stackName: stack.stack_name, stackId: stack.stack_id, accountId: ctx.accountId, region: ctx.region, notificationArns }, {
    previousParameters: stack.doc.parameters,
    transformNeedsCapability: true,
  });
  // The status is checked again, and the update put on the stack, where the status is written: a
  // call beside this one may have started an operation since the stack was read.
  const started = await deps.recorder.begin(stack.stack_id, (stored) => {
    if (!UPDATABLE.has(stored.status)) throw cfnErrors.notUpdatable(stored.stack_id, stored.status);
    const tags = givenTags(params) ?? stored.doc.tags;
    if (
      JSON.stringify(prepared.template) === JSON.stringify(stored.doc.template) &&
      JSON.stringify(prepared.parameters) === JSON.stringify(stored.doc.parameters) &&
      JSON.stringify(tags) === JSON.stringify(stored.doc.tags)
    ) {
      throw cfnErrors.noUpdates();
    }
    beginUpdate(stored, { ...prepared, capabilities, tags, notificationArns });
    if (params.has('DisableRollback')) stored.doc.disableRollback = params.get('DisableRollback') === 'true';
    return { ...stored, status: 'UPDATE_IN_PROGRESS', status_reason: 'User Initiated', updated_at: deps.clock.now() };
  });
  if (!started) throw cfnErrors.stackNotFound(stack.stack_id);
  deps.engine.update(started);
  await deps.engine.settled(stack.stack_id, deps.settleWaitMs);
  return { StackId: stack.stack_id };
};

/** Puts the new version on the stack and keeps the old one for a rollback. */
export function beginUpdate(
  stack: Stack,
  next: { templateBody: string; template: StackDoc['template']; parameters: Record<string, string>; ssmValues?: Record<string, string>; description?: string; capabilities: string[]; tags: StackDoc['tags']; notificationArns: string[] },
): void {
  const d = stack.doc;
  d.operation = { kind: 'UPDATE', previous: { templateBody: d.templateBody, template: d.template, parameters: d.parameters, ssmValues: d.ssmValues, outputs: d.outputs } };
  Object.assign(d, {
    templateBody: next.templateBody,
    template: next.template,
    parameters: next.parameters,
    ssmValues: next.ssmValues,
    description: next.description,
    capabilities: next.capabilities,
    tags: next.tags,
    notificationArns: next.notificationArns,
  });
}

/**
 * Whether DeleteStack deletes the stack: false when it is gone or going already (that succeeds,
 * as on AWS); CloudFormation's refusal when it is protected or an operation runs.
 */
function deletable(stack: Stack | undefined): stack is Stack {
  if (!stack || stack.status === 'DELETE_COMPLETE' || stack.status === 'DELETE_IN_PROGRESS') return false;
  if (stack.doc.terminationProtection) throw cfnErrors.terminationProtected(stack.stack_name);
  if (stack.status.endsWith('_IN_PROGRESS') && stack.status !== 'REVIEW_IN_PROGRESS') {
    throw cfnErrors.validation(`Stack [${stack.stack_name}] cannot be deleted while in status ${stack.status}`);
  }
  return true;
}

const deleteStack: CfnOperation = async (deps, req) => {
  const { ctx, params } = req;
  const nameOrId = requiredStackName(params);
  const stack = await deps.stacks.find(ctx.accountId, ctx.region, nameOrId);
  if (!deletable(stack)) return undefined;
  const exported = stack.doc.outputs.filter((o) => o.exportName).map((o) => o.exportName!);
  if (exported.length > 0) {
    for (const other of await deps.stacks.list(ctx.accountId, ctx.region, false)) {
      const used = exported.find((e) => other.stack_id !== stack.stack_id && other.doc.imports?.includes(e));
      if (used) throw cfnErrors.validation(`Export ${used} cannot be deleted as it is in use by ${other.stack_name}`);
    }
  }
  const retain = params.scalarList('RetainResources');
  // Checked again where the status is written: a call beside this one may have started an
  // operation, or turned termination protection on, since the stack was read.
  const started = await deps.recorder.begin(stack.stack_id, (stored) => {
    if (!deletable(stored)) return null;
    if (stored.status === 'REVIEW_IN_PROGRESS') return { ...stored, status: 'DELETE_COMPLETE', status_reason: null, deleted_at: deps.clock.now() };
    stored.doc.operation = { kind: 'DELETE', retain };
    return { ...stored, status: 'DELETE_IN_PROGRESS', status_reason: 'User Initiated' };
  });
  if (!started) return undefined;
  if (started.status === 'DELETE_COMPLETE') {
    await deps.changeSets.deleteForStack(started.stack_id);
    return undefined;
  }
  if (retain.length > 0) {
    for (const r of await deps.resources.list(started.stack_id)) {
      if (retain.includes(r.logical_id)) await deps.resources.put({ ...r, doc: { ...r.doc, deletionPolicy: 'Retain' } });
    }
  }
  deps.engine.delete(started);
  await deps.engine.settled(started.stack_id, deps.settleWaitMs);
  return undefined;
};

const updateTerminationProtection: CfnOperation = async (deps, req) => {
  const stack = await findStack(deps, req, requiredStackName(req.params));
  const enable = req.params.get('EnableTerminationProtection');
  if (enable === undefined) throw cfnErrors.missing('enableTerminationProtection');
  if (!(await deps.recorder.terminationProtection(stack.stack_id, enable === 'true'))) throw cfnErrors.stackNotFound(stack.stack_id);
  return { StackId: stack.stack_id };
};

export const stackOperations: Record<string, CfnOperation> = {
  CreateStack: createStack,
  UpdateStack: updateStack,
  DeleteStack: deleteStack,
  UpdateTerminationProtection: updateTerminationProtection,
};

export const isStackStatus = (s: string): s is StackStatus => /^[A-Z_]+$/.test(s);
