import { str, tagList } from './coerce.js';
import { generatedName, ignoreNotFound, type ProviderContext, type ResourceProvider } from './provider.js';

const TARGET = 'AmazonEC2ContainerRegistry_V20150921';
const call = (ctx: ProviderContext, op: string, input: Record<string, unknown>) => ctx.clients.json('ecr', `${TARGET}.${op}`, input);

/** A repository: its name is the physical id and `Ref`; `Arn` and `RepositoryUri` as GetAtt. */
export const ecrRepository: ResourceProvider = {
  replaceOn: ['RepositoryName'],
  plannedId: (ctx, props) => str(props.RepositoryName) ?? generatedName(ctx, 256, { lowercase: true }),
  async create(ctx, props, name) {
    const out = await call(ctx, 'CreateRepository', {
      repositoryName: name,
      imageTagMutability: str(props.ImageTagMutability),
      imageScanningConfiguration: props.ImageScanningConfiguration ? { scanOnPush: String((props.ImageScanningConfiguration as Record<string, unknown>).ScanOnPush) === 'true' } : undefined,
      tags: tagList(props.Tags, ctx.stackTags),
    });
    const repo = out.repository as Record<string, unknown>;
    return { physicalId: name!, attributes: { Arn: repo.repositoryArn, RepositoryUri: repo.repositoryUri } };
  },
  async delete(ctx, name, props) {
    // EmptyOnDelete: true deletes a repository with images, as AWS does; otherwise one with images fails.
    await ignoreNotFound(call(ctx, 'DeleteRepository', { repositoryName: name, force: String(props.EmptyOnDelete) === 'true' }));
  },
};
