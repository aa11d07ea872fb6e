import { CreateStreamCommand, DecreaseStreamRetentionPeriodCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, IncreaseStreamRetentionPeriodCommand } from '@aws-sdk/client-kinesis';
import { num, str } from './coerce.js';
import { generatedName, ignoreNotFound, waitFor, type ProviderContext, type ResourceProvider } from './provider.js';

async function active(ctx: ProviderContext, name: string): Promise<{ Arn: unknown; retention: number }> {
  let arn: unknown;
  let retention = 24;
  await waitFor(async () => {
    const d = await ctx.clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    arn = d.StreamDescriptionSummary?.StreamARN;
    retention = d.StreamDescriptionSummary?.RetentionPeriodHours ?? 24;
    return d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
  }, `Stream ${name}`);
  return { Arn: arn, retention };
}

async function retention(ctx: ProviderContext, name: string, current: number, wanted: number | undefined): Promise<void> {
  if (wanted === undefined || wanted === current) return;
  const Command = wanted > current ? IncreaseStreamRetentionPeriodCommand : DecreaseStreamRetentionPeriodCommand;
  await ctx.clients.kinesis.send(new Command({ StreamName: name, RetentionPeriodHours: wanted }));
  await active(ctx, name);
}

/** A stream: its name is the physical id and `Ref`. */
export const kinesisStream: ResourceProvider = {
  replaceOn: ['Name', 'ShardCount', 'StreamModeDetails'],
  plannedId: (ctx, props) => str(props.Name) ?? generatedName(ctx, 128),
  async create(ctx, props, name) {
    const mode = (props.StreamModeDetails as { StreamMode?: string } | undefined)?.StreamMode;
    await ctx.clients.kinesis.send(
      new CreateStreamCommand({ StreamName: name!, ShardCount: mode === 'ON_DEMAND' ? undefined : (num(props.ShardCount) ?? 1), StreamModeDetails: mode ? { StreamMode: mode as never } : undefined }),
    );
    const a = await active(ctx, name!);
    await retention(ctx, name!, a.retention, num(props.RetentionPeriodHours));
    return { physicalId: name!, attributes: { Arn: a.Arn } };
  },
  async update(ctx, name, props) {
    const a = await active(ctx, name);
    await retention(ctx, name, a.retention, num(props.RetentionPeriodHours) ?? 24);
    return { attributes: { Arn: a.Arn } };
  },
  async delete(ctx, name) {
    await ignoreNotFound(ctx.clients.kinesis.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true })));
    // DELETE_COMPLETE once the stream is gone, not while it is DELETING.
    await waitFor(async () => {
      try {
        await ctx.clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
        return false;
      } catch (err) {
        if (/NotFound/.test((err as Error).name)) return true;
        throw err;
      }
    }, `Stream ${name}`);
  },
};
