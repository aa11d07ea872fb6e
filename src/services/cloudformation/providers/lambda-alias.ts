import { CreateAliasCommand, DeleteAliasCommand, DeleteProvisionedConcurrencyConfigCommand, PutProvisionedConcurrencyConfigCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { changedProperties, num, str } from './coerce.js';
import { ignoreNotFound, type ProviderContext, type ResourceProvider } from './provider.js';

function routing(props: Record<string, unknown>) {
  const r = props.RoutingConfig as { AdditionalVersionWeights?: { FunctionVersion: string; FunctionWeight: unknown }[] } | undefined;
  if (!r?.AdditionalVersionWeights) return undefined;
  return { AdditionalVersionWeights: Object.fromEntries(r.AdditionalVersionWeights.map((w) => [String(w.FunctionVersion), Number(w.FunctionWeight)])) };
}

async function provisioned(ctx: ProviderContext, props: Record<string, unknown>): Promise<void> {
  const pc = props.ProvisionedConcurrencyConfig as Record<string, unknown> | undefined;
  if (!pc) return;
  await ctx.clients.lambda.send(
    new PutProvisionedConcurrencyConfigCommand({ FunctionName: str(props.FunctionName), Qualifier: str(props.Name), ProvisionedConcurrentExecutions: num(pc.ProvisionedConcurrentExecutions) }),
  );
}

/** An alias: its ARN is the physical id and `Ref`. */
export const lambdaAlias: ResourceProvider = {
  replaceOn: ['Name', 'FunctionName'],
  async create(ctx, props) {
    const a = await ctx.clients.lambda.send(
      new CreateAliasCommand({ FunctionName: str(props.FunctionName), Name: str(props.Name), FunctionVersion: str(props.FunctionVersion), Description: str(props.Description), RoutingConfig: routing(props) }),
    );
    await provisioned(ctx, props);
    return { physicalId: String(a.AliasArn), attributes: { AliasArn: a.AliasArn } };
  },
  async update(ctx, arn, props, old) {
    await ctx.clients.lambda.send(
      new UpdateAliasCommand({ FunctionName: str(props.FunctionName), Name: str(props.Name), FunctionVersion: str(props.FunctionVersion), Description: str(props.Description) ?? '', RoutingConfig: routing(props) ?? { AdditionalVersionWeights: {} } }),
    );
    if (changedProperties(props, old).includes('ProvisionedConcurrencyConfig')) {
      if (props.ProvisionedConcurrencyConfig) await provisioned(ctx, props);
      else await ignoreNotFound(ctx.clients.lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: str(props.FunctionName), Qualifier: str(props.Name) })));
    }
    return { attributes: { AliasArn: arn } };
  },
  async delete(ctx, arn, props) {
    await ignoreNotFound(ctx.clients.lambda.send(new DeleteAliasCommand({ FunctionName: str(props.FunctionName), Name: str(props.Name) })));
  },
};
