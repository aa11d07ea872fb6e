import {
  CreateBucketCommand, DeleteBucketCommand, DeleteBucketCorsCommand, DeleteBucketPolicyCommand, DeleteBucketWebsiteCommand, PutBucketCorsCommand,
  PutBucketNotificationConfigurationCommand, PutBucketPolicyCommand, PutBucketTaggingCommand, PutBucketVersioningCommand, PutBucketWebsiteCommand,
  type CORSRule, type NotificationConfiguration, type WebsiteConfiguration,
} from '@aws-sdk/client-s3';
import { changedProperties, jsonText, num, str, strList, tagList } from './coerce.js';
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

type Props = Record<string, unknown>;
const record = (v: unknown): Props | undefined => (v !== null && typeof v === 'object' ? (v as Props) : undefined);

/** CloudFormation's WebsiteConfiguration in the API's words (`IndexDocument: x` → `IndexDocument: {Suffix: x}`). */
function website(w: Props): WebsiteConfiguration {
  const redirectAll = record(w.RedirectAllRequestsTo);
  const rules = Array.isArray(w.RoutingRules) ? (w.RoutingRules as Props[]) : undefined;
  return {
    ...(w.IndexDocument !== undefined ? { IndexDocument: { Suffix: str(w.IndexDocument) } } : {}),
    ...(w.ErrorDocument !== undefined ? { ErrorDocument: { Key: str(w.ErrorDocument) } } : {}),
    ...(redirectAll ? { RedirectAllRequestsTo: { HostName: str(redirectAll.HostName), Protocol: str(redirectAll.Protocol) as never } } : {}),
    ...(rules
      ? {
          RoutingRules: rules.map((r) => {
            const redirect = record(r.RedirectRule) ?? {};
            const condition = record(r.RoutingRuleCondition);
            return {
              Redirect: {
                HostName: str(redirect.HostName), HttpRedirectCode: str(redirect.HttpRedirectCode), Protocol: str(redirect.Protocol) as never,
                ReplaceKeyPrefixWith: str(redirect.ReplaceKeyPrefixWith), ReplaceKeyWith: str(redirect.ReplaceKeyWith),
              },
              ...(condition ? { Condition: { HttpErrorCodeReturnedEquals: str(condition.HttpErrorCodeReturnedEquals), KeyPrefixEquals: str(condition.KeyPrefixEquals) } } : {}),
            };
          }),
        }
      : {}),
  };
}

/** CloudFormation's CorsConfiguration (`ExposedHeaders`, `MaxAge`) in the API's words (`ExposeHeaders`, `MaxAgeSeconds`). */
function corsRules(c: Props): CORSRule[] {
  const rules = Array.isArray(c.CorsRules) ? (c.CorsRules as Props[]) : [];
  return rules.map((r) => ({
    ID: str(r.Id), AllowedHeaders: strList(r.AllowedHeaders), AllowedMethods: strList(r.AllowedMethods), AllowedOrigins: strList(r.AllowedOrigins),
    ExposeHeaders: strList(r.ExposedHeaders), MaxAgeSeconds: num(r.MaxAge),
  }));
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
  if (changed.includes('WebsiteConfiguration')) {
    const w = record(props.WebsiteConfiguration);
    if (w) await ctx.clients.s3.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: website(w) }));
    else if (old.WebsiteConfiguration) await ctx.clients.s3.send(new DeleteBucketWebsiteCommand({ Bucket: bucket }));
  }
  if (changed.includes('CorsConfiguration')) {
    const c = record(props.CorsConfiguration);
    if (c) await ctx.clients.s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: corsRules(c) } }));
    else if (old.CorsConfiguration) await ctx.clients.s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }));
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
  WebsiteURL: localWebsiteUrl(ctx, bucket),
});

/**
 * AWS's `http://<bucket>.s3-website-<region>.amazonaws.com`, as Lambkin serves it: the same host
 * under `.localhost` (which resolves to loopback) on the server's own port, so a stack output
 * opens the site.
 */
function localWebsiteUrl(ctx: ProviderContext, bucket: string): string {
  const server = new URL(ctx.clients.endpoint);
  return `${server.protocol}//${bucket}.s3-website-${ctx.region}.localhost${server.port ? `:${server.port}` : ''}`;
}

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
