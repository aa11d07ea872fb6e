import { AddPermissionCommand, RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { str } from './coerce.js';
import { generatedName, ignoreNotFound, type ResourceProvider } from './provider.js';

/** The statement id is the physical id; the function is kept in the attributes for the delete. */
export const lambdaPermission: ResourceProvider = {
  replaceOn: ['*'],
  plannedId: (ctx) => generatedName(ctx, 100),
  async create(ctx, props, sid) {
    await ctx.clients.lambda.send(
      new AddPermissionCommand({
        FunctionName: str(props.FunctionName),
        StatementId: sid!,
        Action: str(props.Action),
        Principal: str(props.Principal),
        SourceArn: str(props.SourceArn),
        SourceAccount: str(props.SourceAccount),
        EventSourceToken: str(props.EventSourceToken),
        PrincipalOrgID: str(props.PrincipalOrgID),
        FunctionUrlAuthType: str(props.FunctionUrlAuthType) as never,
      }),
    );
    return { physicalId: sid!, attributes: { FunctionName: props.FunctionName } };
  },
  async delete(ctx, sid, props) {
    await ignoreNotFound(ctx.clients.lambda.send(new RemovePermissionCommand({ FunctionName: str(props.FunctionName), StatementId: sid })));
  },
};
