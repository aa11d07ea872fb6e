import type { XmlValue } from '../../../protocols/xml-writer.js';
import type { SnsDeps, SnsRequest } from '../deps.js';
import { snsErrors } from '../errors.js';
import { defaultTopicPolicy } from '../topic-attributes.js';
import type { Topic } from '../tables/topics-table.js';
import { loadTopic } from './topics.js';

type Result = Record<string, XmlValue> | undefined;

interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Array<Record<string, unknown>>;
}

/** The topic's policy to edit: the stored one, or the default policy AWS gives every topic. */
function policyDocument(topic: Topic): PolicyDocument {
  const parsed = JSON.parse(topic.attributes.Policy || defaultTopicPolicy(topic.arn, topic.accountId)) as { Statement?: unknown };
  const statements = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  return { ...(parsed as object), Statement: statements as Array<Record<string, unknown>> };
}

const one = (values: string[]): string | string[] => (values.length === 1 ? values[0]! : values);

/** AddPermission: a statement named by its Label letting the accounts take the actions on the topic. */
export async function addPermission(deps: SnsDeps, { params }: SnsRequest): Promise<Result> {
  const topic = await loadTopic(deps, params.get('TopicArn'));
  const label = params.get('Label');
  if (label === undefined) throw snsErrors.validationNull('label');
  const accounts = params.scalarList('AWSAccountId');
  const actions = params.scalarList('ActionName');
  if (accounts.length === 0) throw snsErrors.validationNull('aWSAccountId');
  if (actions.length === 0) throw snsErrors.validationNull('actionName');
  const changed = await deps.topics.change(topic.arn, 'attributes', (current) => {
    const doc = policyDocument(current);
    if (doc.Statement.some((s) => s.Sid === label)) throw snsErrors.invalidParameter('Statement already exists');
    doc.Statement.push({
      Sid: label,
      Effect: 'Allow',
      Principal: { AWS: one(accounts.map((a) => (/^\d{12}$/.test(a) ? `arn:aws:iam::${a}:root` : a))) },
      Action: one(actions.map((a) => `SNS:${a}`)),
      Resource: current.arn,
    });
    return { ...current.attributes, Policy: JSON.stringify(doc) };
  });
  if (!changed) throw snsErrors.topicNotFound();
  return undefined;
}

/** RemovePermission: drops the statement named `Label` (an unknown label changes nothing, as on AWS). */
export async function removePermission(deps: SnsDeps, { params }: SnsRequest): Promise<Result> {
  const topic = await loadTopic(deps, params.get('TopicArn'));
  const label = params.get('Label');
  if (label === undefined) throw snsErrors.validationNull('label');
  const changed = await deps.topics.change(topic.arn, 'attributes', (current) => {
    const doc = policyDocument(current);
    const kept = doc.Statement.filter((s) => s.Sid !== label);
    return kept.length === doc.Statement.length ? null : { ...current.attributes, Policy: JSON.stringify({ ...doc, Statement: kept }) };
  });
  if (!changed) throw snsErrors.topicNotFound();
  return undefined;
}
