import {
  CreateBucketCommand, DeleteBucketCommand, DeleteBucketPolicyCommand, PutBucketNotificationConfigurationCommand, PutBucketPolicyCommand,
  PutBucketTaggingCommand, PutBucketVersioningCommand, type NotificationConfiguration,
} from '@aws-sdk/client-s3';
import { changedProperties, jsonText, str, tagList } from './coerce.js';
import { generatedName, ignoreNotFound, type ProviderContext, type ResourceProvider } from './provider.js';

type Rule = { Name: string; Value: string };
const filter = (f: unknown) => {
  const rules = (f as { S3Key?: { Rules?: Rule[] } } | undefined)?.S3Key?.Rules;
  return rules ? { Key: { FilterRules: rules.map((r) => ({ Name: r.Name as never, Value: r.Value })) } } : undefined;
};

/** CloudFormation's NotificationConfiguration in the API's words (`Function` → `LambdaFunctionArn`, one `Event` each). */
function notifications(props: Record<string, unknown>): NotificationConfiguration {
  const n = (props.NotificationConfiguration ?? {}) as Record<string, Record<string, unknown>[] | Record<string, unknown> | undefined>;
  const list = (k: string) => ((n[k] as Record<string, unknown>[] | undefined) ?? []);
  const out: NotificationConfiguration = {
    LambdaFunctionConfigurations: list('LambdaConfigurations').map((c) => ({ LambdaFunctionArn: String(c.Function), Events: [c.Event as never], Filter: filter(c.Filter) })),
    QueueConfigurations: list('QueueConfigurations').map((c) => ({ QueueArn: String(c.Queue), Events: [c.Event as never], Filter: filter(c.Filter) })),
    TopicConfigurations: list('TopicConfigurations').map((c) => ({ TopicArn: String(c.Topic), Events: [c.Event as never], Filter: filter(c.Filter) })),
  };
  const eb = n.EventBridgeConfiguration as Record<string, unknown> | undefined;
  if (eb && String(eb.EventBridgeEnabled) !== 'false') out.EventBridgeConfiguration = {};
  return out;
}

async function configure(ctx: ProviderContext, bucket: string, props: Record<string, unknown>, old: Record<string, unknown>): Promise<void> {
  const changed = changedProperties(props, old);
  const versioning = props.VersioningConfiguration as { Status?: string } | undefined;
  if (changed.includes('VersioningConfiguration') && (versioning || old.VersioningConfiguration)) {
    await ctx.clients.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: (versioning?.Status ?? 'Suspended') as never } }));
  }
  if (changed.includes('NotificationConfiguration')) {
    await ctx.clients.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: notifications(props) }));
  }
  const tags = tagList(props.Tags, ctx.stackTags);
  if (changed.includes('Tags') || (Object.keys(old).length === 0 && tags.length > 0)) {
    await ctx.clients.s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: tags } }));
  }
}

const attributes = (ctx: ProviderContext, bucket: string) => ({
  Arn: `arn:${ctx.partition}:s3:::${bucket}`,
  DomainName: `${bucket}.s3.amazonaws.com`,
  RegionalDomainName: `${bucket}.s3.${ctx.region}.amazonaws.com`,
  DualStackDomainName: `${bucket}.s3.dualstack.${ctx.region}.amazonaws.com`,
  WebsiteURL: `http://${bucket}.s3-website-${ctx.region}.amazonaws.com`,
});

/** A bucket: its name is the physical id and `Ref`. Deleting a bucket with objects fails, as on AWS. */
export const s3Bucket: ResourceProvider = {
  replaceOn: ['BucketName'],
  plannedId: (ctx, props) => str(props.BucketName) ?? generatedName(ctx, 63, { lowercase: true }),
  async create(ctx, props, bucket) {
    await ctx.clients.s3.send(new CreateBucketCommand({ Bucket: bucket!, CreateBucketConfiguration: ctx.region === 'us-east-1' ? undefined : { LocationConstraint: ctx.region as never } }));
    await configure(ctx, bucket!, props, {});
    return { physicalId: bucket!, attributes: attributes(ctx, bucket!) };
  },
  async update(ctx, bucket, props, old) {
    await configure(ctx, bucket, props, old);
    return { attributes: attributes(ctx, bucket) };
  },
  async delete(ctx, bucket) {
    await ignoreNotFound(ctx.clients.s3.send(new DeleteBucketCommand({ Bucket: bucket })));
  },
};

/** A bucket policy. */
export const s3BucketPolicy: ResourceProvider = {
  replaceOn: ['Bucket'],
  async create(ctx, props) {
    await ctx.clients.s3.send(new PutBucketPolicyCommand({ Bucket: str(props.Bucket), Policy: jsonText(props.PolicyDocument) }));
    return { physicalId: String(props.Bucket) };
  },
  async update(ctx, _id, props) {
    await ctx.clients.s3.send(new PutBucketPolicyCommand({ Bucket: str(props.Bucket), Policy: jsonText(props.PolicyDocument) }));
  },
  async delete(ctx, _id, props) {
    await ignoreNotFound(ctx.clients.s3.send(new DeleteBucketPolicyCommand({ Bucket: str(props.Bucket) })));
  },
};
