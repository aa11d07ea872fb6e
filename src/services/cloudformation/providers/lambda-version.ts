import { DeleteFunctionCommand, PublishVersionCommand, PutProvisionedConcurrencyConfigCommand } from '@aws-sdk/client-lambda';
import { num, str } from './coerce.js';
import { ignoreNotFound, type ResourceProvider } from './provider.js';

/** A published version: its ARN is the physical id and `Ref`. */
export const lambdaVersion: ResourceProvider = {
  replaceOn: ['*'],
  async create(ctx, props) {
    const v = await ctx.clients.lambda.send(new PublishVersionCommand({ FunctionName: str(props.FunctionName), Description: str(props.Description), CodeSha256: str(props.CodeSha256) }));
    const pc = props.ProvisionedConcurrencyConfig as Record<string, unknown> | undefined;
    if (pc) {
      await ctx.clients.lambda.send(
        new PutProvisionedConcurrencyConfigCommand({ FunctionName: str(props.FunctionName), Qualifier: v.Version, ProvisionedConcurrentExecutions: num(pc.ProvisionedConcurrentExecutions) }),
      );
    }
    const arn = String(v.FunctionArn);
    return { physicalId: arn, attributes: { Version: v.Version, FunctionArn: arn.slice(0, arn.lastIndexOf(':')) } };
  },
  async delete(ctx, arn) {
    const i = arn.lastIndexOf(':');
    await ignoreNotFound(ctx.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: arn.slice(0, i), Qualifier: arn.slice(i + 1) })));
  },
};
