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
  const added = readTags(params);
  const changed = await deps.topics.change(topic.arn, 'tags', (current) => {
    const tags = { ...current.tags, ...added };
    if (Object.keys(tags).length > MAX_TAGS_PER_TOPIC) throw snsErrors.tagLimitExceeded();
    return tags;
  });
  if (!changed) throw snsErrors.resourceNotFound();
  return {};
}

export async function untagResource(deps: SnsDeps, { params }: SnsRequest): Promise<Result> {
  const topic = await taggedTopic(deps, params.get('ResourceArn'));
  const keys = params.scalarList('TagKeys');
  const changed = await deps.topics.change(topic.arn, 'tags', (current) => {
    const tags = { ...current.tags };
    for (const key of keys) delete tags[key];
    return tags;
  });
  if (!changed) throw snsErrors.resourceNotFound();
  return {};
}

export async function listTagsForResource(deps: SnsDeps, { params }: SnsRequest): Promise<Result> {
  const topic = await taggedTopic(deps, params.get('ResourceArn'));
  return { Tags: xmlList(Object.entries(topic.tags).map(([Key, Value]) => ({ Key, Value }))) };
}
