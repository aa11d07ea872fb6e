import { AddLayerVersionPermissionCommand, DeleteLayerVersionCommand, PublishLayerVersionCommand, RemoveLayerVersionPermissionCommand } from '@aws-sdk/client-lambda';
import { str, strList } from './coerce.js';
import { generatedName, ignoreNotFound, type ResourceProvider } from './provider.js';

function parseLayerArn(arn: string): { name: string; version: number } {
  const parts = arn.split(':');
  return { name: parts.slice(0, -1).join(':'), version: Number(parts[parts.length - 1]) };
}

/** A layer version: its ARN is the physical id and `Ref`; any change publishes a new one. */
export const lambdaLayerVersion: ResourceProvider = {
  replaceOn: ['*'],
  async create(ctx, props) {
    const c = (props.Content ?? {}) as Record<string, unknown>;
    const v = await ctx.clients.lambda.send(
      new PublishLayerVersionCommand({
        LayerName: str(props.LayerName) ?? generatedName(ctx, 64),
        Description: str(props.Description),
        Content: { S3Bucket: str(c.S3Bucket), S3Key: str(c.S3Key), S3ObjectVersion: str(c.S3ObjectVersion) },
        CompatibleRuntimes: strList(props.CompatibleRuntimes) as never,
        CompatibleArchitectures: strList(props.CompatibleArchitectures) as never,
        LicenseInfo: str(props.LicenseInfo),
      }),
    );
    return { physicalId: String(v.LayerVersionArn), attributes: { LayerVersionArn: v.LayerVersionArn } };
  },
  async delete(ctx, arn) {
    const { name, version } = parseLayerArn(arn);
    await ignoreNotFound(ctx.clients.lambda.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: version })));
  },
};

/** A grant on a layer version. */
export const lambdaLayerVersionPermission: ResourceProvider = {
  replaceOn: ['*'],
  plannedId: (ctx) => generatedName(ctx, 100),
  async create(ctx, props, sid) {
    const { name, version } = parseLayerArn(String(props.LayerVersionArn));
    await ctx.clients.lambda.send(
      new AddLayerVersionPermissionCommand({ LayerName: name, VersionNumber: version, StatementId: sid!, Action: str(props.Action), Principal: str(props.Principal), OrganizationId: str(props.OrganizationId) }),
    );
    return { physicalId: sid! };
  },
  async delete(ctx, sid, props) {
    const { name, version } = parseLayerArn(String(props.LayerVersionArn));
    await ignoreNotFound(ctx.clients.lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: name, VersionNumber: version, StatementId: sid })));
  },
};
