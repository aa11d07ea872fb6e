import { CreateLogGroupCommand, DeleteLogGroupCommand, DeleteRetentionPolicyCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { num, str, tagMap } from './coerce.js';
import { generatedName, ignoreNotFound, type ProviderContext, type ResourceProvider } from './provider.js';

async function retention(ctx: ProviderContext, name: string, days: number | undefined): Promise<void> {
  if (days === undefined) await ignoreNotFound(ctx.clients.logs.send(new DeleteRetentionPolicyCommand({ logGroupName: name })));
  else await ctx.clients.logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: days }));
}

const arn = (ctx: ProviderContext, name: string) => `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${name}:*`;

/** A log group: its name is the physical id and `Ref`. */
export const logsLogGroup: ResourceProvider = {
  replaceOn: ['LogGroupName', 'KmsKeyId', 'LogGroupClass'],
  plannedId: (ctx, props) => str(props.LogGroupName) ?? generatedName(ctx, 512),
  async create(ctx, props, name) {
    await ctx.clients.logs.send(new CreateLogGroupCommand({ logGroupName: name!, tags: tagMap(props.Tags, ctx.stackTags), logGroupClass: str(props.LogGroupClass) as never }));
    if (props.RetentionInDays !== undefined) await retention(ctx, name!, num(props.RetentionInDays));
    return { physicalId: name!, attributes: { Arn: arn(ctx, name!) } };
  },
  async update(ctx, name, props) {
    await retention(ctx, name, num(props.RetentionInDays));
    return { attributes: { Arn: arn(ctx, name) } };
  },
  async delete(ctx, name) {
    await ignoreNotFound(ctx.clients.logs.send(new DeleteLogGroupCommand({ logGroupName: name })));
  },
};
