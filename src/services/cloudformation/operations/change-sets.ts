import { randomUUID } from 'node:crypto';
import type { CfnDeps, CfnOperation, CfnRequest } from '../deps.js';
import { cfnErrors } from '../errors.js';
import { UPDATABLE } from '../engine/stack-states.js';
import { resourceProviders } from '../providers/index.js';
import type { ChangeSet } from '../tables/change-sets.js';
import type { Stack } from '../tables/stacks.js';
import { changeSetSummaryXml, changeSetXml } from '../wire.js';
import { diffTemplates } from './change-set-diff.js';
import { newStackId, prepareTemplate, templateText } from './prepare.js';
import { beginUpdate, findStack } from './stacks.js';
import { checkNewStackName, givenParameters, givenTags, requiredStackName } from './request-input.js';
import { CHANGE_SET_NAME_PATTERN } from '../limits.js';

const NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set.";

const createChangeSet: CfnOperation = async (deps, req) => {
  const { ctx, params } = req;
  const stackName = requiredStackName(params);
  const name = params.get('ChangeSetName');
  if (!name) throw cfnErrors.missing('changeSetName');
  if (!CHANGE_SET_NAME_PATTERN.test(name) || name.length > 128) {
    throw cfnErrors.validation(`1 validation error detected: Value '${name}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
  }
  const type = params.get('ChangeSetType') ?? 'UPDATE';
  if (type !== 'CREATE' && type !== 'UPDATE') throw cfnErrors.validation(`ChangeSetType ${type} is not supported by Lambkin`);
  let stack = await deps.stacks.find(ctx.accountId, ctx.region, stackName);
  const createdAlready = () => cfnErrors.validation(`Stack [${stackName}] already exists and cannot be created again with the changeSet [${name}].`);
  if (type === 'CREATE') {
    if (stack && stack.status !== 'REVIEW_IN_PROGRESS') throw createdAlready();
    checkNewStackName(stackName);
  } else {
    if (!stack || stack.status === 'REVIEW_IN_PROGRESS') throw cfnErrors.validation(`Stack [${stackName}] does not exist`);
    if (!UPDATABLE.has(stack.status)) throw cfnErrors.validation(`Stack:${stack.stack_id} is in ${stack.status} state and can not be updated.`);
  }
  if (stack && (await deps.changeSets.byName(stack.stack_id, name))) throw cfnErrors.changeSetExists(name);
  const capabilities = params.scalarList('Capabilities');
  const notificationArns = params.hasUnder('NotificationARNs') ? params.scalarList('NotificationARNs') : (stack?.doc.notificationArns ?? []);
  const stackId = stack?.stack_id ?? newStackId(ctx.region, ctx.accountId, stackName);
  const body = await templateText(deps, req, type === 'UPDATE' ? stack : undefined);
  // Change sets do not need CAPABILITY_AUTO_EXPAND; executing one is the acknowledgement.
  const prepared = await prepareTemplate(deps, body, givenParameters(params), capabilities, { stackName, stackId, accountId: ctx.accountId, region: ctx.region, notificationArns }, {
    previousParameters: stack?.doc.parameters,
    transformNeedsCapability: false,
  });
  const now = deps.clock.now();
  if (!stack) {
    const review: Stack = {
      stack_id: stackId, account_id: ctx.accountId, region: ctx.region, stack_name: stackName, status: 'REVIEW_IN_PROGRESS', status_reason: 'User Initiated',
      created_at: now, updated_at: null, deleted_at: null,
      doc: { templateBody: '', template: {}, parameters: {}, outputs: [], capabilities: [], tags: [], notificationArns, terminationProtection: false, disableRollback: false },
    };
    // The name is checked again where the stack is inserted: a call beside this one (another CREATE
    // change set, CreateStack) may have made a stack of that name since this one looked. A stack
    // in review made so takes this change set too, as it would had this call come second.
    const found = await deps.stacks.insertNew(review);
    if (found && found.status !== 'REVIEW_IN_PROGRESS') throw createdAlready();
    stack = found ?? review;
    if (!found) await deps.events.add({ stackId, logicalId: stackName, physicalId: stackId, type: 'AWS::CloudFormation::Stack', status: 'REVIEW_IN_PROGRESS', reason: 'User Initiated', at: now });
  }
  const rows = await deps.resources.list(stack.stack_id);
  const tags = givenTags(params) ?? stack.doc.tags;
  const changes = diffTemplates(type === 'UPDATE' ? stack.doc.template : undefined, prepared.template, rows, resourceProviders);
  const unchanged = type === 'UPDATE' && changes.length === 0 && JSON.stringify(prepared.parameters) === JSON.stringify(stack.doc.parameters) && JSON.stringify(tags) === JSON.stringify(stack.doc.tags);
  const id = `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:changeSet/${name}/${randomUUID()}`;
  const cs: ChangeSet = {
    change_set_id: id,
    stack_id: stack.stack_id,
    name,
    status: unchanged ? 'FAILED' : 'CREATE_COMPLETE',
    execution_status: unchanged ? 'UNAVAILABLE' : 'AVAILABLE',
    created_at: now,
    doc: {
      changeSetType: type,
      description: params.get('Description'),
      templateBody: prepared.templateBody,
      template: prepared.template,
      parameters: prepared.parameters,
      ssmValues: prepared.ssmValues,
      capabilities,
      tags,
      notificationArns,
      changes,
      statusReason: unchanged ? NO_CHANGES : undefined,
    },
  };
  // The name is checked again where the change set is inserted: a call beside this one may have made one of that name since.
  if (!(await deps.changeSets.insertNew(cs))) throw cfnErrors.changeSetExists(name);
  return { Id: id, StackId: stack.stack_id };
};

async function findChangeSet(deps: CfnDeps, req: CfnRequest): Promise<{ stack: Stack; cs: ChangeSet }> {
  const name = req.params.get('ChangeSetName');
  if (!name) throw cfnErrors.missing('changeSetName');
  const stackName = req.params.get('StackName');
  let cs: ChangeSet | undefined;
  let stack: Stack | undefined;
  if (name.startsWith('arn:')) {
    cs = await deps.changeSets.byId(name);
    stack = cs ? await deps.stacks.byId(cs.stack_id) : undefined;
  } else {
    if (!stackName) throw cfnErrors.validation('StackName must be specified if ChangeSetName is not specified as an ARN.');
    stack = await deps.stacks.find(req.ctx.accountId, req.ctx.region, stackName);
    if (!stack) throw cfnErrors.changeSetNotFound(name);
    cs = await deps.changeSets.byName(stack.stack_id, name);
  }
  if (!cs || !stack || stack.account_id !== req.ctx.accountId) throw cfnErrors.changeSetNotFound(name);
  return { stack, cs };
}

const describeChangeSet: CfnOperation = async (deps, req) => {
  const { stack, cs } = await findChangeSet(deps, req);
  return changeSetXml(stack, cs);
};

const executeChangeSet: CfnOperation = async (deps, req) => {
  const { stack, cs } = await findChangeSet(deps, req);
  const notAvailable = (status: string) => cfnErrors.invalidChangeSetStatus(`ChangeSet [${cs.change_set_id}] cannot be executed in its current execution status of [${status}]`);
  if (cs.execution_status !== 'AVAILABLE') throw notAvailable(cs.execution_status);
  const d = cs.doc;
  const description = typeof d.template.Description === 'string' ? d.template.Description : undefined;
  const disableRollback = req.params.has('DisableRollback') ? req.params.get('DisableRollback') === 'true' : undefined;
  const notExecutable = (status: string) => cfnErrors.invalidChangeSetStatus(`ChangeSet [${cs.change_set_id}] cannot be executed in its current status of [${status}]`);
  const create = d.changeSetType === 'CREATE';
  if (!create && !UPDATABLE.has(stack.status)) throw notExecutable(stack.status);
  // The stack's status is checked again where it is written: a call beside this one (another
  // execution, UpdateStack, DeleteStack) may have started an operation since the stack was read.
  const started = await deps.recorder.begin(stack.stack_id, (stored) => {
    if (create ? stored.status !== 'REVIEW_IN_PROGRESS' : !UPDATABLE.has(stored.status)) throw notExecutable(stored.status);
    if (create) {
      Object.assign(stored.doc, {
        templateBody: d.templateBody, template: d.template, parameters: d.parameters, ssmValues: d.ssmValues, capabilities: d.capabilities, tags: d.tags, notificationArns: d.notificationArns,
        description, operation: { kind: 'CREATE' },
      });
    } else {
      beginUpdate(stored, { ...d, description });
    }
    stored.doc.changeSetId = cs.change_set_id;
    if (disableRollback !== undefined) stored.doc.disableRollback = disableRollback;
    return create
      ? { ...stored, status: 'CREATE_IN_PROGRESS', status_reason: 'User Initiated' }
      : { ...stored, status: 'UPDATE_IN_PROGRESS', status_reason: 'User Initiated', updated_at: deps.clock.now() };
  }, async (trx) => {
    // With the status: the executed change set is done, the stack's others no longer apply. Its
    // execution status is checked again there (a call beside this one may have executed or deleted it).
    const was = await deps.changeSets.markExecuted(cs.change_set_id, trx);
    if (was === undefined) throw cfnErrors.changeSetNotFound(cs.name);
    if (was !== 'AVAILABLE') throw notAvailable(was);
  });
  if (!started) throw cfnErrors.changeSetNotFound(cs.name);
  if (create) deps.engine.create(started);
  else deps.engine.update(started);
  await deps.engine.settled(stack.stack_id, deps.settleWaitMs);
  return {};
};

const deleteChangeSet: CfnOperation = async (deps, req) => {
  const { cs } = await findChangeSet(deps, req);
  if (cs.execution_status === 'EXECUTE_IN_PROGRESS') throw cfnErrors.invalidChangeSetStatus(`Cannot delete ChangeSet in status ${cs.execution_status}`);
  await deps.changeSets.delete(cs.change_set_id);
  return {};
};

const listChangeSets: CfnOperation = async (deps, req) => {
  const stack = await findStack(deps, req, requiredStackName(req.params));
  const sets = await deps.changeSets.list(stack.stack_id);
  return { Summaries: sets.map((cs) => changeSetSummaryXml(stack, cs)) };
};

export const changeSetOperations: Record<string, CfnOperation> = {
  CreateChangeSet: createChangeSet,
  DescribeChangeSet: describeChangeSet,
  ExecuteChangeSet: executeChangeSet,
  DeleteChangeSet: deleteChangeSet,
  ListChangeSets: listChangeSets,
};
