import { DeleteParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { str, tagMap } from './coerce.js';
import { generatedName, ignoreNotFound, type ProviderContext, type ResourceProvider } from './provider.js';

async function put(ctx: ProviderContext, name: string, props: Record<string, unknown>, overwrite: boolean): Promise<Record<string, unknown>> {
  const tags = tagMap(props.Tags, ctx.stackTags);
  await ctx.clients.ssm.send(
    new PutParameterCommand({
      Name: name,
      Type: (str(props.Type) ?? 'String') as never,
      Value: str(props.Value),
      Description: str(props.Description),
      AllowedPattern: str(props.AllowedPattern),
      Tier: str(props.Tier) as never,
      DataType: str(props.DataType),
      Overwrite: overwrite || undefined,
      Tags: overwrite || !tags ? undefined : Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  return { Type: str(props.Type) ?? 'String', Value: str(props.Value) };
}

/** A Parameter Store parameter: its name is the physical id and `Ref`. */
export const ssmParameter: ResourceProvider = {
  replaceOn: ['Name'],
  plannedId: (ctx, props) => str(props.Name) ?? `CFN-${generatedName(ctx, 128)}`.slice(0, 128),
  async create(ctx, props, name) {
    return { physicalId: name!, attributes: await put(ctx, name!, props, false) };
  },
  async update(ctx, name, props) {
    return { attributes: await put(ctx, name, props, true) };
  },
  async delete(ctx, name) {
    await ignoreNotFound(ctx.clients.ssm.send(new DeleteParameterCommand({ Name: name })));
  },
};
