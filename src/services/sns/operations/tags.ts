import type { XmlValue } from '../../../protocols/xml-writer.js';
import { xmlList } from '../../../protocols/query.js';
import { parseTopicArn } from '../arns.js';
import type { SnsDeps, SnsRequest } from '../deps.js';
import { snsErrors } from '../errors.js';
import { MAX_TAGS_PER_TOPIC } from '../limits.js';
import { readTags } from '../tags.js';
import type { Topic } from '../tables/topics-table.js';

type Result = Record<string, XmlValue> | undefined;

async function taggedTopic(deps: SnsDeps, arn: string | undefined): Promise<Topic> {
  if (arn === undefined) throw snsErrors.validationNull('resourceArn');
  const topic = await deps.topics.get(parseTopicArn(arn, 'ResourceArn').arn);
  if (!topic) throw snsErrors.resourceNotFound();
  return topic;
}

export async function tagResource(deps: SnsDeps, { params }: SnsRequest): Promise<Result> {
  const topic = await taggedTopic(deps, params.get('ResourceArn'));
  const tags = { ...topic.tags, ...readTags(params) };
  if (Object.keys(tags).length > MAX_TAGS_PER_TOPIC) throw snsErrors.tagLimitExceeded();
  await deps.topics.setTags(topic.arn, tags);
  return {};
}

export async function untagResource(deps: SnsDeps, { params }: SnsRequest): Promise<Result> {
  const topic = await taggedTopic(deps, params.get('ResourceArn'));
  const tags = { ...topic.tags };
  for (const key of params.scalarList('TagKeys')) delete tags[key];
  await deps.topics.setTags(topic.arn, tags);
  return {};
}

export async function listTagsForResource(deps: SnsDeps, { params }: SnsRequest): Promise<Result> {
  const topic = await taggedTopic(deps, params.get('ResourceArn'));
  return { Tags: xmlList(Object.entries(topic.tags).map(([Key, Value]) => ({ Key, Value }))) };
}
