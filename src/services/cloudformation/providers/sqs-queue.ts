import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { bool, jsonText, str, tagMap } from './coerce.js';
import { generatedName, ignoreNotFound, isNotFound, type ProviderContext, type ResourceProvider } from './provider.js';

const ATTRIBUTES = [
  'DelaySeconds', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds', 'VisibilityTimeout', 'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit',
];

function attributes(props: Record<string, unknown>, forCreate: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of ATTRIBUTES) if (props[a] !== undefined) out[a] = String(props[a]);
  if (props.RedrivePolicy !== undefined) out.RedrivePolicy = jsonText(props.RedrivePolicy)!;
  if (props.RedriveAllowPolicy !== undefined) out.RedriveAllowPolicy = jsonText(props.RedriveAllowPolicy)!;
  if (forCreate && bool(props.FifoQueue)) out.FifoQueue = 'true';
  return out;
}

async function describe(ctx: ProviderContext, url: string) {
  const a = await ctx.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = String(a.Attributes?.QueueArn);
  return { Arn: arn, QueueName: arn.split(':').pop(), QueueUrl: url };
}

/** A queue: `Ref` is its URL; the physical id is the URL too, as on AWS. */
export const sqsQueue: ResourceProvider = {
  replaceOn: ['QueueName', 'FifoQueue'],
  plannedId: (ctx, props) => str(props.QueueName) ?? generatedName(ctx, 80, { suffix: bool(props.FifoQueue) ? '.fifo' : '' }),
  async create(ctx, props, name) {
    const q = await ctx.clients.sqs.send(new CreateQueueCommand({ QueueName: name!, Attributes: attributes(props, true), tags: tagMap(props.Tags, ctx.stackTags) }));
    const url = String(q.QueueUrl);
    return { physicalId: name!, ref: url, attributes: await describe(ctx, url) };
  },
  async update(ctx, name, props, old) {
    const { QueueUrl: url } = await ctx.clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    const attrs = attributes(props, false);
    // What the new template leaves out goes back to SQS's default.
    const defaults: Record<string, string> = { DelaySeconds: '0', MaximumMessageSize: '262144', MessageRetentionPeriod: '345600', ReceiveMessageWaitTimeSeconds: '0', VisibilityTimeout: '30', RedrivePolicy: '' };
    for (const [k, v] of Object.entries(defaults)) if (old[k] !== undefined && props[k] === undefined) attrs[k] = v;
    if (Object.keys(attrs).length) await ctx.clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attrs }));
    return { ref: url, attributes: await describe(ctx, String(url)) };
  },
  async delete(ctx, name) {
    try {
      const { QueueUrl } = await ctx.clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      await ignoreNotFound(ctx.clients.sqs.send(new DeleteQueueCommand({ QueueUrl })));
    } catch (err) {
      // The SDK names SQS's AWS.SimpleQueueService.NonExistentQueue `QueueDoesNotExist`.
      if (!isNotFound(err)) throw err;
    }
  },
};

/** A queue policy: sets `Policy` on each queue (by URL). */
export const sqsQueuePolicy: ResourceProvider = {
  replaceOn: [],
  plannedId: (ctx) => generatedName(ctx, 128),
  async create(ctx, props, id) {
    for (const url of (props.Queues as string[]) ?? []) {
      await ctx.clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: jsonText(props.PolicyDocument)! } }));
    }
    return { physicalId: id!, attributes: { Id: id } };
  },
  async update(ctx, id, props, old) {
    const now = (props.Queues as string[]) ?? [];
    for (const url of ((old.Queues as string[]) ?? []).filter((u) => !now.includes(u))) {
      await ignoreNotFound(ctx.clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: '' } })));
    }
    await sqsQueuePolicy.create(ctx, props, id);
  },
  async delete(ctx, _id, props) {
    for (const url of (props.Queues as string[]) ?? []) {
      await ignoreNotFound(ctx.clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: '' } })));
    }
  },
};
