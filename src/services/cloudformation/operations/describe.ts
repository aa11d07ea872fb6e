import type { CfnOperation } from '../deps.js';
import { cfnErrors } from '../errors.js';
import { eventXml, resourceDetailXml, resourceSummaryXml, resourceXml, stackSummaryXml, stackXml } from '../wire.js';
import { findStack } from './stacks.js';
import { requiredStackName } from './request-input.js';

const describeStacks: CfnOperation = async (deps, req) => {
  const name = req.params.get('StackName');
  if (name) {
    const stack = await findStack(deps, req, name);
    return { Stacks: [stackXml(stack)] };
  }
  const stacks = await deps.stacks.list(req.ctx.accountId, req.ctx.region, false);
  return { Stacks: stacks.map(stackXml) };
};

const listStacks: CfnOperation = async (deps, req) => {
  const filter = req.params.scalarList('StackStatusFilter');
  const stacks = (await deps.stacks.list(req.ctx.accountId, req.ctx.region, true)).filter((s) => filter.length === 0 || filter.includes(s.status));
  return { StackSummaries: stacks.map(stackSummaryXml) };
};

const describeStackEvents: CfnOperation = async (deps, req) => {
  const stack = await findStack(deps, req, requiredStackName(req.params));
  const events = await deps.events.list(stack.stack_id);
  return { StackEvents: events.map((e) => eventXml(stack, e)) };
};

const describeStackResource: CfnOperation = async (deps, req) => {
  const stack = await findStack(deps, req, requiredStackName(req.params));
  const logicalId = req.params.get('LogicalResourceId');
  if (!logicalId) throw cfnErrors.missing('logicalResourceId');
  const r = (await deps.resources.list(stack.stack_id)).find((x) => x.logical_id === logicalId);
  if (!r) throw cfnErrors.validation(`Resource ${logicalId} does not exist for stack ${stack.stack_name}`);
  return { StackResourceDetail: resourceDetailXml(stack, r) };
};

const describeStackResources: CfnOperation = async (deps, req) => {
  const name = req.params.get('StackName');
  const physicalId = req.params.get('PhysicalResourceId');
  const logicalId = req.params.get('LogicalResourceId');
  let stack;
  if (name) stack = await findStack(deps, req, name);
  else if (physicalId) {
    for (const s of await deps.stacks.list(req.ctx.accountId, req.ctx.region, false)) {
      if ((await deps.resources.list(s.stack_id)).some((r) => r.physical_id === physicalId)) stack = s;
    }
    if (!stack) throw cfnErrors.validation(`Stack for ${physicalId} does not exist`);
  } else throw cfnErrors.validation('Either StackName or PhysicalResourceId must be specified.');
  const rows = (await deps.resources.list(stack.stack_id)).filter((r) => (!logicalId || r.logical_id === logicalId) && (!physicalId || r.physical_id === physicalId));
  return { StackResources: rows.map((r) => resourceXml(stack, r)) };
};

const listStackResources: CfnOperation = async (deps, req) => {
  const stack = await findStack(deps, req, requiredStackName(req.params));
  const rows = await deps.resources.list(stack.stack_id);
  return { StackResourceSummaries: rows.map(resourceSummaryXml) };
};

const listExports: CfnOperation = async (deps, req) => {
  const stacks = await deps.stacks.list(req.ctx.accountId, req.ctx.region, false);
  const exports = stacks.flatMap((s) => s.doc.outputs.filter((o) => o.exportName).map((o) => ({ ExportingStackId: s.stack_id, Name: o.exportName, Value: o.value })));
  return { Exports: exports };
};

const listImports: CfnOperation = async (deps, req) => {
  const name = req.params.get('ExportName');
  if (!name) throw cfnErrors.missing('exportName');
  const stacks = await deps.stacks.list(req.ctx.accountId, req.ctx.region, false);
  if (!stacks.some((s) => s.doc.outputs.some((o) => o.exportName === name))) throw cfnErrors.validation(`Export '${name}' does not exist.`);
  const importers = stacks.filter((s) => s.doc.imports?.includes(name)).map((s) => s.stack_name);
  if (importers.length === 0) throw cfnErrors.validation(`Export '${name}' is not imported by any stack.`);
  return { Imports: importers };
};

export const describeOperations: Record<string, CfnOperation> = {
  DescribeStacks: describeStacks,
  ListStacks: listStacks,
  DescribeStackEvents: describeStackEvents,
  DescribeStackResource: describeStackResource,
  DescribeStackResources: describeStackResources,
  ListStackResources: listStackResources,
  ListExports: listExports,
  ListImports: listImports,
};
