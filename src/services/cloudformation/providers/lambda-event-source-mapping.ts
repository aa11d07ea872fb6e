import { CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, GetEventSourceMappingCommand, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { bool, defined, num, str, strList } from './coerce.js';
import { ignoreNotFound, waitFor, type ProviderContext, type ResourceProvider } from './provider.js';

function settings(props: Record<string, unknown>) {
  return defined({
    FunctionName: str(props.FunctionName),
    Enabled: bool(props.Enabled),
    BatchSize: num(props.BatchSize),
    MaximumBatchingWindowInSeconds: num(props.MaximumBatchingWindowInSeconds),
    FilterCriteria: props.FilterCriteria as never,
    FunctionResponseTypes: strList(props.FunctionResponseTypes) as never,
    ScalingConfig: props.ScalingConfig ? { MaximumConcurrency: num((props.ScalingConfig as Record<string, unknown>).MaximumConcurrency) } : undefined,
    DestinationConfig: props.DestinationConfig as never,
    MaximumRetryAttempts: num(props.MaximumRetryAttempts),
    BisectBatchOnFunctionError: bool(props.BisectBatchOnFunctionError),
    MaximumRecordAgeInSeconds: num(props.MaximumRecordAgeInSeconds),
    ParallelizationFactor: num(props.ParallelizationFactor),
    TumblingWindowInSeconds: num(props.TumblingWindowInSeconds),
  });
}

async function settle(ctx: ProviderContext, uuid: string): Promise<void> {
  await waitFor(async () => {
    const m = await ctx.clients.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    return !['Creating', 'Enabling', 'Updating', 'Disabling'].includes(String(m.State));
  }, `Event source mapping ${uuid}`);
}

/** An event source mapping: its UUID is the physical id and `Ref`. */
export const lambdaEventSourceMapping: ResourceProvider = {
  replaceOn: ['EventSourceArn', 'StartingPosition', 'StartingPositionTimestamp', 'Queues', 'SelfManagedEventSource'],
  async create(ctx, props) {
    const ts = props.StartingPositionTimestamp;
    const m = await ctx.clients.lambda.send(
      new CreateEventSourceMappingCommand({
        ...settings(props),
        EventSourceArn: str(props.EventSourceArn),
        StartingPosition: str(props.StartingPosition) as never,
        StartingPositionTimestamp: ts === undefined ? undefined : new Date(Number(ts) * 1000),
        Tags: undefined,
      } as never),
    );
    await settle(ctx, String(m.UUID));
    return { physicalId: String(m.UUID), attributes: { Id: m.UUID, EventSourceMappingArn: m.EventSourceMappingArn } };
  },
  async update(ctx, uuid, props) {
    await ctx.clients.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, ...settings(props) } as never));
    await settle(ctx, uuid);
  },
  async delete(ctx, uuid) {
    await ignoreNotFound(ctx.clients.lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid })));
  },
};
