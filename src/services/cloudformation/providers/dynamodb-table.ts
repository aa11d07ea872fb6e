import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, UpdateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { bool, changedProperties, num, str, tagList } from './coerce.js';
import { generatedName, ignoreNotFound, waitFor, type ProviderContext, type ResourceProvider } from './provider.js';

const throughput = (t: unknown) => {
  const p = t as Record<string, unknown> | undefined;
  return p ? { ReadCapacityUnits: num(p.ReadCapacityUnits), WriteCapacityUnits: num(p.WriteCapacityUnits) } : undefined;
};

function stream(props: Record<string, unknown>) {
  const s = props.StreamSpecification as { StreamViewType?: string } | undefined;
  return s?.StreamViewType ? { StreamEnabled: true, StreamViewType: s.StreamViewType as never } : undefined;
}

async function active(ctx: ProviderContext, name: string): Promise<Record<string, unknown>> {
  let table: Record<string, unknown> = {};
  await waitFor(async () => {
    const d = await ctx.clients.dynamodb.send(new DescribeTableCommand({ TableName: name }));
    table = (d.Table ?? {}) as Record<string, unknown>;
    return d.Table?.TableStatus === 'ACTIVE';
  }, `Table ${name}`);
  return { Arn: table.TableArn, StreamArn: table.LatestStreamArn };
}

async function ttl(ctx: ProviderContext, name: string, props: Record<string, unknown>, old: Record<string, unknown>): Promise<void> {
  const t = props.TimeToLiveSpecification as { AttributeName?: string; Enabled?: unknown } | undefined;
  const o = old.TimeToLiveSpecification as { AttributeName?: string; Enabled?: unknown } | undefined;
  if (JSON.stringify(t) === JSON.stringify(o)) return;
  if (t && bool(t.Enabled)) await ctx.clients.dynamodb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: t.AttributeName, Enabled: true } }));
  else if (o && bool(o.Enabled)) await ctx.clients.dynamodb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: o.AttributeName, Enabled: false } }));
}

/** A table: its name is the physical id and `Ref`; `StreamArn` when it has a stream. */
export const dynamodbTable: ResourceProvider = {
  replaceOn: ['TableName', 'KeySchema', 'LocalSecondaryIndexes'],
  plannedId: (ctx, props) => str(props.TableName) ?? generatedName(ctx, 255),
  async create(ctx, props, name) {
    await ctx.clients.dynamodb.send(
      new CreateTableCommand({
        TableName: name!,
        AttributeDefinitions: props.AttributeDefinitions as never,
        KeySchema: props.KeySchema as never,
        BillingMode: str(props.BillingMode) as never,
        ProvisionedThroughput: throughput(props.ProvisionedThroughput),
        GlobalSecondaryIndexes: (props.GlobalSecondaryIndexes as Record<string, unknown>[] | undefined)?.map((g) => ({ ...g, ProvisionedThroughput: throughput(g.ProvisionedThroughput) })) as never,
        LocalSecondaryIndexes: props.LocalSecondaryIndexes as never,
        StreamSpecification: stream(props),
        Tags: tagList(props.Tags, ctx.stackTags),
        DeletionProtectionEnabled: bool(props.DeletionProtectionEnabled),
      }),
    );
    const attributes = await active(ctx, name!);
    await ttl(ctx, name!, props, {});
    return { physicalId: name!, attributes };
  },
  async update(ctx, name, props, old) {
    const changed = changedProperties(props, old);
    if (changed.includes('StreamSpecification')) {
      if (old.StreamSpecification) await ctx.clients.dynamodb.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } }));
      if (props.StreamSpecification) await ctx.clients.dynamodb.send(new UpdateTableCommand({ TableName: name, StreamSpecification: stream(props) }));
    }
    if (changed.includes('BillingMode') || changed.includes('ProvisionedThroughput')) {
      await ctx.clients.dynamodb.send(new UpdateTableCommand({ TableName: name, BillingMode: str(props.BillingMode) as never, ProvisionedThroughput: throughput(props.ProvisionedThroughput) }));
    }
    const attributes = await active(ctx, name);
    await ttl(ctx, name, props, old);
    return { attributes };
  },
  async delete(ctx, name) {
    // A table still CREATING (an interrupted create) refuses DeleteTable; wait for it first.
    await waitFor(async () => {
      try {
        const d = await ctx.clients.dynamodb.send(new DescribeTableCommand({ TableName: name }));
        return d.Table?.TableStatus !== 'CREATING' && d.Table?.TableStatus !== 'UPDATING';
      } catch (err) {
        if (/NotFound/.test((err as Error).name)) return true;
        throw err;
      }
    }, `Table ${name}`);
    await ignoreNotFound(ctx.clients.dynamodb.send(new DeleteTableCommand({ TableName: name })));
    // DELETE_COMPLETE once the table is gone, not while it is DELETING.
    await waitFor(async () => {
      try {
        await ctx.clients.dynamodb.send(new DescribeTableCommand({ TableName: name }));
        return false;
      } catch (err) {
        if (/NotFound/.test((err as Error).name)) return true;
        throw err;
      }
    }, `Table ${name}`);
  },
};
