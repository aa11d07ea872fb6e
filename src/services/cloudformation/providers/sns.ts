import { CreateTopicCommand, DeleteTopicCommand, SetSubscriptionAttributesCommand, SetTopicAttributesCommand, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { bool, changedProperties, jsonText, str, tagList } from './coerce.js';
import { generatedName, ignoreNotFound, type ResourceProvider } from './provider.js';

/** A topic: `Ref` is its ARN (the physical id). */
export const snsTopic: ResourceProvider = {
  replaceOn: ['TopicName', 'FifoTopic'],
  async create(ctx, props) {
    const fifo = bool(props.FifoTopic);
    const name = str(props.TopicName) ?? generatedName(ctx, 256, { suffix: fifo ? '.fifo' : '' });
    const attributes: Record<string, string> = {};
    if (fifo) attributes.FifoTopic = 'true';
    if (props.DisplayName !== undefined) attributes.DisplayName = String(props.DisplayName);
    if (props.ContentBasedDeduplication !== undefined) attributes.ContentBasedDeduplication = String(props.ContentBasedDeduplication);
    if (props.KmsMasterKeyId !== undefined) attributes.KmsMasterKeyId = String(props.KmsMasterKeyId);
    const t = await ctx.clients.sns.send(new CreateTopicCommand({ Name: name, Attributes: attributes, Tags: tagList(props.Tags, ctx.stackTags) }));
    const arn = String(t.TopicArn);
    for (const s of (props.Subscription as { Endpoint: string; Protocol: string }[] | undefined) ?? []) {
      await ctx.clients.sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: s.Protocol, Endpoint: s.Endpoint }));
    }
    return { physicalId: arn, attributes: { TopicArn: arn, TopicName: name } };
  },
  async update(ctx, arn, props, old) {
    const changed = changedProperties(props, old);
    if (changed.includes('DisplayName')) await ctx.clients.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DisplayName', AttributeValue: str(props.DisplayName) ?? '' }));
    if (changed.some((c) => !['DisplayName', 'Tags'].includes(c))) throw new Error(`Update of ${changed.join(', ')} is not supported by Lambkin; change TopicName to replace the topic`);
    return { attributes: { TopicArn: arn, TopicName: arn.split(':').pop() } };
  },
  async delete(ctx, arn) {
    await ignoreNotFound(ctx.clients.sns.send(new DeleteTopicCommand({ TopicArn: arn })));
  },
};

const SUBSCRIPTION_ATTRIBUTES = ['DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy'];

/** A subscription: `Ref` is its ARN. */
export const snsSubscription: ResourceProvider = {
  replaceOn: ['TopicArn', 'Protocol', 'Endpoint'],
  async create(ctx, props) {
    const attributes: Record<string, string> = {};
    for (const a of SUBSCRIPTION_ATTRIBUTES) if (props[a] !== undefined) attributes[a] = jsonText(props[a])!;
    const s = await ctx.clients.sns.send(
      new SubscribeCommand({ TopicArn: str(props.TopicArn), Protocol: str(props.Protocol), Endpoint: str(props.Endpoint), Attributes: attributes, ReturnSubscriptionArn: true }),
    );
    return { physicalId: String(s.SubscriptionArn), attributes: { Arn: s.SubscriptionArn } };
  },
  async update(ctx, arn, props, old) {
    for (const a of changedProperties(props, old)) {
      if (!SUBSCRIPTION_ATTRIBUTES.includes(a)) continue;
      await ctx.clients.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: a, AttributeValue: jsonText(props[a]) ?? '' }));
    }
  },
  async delete(ctx, arn) {
    await ignoreNotFound(ctx.clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: arn })));
  },
};

/** A topic policy: sets `Policy` on each topic. */
export const snsTopicPolicy: ResourceProvider = {
  replaceOn: [],
  plannedId: (ctx) => generatedName(ctx, 128),
  async create(ctx, props, id) {
    for (const arn of (props.Topics as string[]) ?? []) {
      await ctx.clients.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'Policy', AttributeValue: jsonText(props.PolicyDocument) }));
    }
    return { physicalId: id!, attributes: { Id: id } };
  },
  async update(ctx, id, props) {
    await snsTopicPolicy.create(ctx, props, id);
  },
  async delete() {
    // AWS puts the topic's default policy back; Lambkin's topics answer without one just the same.
  },
};
