import {
  CreateStackCommand, DeleteStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, UpdateStackCommand, type Capability, type Stack,
} from '@aws-sdk/client-cloudformation';
import { str, tagList } from './coerce.js';
import { generatedName, type ProviderContext, type ResourceProvider } from './provider.js';

/** AWS waits for a nested stack as long as its TimeoutInMinutes, else without limit; Lambkin's bound is an hour. */
const DEFAULT_WAIT_MS = 60 * 60_000;

/** `Parameters` is a map of strings; a list (a `Ref` to a list parameter) is passed comma-joined. */
function parameters(props: Record<string, unknown>): { ParameterKey: string; ParameterValue: string }[] {
  const map = (props.Parameters ?? {}) as Record<string, unknown>;
  return Object.entries(map).map(([ParameterKey, v]) => ({ ParameterKey, ParameterValue: Array.isArray(v) ? v.map(String).join(',') : String(v) }));
}

function timeoutMs(props: Record<string, unknown>): number {
  const minutes = Number(props.TimeoutInMinutes);
  return Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : DEFAULT_WAIT_MS;
}

async function describe(ctx: ProviderContext, id: string): Promise<Stack | undefined> {
  try {
    return (await ctx.clients.cloudformation.send(new DescribeStacksCommand({ StackName: id }))).Stacks?.[0];
  } catch (err) {
    if (/does not exist/.test((err as Error).message)) return undefined;
    throw err;
  }
}

/** Polls the nested stack until its operation has ended. */
async function settled(ctx: ProviderContext, id: string, waitMs: number): Promise<Stack | undefined> {
  const end = Date.now() + waitMs;
  let delay = 50;
  for (;;) {
    const stack = await describe(ctx, id);
    if (!stack || !stack.StackStatus?.endsWith('_IN_PROGRESS') || stack.StackStatus === 'REVIEW_IN_PROGRESS') return stack;
    if (Date.now() > end) throw new Error(`Embedded stack ${stack.StackId} did not reach a final status within ${Math.round(waitMs / 60_000)} minutes`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 1000);
  }
}

/**
 * Why the nested stack's operation failed, as its own stack event said when it began rolling back
 * (`The following resource(s) failed to create: [X]. `), which AWS quotes in the parent's event.
 */
async function failureReason(ctx: ProviderContext, stackId: string, status: string): Promise<string> {
  const events = (await ctx.clients.cloudformation.send(new DescribeStackEventsCommand({ StackName: stackId }))).StackEvents ?? [];
  const event = events.find((e) => e.PhysicalResourceId === stackId && e.ResourceStatus === status && e.ResourceStatusReason);
  return (event?.ResourceStatusReason ?? '').replace(/Rollback requested by user\.$/, '');
}

/** `Fn::GetAtt Nested.Outputs.Name` reads the nested stack's outputs. */
function outputAttributes(stack: Stack): Record<string, unknown> {
  return Object.fromEntries((stack.Outputs ?? []).map((o) => [`Outputs.${o.OutputKey}`, o.OutputValue ?? '']));
}

/**
 * `AWS::CloudFormation::Stack`: a stack created from `TemplateURL` through Lambkin's own
 * CloudFormation API, named `{parent}-{logicalId}-{random}` as AWS names nested stacks, with the
 * parent's capabilities and tags. `Ref` is its stack id; its outputs are `Outputs.<Name>` attributes.
 * A nested stack that fails fails this resource with AWS's "Embedded stack … was not successfully
 * created" reason, after its own rollback.
 */
export const nestedStack: ResourceProvider = {
  replaceOn: [],
  plannedId(ctx) {
    return generatedName(ctx, 128);
  },
  async create(ctx, props, plannedId) {
    const name = plannedId ?? generatedName(ctx, 128);
    const created = await ctx.clients.cloudformation.send(new CreateStackCommand({
      StackName: name,
      TemplateURL: str(props.TemplateURL),
      Parameters: parameters(props),
      Capabilities: ctx.capabilities as Capability[],
      Tags: tagList(props.Tags, ctx.stackTags),
      NotificationARNs: (props.NotificationARNs as string[] | undefined) ?? undefined,
      TimeoutInMinutes: props.TimeoutInMinutes === undefined ? undefined : Number(props.TimeoutInMinutes),
    }));
    const stackId = created.StackId!;
    const stack = await settled(ctx, stackId, timeoutMs(props));
    if (stack?.StackStatus !== 'CREATE_COMPLETE') {
      const reason = stack?.StackStatus === 'CREATE_FAILED' ? await failureReason(ctx, stackId, 'CREATE_FAILED') : await failureReason(ctx, stackId, 'ROLLBACK_IN_PROGRESS');
      throw new Error(`Embedded stack ${stackId} was not successfully created: ${reason}`);
    }
    return { physicalId: stackId, attributes: outputAttributes(stack) };
  },
  async update(ctx, physicalId, props) {
    let updated = true;
    try {
      await ctx.clients.cloudformation.send(new UpdateStackCommand({
        StackName: physicalId,
        TemplateURL: str(props.TemplateURL),
        Parameters: parameters(props),
        Capabilities: ctx.capabilities as Capability[],
        Tags: tagList(props.Tags, ctx.stackTags),
      }));
    } catch (err) {
      // Nothing changed in the nested stack itself: the parent's update still completes.
      if (!/No updates are to be performed/.test((err as Error).message)) throw err;
      updated = false;
    }
    const stack = await settled(ctx, physicalId, timeoutMs(props));
    // Unchanged, it may still be in UPDATE_ROLLBACK_COMPLETE from its own failed update (the parent
    // rolling back asks it for the state it already returned to).
    const done = ['UPDATE_COMPLETE', 'CREATE_COMPLETE', ...(updated ? [] : ['UPDATE_ROLLBACK_COMPLETE'])];
    if (!stack || !done.includes(stack.StackStatus ?? '')) {
      const reason = await failureReason(ctx, physicalId, 'UPDATE_ROLLBACK_IN_PROGRESS');
      throw new Error(`Embedded stack ${physicalId} was not successfully updated. Currently in UPDATE_ROLLBACK_IN_PROGRESS with reason: ${reason}`);
    }
    return { attributes: outputAttributes(stack) };
  },
  async delete(ctx, physicalId, props) {
    // A nested stack may still be in an operation of its own (its create rolling back after a
    // restart, while the parent's rollback deletes it): deleted once that has ended.
    const stack = await settled(ctx, physicalId, timeoutMs(props));
    if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return;
    await ctx.clients.cloudformation.send(new DeleteStackCommand({ StackName: stack.StackId }));
    const after = await settled(ctx, stack.StackId!, timeoutMs(props));
    if (after && after.StackStatus !== 'DELETE_COMPLETE') {
      throw new Error(`Embedded stack ${stack.StackId} was not successfully deleted: ${after.StackStatusReason ?? after.StackStatus}`);
    }
  },
};
