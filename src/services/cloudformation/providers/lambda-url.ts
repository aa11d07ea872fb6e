import { CreateFunctionUrlConfigCommand, DeleteFunctionUrlConfigCommand, UpdateFunctionUrlConfigCommand } from '@aws-sdk/client-lambda';
import { str } from './coerce.js';
import { ignoreNotFound, type ResourceProvider } from './provider.js';

const split = (props: Record<string, unknown>) => ({ FunctionName: str(props.TargetFunctionArn), Qualifier: str(props.Qualifier) });

/** A function URL: the function's ARN (with its qualifier) is the physical id. */
export const lambdaUrl: ResourceProvider = {
  replaceOn: ['TargetFunctionArn', 'Qualifier'],
  async create(ctx, props) {
    const u = await ctx.clients.lambda.send(
      new CreateFunctionUrlConfigCommand({ ...split(props), AuthType: str(props.AuthType) as never, Cors: props.Cors as never, InvokeMode: str(props.InvokeMode) as never }),
    );
    return { physicalId: String(u.FunctionArn), attributes: { FunctionArn: u.FunctionArn, FunctionUrl: u.FunctionUrl } };
  },
  async update(ctx, arn, props) {
    const u = await ctx.clients.lambda.send(
      new UpdateFunctionUrlConfigCommand({ ...split(props), AuthType: str(props.AuthType) as never, Cors: (props.Cors ?? {}) as never, InvokeMode: str(props.InvokeMode) as never }),
    );
    return { attributes: { FunctionArn: arn, FunctionUrl: u.FunctionUrl } };
  },
  async delete(ctx, _arn, props) {
    await ignoreNotFound(ctx.clients.lambda.send(new DeleteFunctionUrlConfigCommand(split(props))));
  },
};
