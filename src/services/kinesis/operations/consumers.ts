import { parseConsumerArn, type StreamKey } from '../arns.js';
import type { KinesisDeps, KinesisOperation } from '../deps.js';
import { errors } from '../errors.js';
import { DEFAULT_LIST_CONSUMERS_LIMIT, MAX_CONSUMERS_PER_STREAM, MAX_LIST_CONSUMERS_LIMIT } from '../limits.js';
import { decodeToken, encodeToken, requireStream } from '../stream-lookup.js';
import { consumerTransition } from '../stream-states.js';
import { findConsumer, listConsumers, type ConsumerRow } from '../tables/consumers.js';
import type { StreamRow } from '../tables/streams.js';
import { arnOf, consumerView } from '../views.js';
import { ConstraintCheck, int, str, STREAM_NAME, streamKeyOf } from '../validation.js';
import { checkTags } from './tags.js';

/**
 * Registered consumers (enhanced fan-out): their lifecycle and ARNs. SubscribeToShard, the push
 * they exist for, is `subscribe-to-shard.ts`.
 */
export function consumerOperations(deps: KinesisDeps): Record<string, KinesisOperation> {
  const { db, clock } = deps;

  const checkName = (value: unknown) => new ConstraintCheck().length(value, 'consumerName', 1, 128).pattern(value, 'consumerName', STREAM_NAME);

  /** The consumer named by ConsumerARN, or by StreamARN and ConsumerName. */
  const resolve = async (input: Record<string, unknown>, caller: { accountId: string; region: string }): Promise<{ stream: StreamRow; consumer: ConsumerRow }> => {
    checkName(input.ConsumerName).throwIfAny();
    let key: StreamKey;
    let name: string;
    let createdAtSeconds: number | undefined;
    if (typeof input.ConsumerARN === 'string') {
      const parsed = parseConsumerArn(input.ConsumerARN);
      if (!parsed) throw errors.constraint([`Value '${input.ConsumerARN}' at 'consumerARN' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/[a-zA-Z0-9_.-]+:[0-9]+`]);
      if (parsed.accountId !== caller.accountId || parsed.region !== caller.region) throw errors.streamNotFound(parsed.name, caller.accountId);
      key = parsed;
      name = parsed.consumerName;
      createdAtSeconds = parsed.createdAtSeconds;
    } else {
      if (typeof input.StreamARN !== 'string' || typeof input.ConsumerName !== 'string') throw errors.consumerIdentifierRequired();
      key = streamKeyOf({ StreamARN: input.StreamARN }, caller);
      name = input.ConsumerName;
    }
    const stream = await requireStream(db, key);
    const consumer = await findConsumer(db, stream.id, name);
    if (!consumer || (createdAtSeconds !== undefined && Math.floor(consumer.created_at / 1000) !== createdAtSeconds)) {
      throw errors.consumerNotFound(name, stream.name, stream.account_id);
    }
    return { stream, consumer };
  };

  return {
    async RegisterStreamConsumer(input, ctx) {
      checkName(input.ConsumerName).required(input.StreamARN, 'streamARN').required(input.ConsumerName, 'consumerName').throwIfAny();
      const key = streamKeyOf({ StreamARN: input.StreamARN }, ctx);
      const name = str(input.ConsumerName)!;
      const tags = checkTags(input.Tags, 0, key);
      const now = clock.now();
      const until = now + deps.transitionDelayMs;
      const { stream, row } = await db.transaction().execute(async (trx) => {
        const stream = await requireStream(trx, key);
        if (stream.status === 'DELETING') throw errors.streamNotActive(stream.name, stream.account_id, stream.status);
        if (await findConsumer(trx, stream.id, name)) throw errors.consumerExists(name, stream.name, stream.account_id);
        if ((await listConsumers(trx, stream.id)).length >= MAX_CONSUMERS_PER_STREAM) throw errors.tooManyConsumers(MAX_CONSUMERS_PER_STREAM);
        const row: ConsumerRow = { stream_id: stream.id, name, status: 'CREATING', status_until: until, tags: JSON.stringify(tags), created_at: now };
        await trx.insertInto('kinesis_consumers').values(row).execute();
        return { stream, row };
      });
      deps.onTransitionScheduled(until);
      return { Consumer: consumerView(stream, row) };
    },

    async DescribeStreamConsumer(input, ctx) {
      const { stream, consumer } = await resolve(input, ctx);
      return { ConsumerDescription: { ...consumerView(stream, consumer), StreamARN: arnOf(stream) } };
    },

    async ListStreamConsumers(input, ctx) {
      new ConstraintCheck().required(input.StreamARN, 'streamARN').range(input.MaxResults, 'maxResults', 1, MAX_LIST_CONSUMERS_LIMIT).throwIfAny();
      const stream = await requireStream(db, streamKeyOf({ StreamARN: input.StreamARN }, ctx));
      let after: string | undefined;
      if (typeof input.NextToken === 'string') {
        const doc = decodeToken(input.NextToken);
        if (!doc || typeof doc.after !== 'string') throw errors.invalidNextToken();
        after = doc.after;
      }
      const all = (await listConsumers(db, stream.id)).filter((c) => after === undefined || c.name > after);
      const limit = int(input.MaxResults) ?? DEFAULT_LIST_CONSUMERS_LIMIT;
      const page = all.slice(0, limit);
      return {
        Consumers: page.map((c) => consumerView(stream, c)),
        ...(all.length > limit ? { NextToken: encodeToken({ after: page[page.length - 1]!.name }) } : {}),
      };
    },

    async DeregisterStreamConsumer(input, ctx) {
      const { stream, consumer } = await resolve(input, ctx);
      // A consumer already being deleted is gone as far as callers are concerned.
      if (consumer.status === 'DELETING') throw errors.consumerNotFound(consumer.name, stream.name, stream.account_id);
      const until = clock.now() + deps.transitionDelayMs;
      await db
        .updateTable('kinesis_consumers')
        .set({ status: consumerTransition(consumer.status, 'deregister'), status_until: until })
        .where('stream_id', '=', consumer.stream_id)
        .where('name', '=', consumer.name)
        .execute();
      deps.onTransitionScheduled(until);
    },
  };
}
