import { createHash, randomUUID } from 'node:crypto';
import type { AwsError } from '../../contracts/aws-error.js';
import type { SnsDeps } from './deps.js';
import { snsErrors } from './errors.js';
import { deliveriesFor } from './fan-out.js';
import { FIFO_DEDUP_WINDOW_MS, MAX_MESSAGE_BYTES, MAX_SUBJECT_LENGTH } from './limits.js';
import { attributesSize, type MessageAttribute } from './message-attributes.js';
import type { PublishedMessage } from './notification.js';
import { renderingFor } from './rendering.js';
import type { Topic } from './tables/topics-table.js';
import { isFifoTopic } from './topic-attributes.js';
import { nextSequenceNumber } from './sequence-numbers.js';

export interface PublishInput {
  message: string | undefined;
  subject?: string;
  messageStructure?: string;
  attributes: Record<string, MessageAttribute>;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

export interface Prepared {
  message: string;
  perProtocol?: Record<string, string>;
  input: PublishInput;
  dedupId?: string;
}

/** Checks one message as AWS does; throws the AwsError AWS would send. No topic: a direct SMS. */
export function preparePublish(topic: Topic | undefined, input: PublishInput): Prepared {
  if (input.message === undefined) throw snsErrors.validationNull('message');
  if (input.message === '') throw snsErrors.emptyMessage();
  if (input.subject !== undefined && (input.subject === '' || input.subject.length > MAX_SUBJECT_LENGTH || !/^[\x20-\x7e]+$/.test(input.subject) || /^\s/.test(input.subject))) {
    throw snsErrors.subject();
  }
  if (Buffer.byteLength(input.message) + attributesSize(input.attributes) > MAX_MESSAGE_BYTES) throw snsErrors.messageTooLong();
  let message = input.message;
  let perProtocol: Record<string, string> | undefined;
  if (input.messageStructure !== undefined) {
    if (input.messageStructure !== 'json') throw snsErrors.invalidParameter('MessageStructure');
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.message);
    } catch {
      throw snsErrors.structureNotJson();
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw snsErrors.structureNotJson();
    const entries = parsed as Record<string, unknown>;
    if (typeof entries.default !== 'string') throw snsErrors.noDefaultEntry();
    message = entries.default;
    perProtocol = {};
    for (const [k, v] of Object.entries(entries)) if (typeof v === 'string') perProtocol[k] = v;
  }
  let dedupId: string | undefined;
  if (topic && isFifoTopic(topic)) {
    if (!input.messageGroupId) throw snsErrors.groupIdRequired();
    dedupId = input.messageDeduplicationId;
    if (!dedupId) {
      if (topic.attributes.ContentBasedDeduplication !== 'true') throw snsErrors.dedupRequired();
      dedupId = createHash('sha256').update(input.message).digest('hex');
    }
  } else if (input.messageDeduplicationId !== undefined) {
    throw snsErrors.dedupIdOnStandard();
  }
  return { message, perProtocol, input, dedupId };
}

/**
 * Stores one message's deliveries (and its FIFO deduplication record) in one transaction, then
 * wakes the drainer: once this resolves, a crash loses nothing.
 */
export async function publishPrepared(deps: SnsDeps, topic: Topic, prepared: Prepared[]): Promise<{ messageId: string; sequenceNumber?: string }[]> {
  const now = deps.clock.now();
  const subscriptions = await deps.subscriptions.ofTopic(topic.arn);
  const rendering = await renderingFor(deps, topic.attributes);
  const fifo = isFifoTopic(topic);
  const results: { messageId: string; sequenceNumber?: string }[] = [];
  await deps.db.transaction().execute(async (trx) => {
    if (fifo) await trx.deleteFrom('sns_fifo_dedup').where('topic_arn', '=', topic.arn).where('expires_at', '<', now).execute();
    for (const p of prepared) {
      if (fifo && p.dedupId) {
        const seen = await trx
          .selectFrom('sns_fifo_dedup')
          .select(['message_id', 'sequence_number'])
          .where('topic_arn', '=', topic.arn)
          .where('dedup_id', '=', p.dedupId)
          .executeTakeFirst();
        if (seen) {
          results.push({ messageId: seen.message_id, sequenceNumber: seen.sequence_number });
          continue;
        }
      }
      const msg: PublishedMessage = {
        messageId: randomUUID(),
        topicArn: topic.arn,
        subject: p.input.subject,
        message: p.message,
        perProtocol: p.perProtocol,
        attributes: p.input.attributes,
        timestamp: new Date(now).toISOString(),
        messageGroupId: p.input.messageGroupId,
        messageDeduplicationId: fifo ? p.dedupId : undefined,
        sequenceNumber: fifo ? await nextSequenceNumber(trx, topic.arn, now) : undefined,
      };
      if (fifo && p.dedupId) {
        await trx
          .insertInto('sns_fifo_dedup')
          .values({ topic_arn: topic.arn, dedup_id: p.dedupId, message_id: msg.messageId, sequence_number: msg.sequenceNumber!, expires_at: now + FIFO_DEDUP_WINDOW_MS })
          .execute();
      }
      await deps.deliveries.insert(trx, deliveriesFor(topic, subscriptions, msg, rendering), now);
      results.push({ messageId: msg.messageId, sequenceNumber: msg.sequenceNumber });
    }
  });
  deps.drainer.kick();
  return results;
}

export function isAwsError(err: unknown): err is AwsError {
  return err instanceof Error && typeof (err as AwsError).code === 'string' && typeof (err as AwsError).status === 'number';
}
