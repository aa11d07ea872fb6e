import { xmlList, type QueryParams } from '../../../protocols/query.js';
import type { XmlValue } from '../../../protocols/xml-writer.js';
import { parseTopicArn } from '../arns.js';
import { publishToPhone } from '../direct-sms.js';
import type { SnsDeps, SnsRequest } from '../deps.js';
import { snsErrors } from '../errors.js';
import { MAX_BATCH_BYTES, MAX_BATCH_ENTRIES, MAX_BATCH_ENTRY_ID_LENGTH } from '../limits.js';
import { readMessageAttributes } from '../message-attributes.js';
import { isAwsError, preparePublish, publishPrepared, type Prepared, type PublishInput } from '../publishing.js';
import type { Topic } from '../tables/topics-table.js';
import { loadTopic } from './topics.js';

type Result = Record<string, XmlValue> | undefined;

function readInput(params: QueryParams, attributesPath: string): PublishInput {
  return {
    message: params.get('Message'),
    subject: params.get('Subject'),
    messageStructure: params.get('MessageStructure'),
    attributes: readMessageAttributes(params, 'MessageAttributes', attributesPath),
    messageGroupId: params.get('MessageGroupId'),
    messageDeduplicationId: params.get('MessageDeduplicationId'),
  };
}

async function publishTarget(deps: SnsDeps, params: QueryParams): Promise<Topic> {
  const topicArn = params.get('TopicArn');
  const targetArn = params.get('TargetArn');
  if (topicArn !== undefined) return loadTopic(deps, topicArn);
  if (targetArn !== undefined) {
    if (targetArn.includes(':endpoint/')) throw snsErrors.noTargetEndpoint();
    return loadTopic(deps, targetArn, 'TargetArn');
  }
  throw snsErrors.invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
}

export async function publish(deps: SnsDeps, { ctx, params }: SnsRequest): Promise<Result> {
  const phoneNumber = params.get('PhoneNumber');
  if (phoneNumber !== undefined && params.get('TopicArn') === undefined && params.get('TargetArn') === undefined) {
    const { messageId } = await publishToPhone(deps, ctx, phoneNumber, readInput(params, 'messageAttributes'));
    return { MessageId: messageId };
  }
  const topic = await publishTarget(deps, params);
  const prepared = preparePublish(topic, readInput(params, 'messageAttributes'));
  const [result] = await publishPrepared(deps, topic, [prepared]);
  return { MessageId: result!.messageId, SequenceNumber: result!.sequenceNumber };
}

export async function publishBatch(deps: SnsDeps, { params }: SnsRequest): Promise<Result> {
  const arn = params.get('TopicArn');
  if (arn === undefined) throw snsErrors.validationNull('topicArn');
  parseTopicArn(arn);
  const entries = params.list('PublishBatchRequestEntries');
  if (entries.length === 0) throw snsErrors.emptyBatch();
  if (entries.length > MAX_BATCH_ENTRIES) throw snsErrors.tooManyEntries();
  const ids = new Set<string>();
  let totalBytes = 0;
  for (const entry of entries) {
    const id = entry.get('Id') ?? '';
    if (id.length > MAX_BATCH_ENTRY_ID_LENGTH) throw snsErrors.batchIdTooLong(id);
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw snsErrors.batchIdCharacter(id);
    if (ids.has(id)) throw snsErrors.batchIdsNotDistinct();
    ids.add(id);
    totalBytes += Buffer.byteLength(entry.get('Message') ?? '');
  }
  if (totalBytes > MAX_BATCH_BYTES) throw snsErrors.batchTooLong();
  const topic = await loadTopic(deps, arn);

  const accepted: { id: string; prepared: Prepared }[] = [];
  const failed: XmlValue[] = [];
  entries.forEach((entry, i) => {
    const id = entry.get('Id')!;
    try {
      const input = readInput(entry, `publishBatchRequestEntries.${i + 1}.member.messageAttributes`);
      accepted.push({ id, prepared: preparePublish(topic, input) });
    } catch (err) {
      if (!isAwsError(err) || err.code === 'ValidationError') throw err;
      failed.push({ Id: id, Code: err.code, Message: err.message, SenderFault: 'true' });
    }
  });
  const results = accepted.length > 0 ? await publishPrepared(deps, topic, accepted.map((a) => a.prepared)) : [];
  return {
    Successful: xmlList(accepted.map((a, i) => ({ Id: a.id, MessageId: results[i]!.messageId, SequenceNumber: results[i]!.sequenceNumber }))),
    Failed: xmlList(failed),
  };
}
