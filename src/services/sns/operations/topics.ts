import type { XmlValue } from '../../../protocols/xml-writer.js';
import { xmlList, xmlMap } from '../../../protocols/query.js';
import { isValidTopicName, parseTopicArn, topicArn } from '../arns.js';
import type { SnsDeps, SnsRequest } from '../deps.js';
import { snsErrors } from '../errors.js';
import { TOPICS_PAGE_SIZE } from '../limits.js';
import { decodeNextToken, encodeNextToken } from '../paging.js';
import { readTags } from '../tags.js';
import { checkTopicAttribute, topicAttributesView } from '../topic-attributes.js';
import type { Topic } from '../tables/topics-table.js';

type Result = Record<string, XmlValue> | undefined;

export async function createTopic(deps: SnsDeps, { ctx, params }: SnsRequest): Promise<Result> {
  const name = params.get('Name');
  if (name === undefined) throw snsErrors.validationNull('name');
  const attributes: Record<string, string> = {};
  for (const [k, v] of params.scalarMap('Attributes')) attributes[k] = checkTopicAttribute(k, v, true);
  const fifo = attributes.FifoTopic === 'true';
  if (fifo && !name.endsWith('.fifo')) throw snsErrors.fifoTopicName();
  if (!isValidTopicName(name, fifo)) throw snsErrors.invalidParameter('Topic Name');
  if (attributes.FifoTopic === 'false') delete attributes.FifoTopic;
  if (!fifo && attributes.ContentBasedDeduplication !== undefined) {
    throw snsErrors.invalidParameter('Attributes Reason: ContentBasedDeduplication can only be set for FIFO topics');
  }
  const tags = readTags(params);
  const arn = topicArn(ctx.region, ctx.accountId, name);
  const existing = await deps.topics.get(arn);
  if (existing) {
    for (const [k, v] of Object.entries(attributes)) {
      if ((existing.attributes[k] ?? defaultFor(k)) !== v) throw snsErrors.topicExistsWithDifferentAttributes();
    }
    if (params.hasUnder('Tags')) {
      for (const [k, v] of Object.entries(tags)) if (existing.tags[k] !== v) throw snsErrors.topicExistsWithDifferentTags();
    }
    return { TopicArn: arn };
  }
  await deps.topics.insert({ arn, accountId: ctx.accountId, region: ctx.region, name, attributes, tags, createdAt: deps.clock.now() });
  return { TopicArn: arn };
}

function defaultFor(attribute: string): string | undefined {
  if (attribute === 'FifoTopic' || attribute === 'ContentBasedDeduplication') return 'false';
  if (attribute === 'DisplayName') return '';
  return undefined;
}

/** Deleting a topic that does not exist succeeds, as in AWS. */
export async function deleteTopic(deps: SnsDeps, { params }: SnsRequest): Promise<Result> {
  const arn = requireTopicArn(params.get('TopicArn'));
  await deps.topics.delete(arn);
  return undefined;
}

export async function listTopics(deps: SnsDeps, { ctx, params }: SnsRequest): Promise<Result> {
  const after = decodeNextToken(params.get('NextToken'));
  const page = await deps.topics.page(ctx.accountId, ctx.region, after, TOPICS_PAGE_SIZE + 1);
  const more = page.length > TOPICS_PAGE_SIZE;
  const shown = page.slice(0, TOPICS_PAGE_SIZE);
  return {
    Topics: xmlList(shown.map((t) => ({ TopicArn: t.arn }))),
    NextToken: more ? encodeNextToken(shown[shown.length - 1]!.arn) : undefined,
  };
}

export async function getTopicAttributes(deps: SnsDeps, { params }: SnsRequest): Promise<Result> {
  const topic = await loadTopic(deps, params.get('TopicArn'));
  const counts = await deps.subscriptions.countsByStatus(topic.arn);
  return { Attributes: xmlMap(topicAttributesView(topic, counts)) };
}

export async function setTopicAttributes(deps: SnsDeps, { params }: SnsRequest): Promise<Result> {
  const name = params.get('AttributeName');
  if (name === undefined) throw snsErrors.validationNull('attributeName');
  const topic = await loadTopic(deps, params.get('TopicArn'));
  const value = checkTopicAttribute(name, params.get('AttributeValue') ?? '', false);
  if (name === 'ContentBasedDeduplication' && topic.attributes.FifoTopic !== 'true') {
    throw snsErrors.invalidParameter('Attributes Reason: ContentBasedDeduplication can only be set for FIFO topics');
  }
  const changed = await deps.topics.change(topic.arn, 'attributes', (current) => {
    const attributes = { ...current.attributes };
    if (value === '' && name !== 'DisplayName') delete attributes[name];
    else attributes[name] = value;
    return attributes;
  });
  if (!changed) throw snsErrors.topicNotFound();
  return undefined;
}

export function requireTopicArn(arn: string | undefined, parameter = 'TopicArn'): string {
  if (arn === undefined) throw snsErrors.validationNull(parameter.charAt(0).toLowerCase() + parameter.slice(1));
  return parseTopicArn(arn, parameter).arn;
}

export async function loadTopic(deps: SnsDeps, arn: string | undefined, parameter = 'TopicArn'): Promise<Topic> {
  const topic = await deps.topics.get(requireTopicArn(arn, parameter));
  if (!topic) throw snsErrors.topicNotFound();
  return topic;
}
