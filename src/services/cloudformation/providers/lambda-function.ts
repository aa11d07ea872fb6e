import AdmZip from 'adm-zip';
import {
  CreateFunctionCommand, DeleteFunctionCommand, DeleteFunctionConcurrencyCommand, GetFunctionConfigurationCommand, PutFunctionConcurrencyCommand,
  TagResourceCommand, UntagResourceCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand, type CreateFunctionCommandInput,
} from '@aws-sdk/client-lambda';
import { CFN_RESPONSE_JS } from './cfn-response-module.js';
import { changedProperties, defined, num, str, strList, tagMap } from './coerce.js';
import { generatedName, ignoreNotFound, waitFor, type ProviderContext, type ResourceProvider } from './provider.js';

/**
 * `Code.ZipFile` is the handler's source: CloudFormation writes it to `index.js` (Node.js) or
 * `index.py` (Python) in a zip of its own, with the `cfn-response` module beside Node.js code.
 */
function inlineZip(source: string, runtime: string): Uint8Array {
  const zip = new AdmZip();
  zip.addFile(runtime.startsWith('python') ? 'index.py' : 'index.js', Buffer.from(source));
  if (runtime.startsWith('nodejs')) zip.addFile('cfn-response.js', Buffer.from(CFN_RESPONSE_JS));
  return zip.toBuffer();
}

function code(props: Record<string, unknown>): CreateFunctionCommandInput['Code'] {
  const c = (props.Code ?? {}) as Record<string, unknown>;
  if (typeof c.ZipFile === 'string') return { ZipFile: inlineZip(c.ZipFile, String(props.Runtime ?? '')) };
  return defined({ S3Bucket: str(c.S3Bucket), S3Key: str(c.S3Key), S3ObjectVersion: str(c.S3ObjectVersion), ImageUri: str(c.ImageUri) });
}

function configuration(props: Record<string, unknown>) {
  const env = props.Environment as { Variables?: Record<string, unknown> } | undefined;
  return defined({
    Role: str(props.Role),
    Handler: str(props.Handler),
    Runtime: str(props.Runtime) as never,
    Description: str(props.Description),
    Timeout: num(props.Timeout),
    MemorySize: num(props.MemorySize),
    Environment: env ? { Variables: Object.fromEntries(Object.entries(env.Variables ?? {}).map(([k, v]) => [k, String(v)])) } : undefined,
    Layers: strList(props.Layers),
    DeadLetterConfig: props.DeadLetterConfig as never,
    TracingConfig: props.TracingConfig as never,
    KMSKeyArn: str(props.KmsKeyArn),
    EphemeralStorage: props.EphemeralStorage ? { Size: num((props.EphemeralStorage as Record<string, unknown>).Size) } : undefined,
    ImageConfig: props.ImageConfig as never,
    LoggingConfig: props.LoggingConfig as never,
    VpcConfig: props.VpcConfig as never,
    FileSystemConfigs: props.FileSystemConfigs as never,
    SnapStart: props.SnapStart as never,
  });
}

async function waitSettled(ctx: ProviderContext, name: string): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> = {};
  await waitFor(async () => {
    const c = await ctx.clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    last = c as unknown as Record<string, unknown>;
    if (c.State === 'Failed') throw new Error(c.StateReason ?? 'function failed');
    if (c.LastUpdateStatus === 'Failed') throw new Error(c.LastUpdateStatusReason ?? 'function update failed');
    return c.State !== 'Pending' && c.LastUpdateStatus !== 'InProgress';
  }, `Function ${name}`);
  return last;
}

const attributes = (c: Record<string, unknown>) => ({ Arn: c.FunctionArn, 'SnapStartResponse.ApplyOn': 'None', 'SnapStartResponse.OptimizationStatus': 'Off' });

export const lambdaFunction: ResourceProvider = {
  replaceOn: ['FunctionName', 'PackageType'],
  plannedId: (ctx, props) => str(props.FunctionName) ?? generatedName(ctx, 64),
  async create(ctx, props, name) {
    await ctx.clients.lambda.send(
      new CreateFunctionCommand({
        ...configuration(props),
        FunctionName: name!,
        Code: code(props),
        PackageType: str(props.PackageType) as never,
        Architectures: strList(props.Architectures) as never,
        Tags: tagMap(props.Tags, ctx.stackTags),
        CodeSigningConfigArn: str(props.CodeSigningConfigArn),
      } as CreateFunctionCommandInput),
    );
    const reserved = num(props.ReservedConcurrentExecutions);
    if (reserved !== undefined) await ctx.clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name!, ReservedConcurrentExecutions: reserved }));
    return { physicalId: name!, attributes: attributes(await waitSettled(ctx, name!)) };
  },
  async update(ctx, name, props, old) {
    const changed = changedProperties(props, old);
    if (changed.includes('Code') || changed.includes('Architectures')) {
      const c = code(props) as Record<string, unknown>;
      await ctx.clients.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ...c, Architectures: strList(props.Architectures) as never }));
      await waitSettled(ctx, name);
    }
    const configKeys = ['Role', 'Handler', 'Runtime', 'Description', 'Timeout', 'MemorySize', 'Environment', 'Layers', 'DeadLetterConfig', 'TracingConfig', 'KmsKeyArn', 'EphemeralStorage', 'ImageConfig', 'LoggingConfig', 'VpcConfig', 'FileSystemConfigs', 'SnapStart'];
    if (changed.some((k) => configKeys.includes(k))) {
      const cfg = configuration(props);
      // A member the new template leaves out goes back to its default.
      if (!props.Environment && old.Environment) cfg.Environment = { Variables: {} };
      if (!props.Layers && old.Layers) cfg.Layers = [];
      if (!props.Description && old.Description) cfg.Description = '';
      await ctx.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, ...cfg }));
    }
    if (changed.includes('ReservedConcurrentExecutions')) {
      const reserved = num(props.ReservedConcurrentExecutions);
      if (reserved === undefined) await ctx.clients.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
      else await ctx.clients.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: reserved }));
    }
    const settled = await waitSettled(ctx, name);
    if (changed.includes('Tags')) {
      const arn = String(settled.FunctionArn);
      const before = tagMap(old.Tags, ctx.stackTags) ?? {};
      const after = tagMap(props.Tags, ctx.stackTags) ?? {};
      const gone = Object.keys(before).filter((k) => !(k in after));
      if (gone.length) await ctx.clients.lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: gone }));
      if (Object.keys(after).length) await ctx.clients.lambda.send(new TagResourceCommand({ Resource: arn, Tags: after }));
    }
    return { attributes: attributes(settled) };
  },
  async delete(ctx, name) {
    await ignoreNotFound(ctx.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: name })));
  },
};
