import { DeleteFunctionEventInvokeConfigCommand, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { num, str } from './coerce.js';
import { ignoreNotFound, type ProviderContext, type ResourceProvider } from './provider.js';

async function put(ctx: ProviderContext, props: Record<string, unknown>): Promise<void> {
  await ctx.clients.lambda.send(
    new PutFunctionEventInvokeConfigCommand({
      FunctionName: str(props.FunctionName),
      Qualifier: str(props.Qualifier),
      MaximumEventAgeInSeconds: num(props.MaximumEventAgeInSeconds),
      MaximumRetryAttempts: num(props.MaximumRetryAttempts),
      DestinationConfig: props.DestinationConfig as never,
    }),
  );
}

/** A function's asynchronous invocation settings. */
export const lambdaEventInvokeConfig: ResourceProvider = {
  replaceOn: ['FunctionName', 'Qualifier'],
  async create(ctx, props) {
    await put(ctx, props);
    return { physicalId: `${String(props.FunctionName)}:${String(props.Qualifier ?? '$LATEST')}` };
  },
  async update(ctx, _id, props) {
    await put(ctx, props);
  },
  async delete(ctx, _id, props) {
    await ignoreNotFound(ctx.clients.lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: str(props.FunctionName), Qualifier: str(props.Qualifier) })));
  },
};
