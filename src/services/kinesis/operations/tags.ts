import type { Store } from '../../../store/database.js';
import { parseConsumerArn, parseStreamArn, type StreamKey } from '../arns.js';
import type { KinesisDeps, KinesisOperation } from '../deps.js';
import { errors } from '../errors.js';
import { DEFAULT_LIST_TAGS_LIMIT, MAX_TAG_KEY_CHARS, MAX_TAG_KEYS_PER_CALL, MAX_TAG_VALUE_CHARS, MAX_TAGS_PER_CALL, MAX_TAGS_PER_STREAM } from '../limits.js';
import { requireStream } from '../stream-lookup.js';
import { findConsumer } from '../tables/consumers.js';
import { tagsOf } from '../tables/streams.js';
import { ConstraintCheck, int, str, streamKeyOf } from '../validation.js';

// Unicode letters, digits, white space and _ . / = + - % @ (AWS's tag character set).
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@%]*$/u;

/** A Tags map checked against the model and AWS's rules; `existing` tags count towards the limit. */
export function checkTags(value: unknown, existing: number, key: StreamKey): Record<string, string> {
  if (value === undefined || value === null) return {};
  const check = new ConstraintCheck();
  const tags: Record<string, string> = {};
  if (typeof value !== 'object' || Array.isArray(value)) throw errors.serialization('Tags must be a map of strings.');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_TAGS_PER_CALL) throw errors.constraint([`Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TAGS_PER_CALL}`]);
  for (const [k, v] of entries) {
    check.length(k, 'tags', 1, MAX_TAG_KEY_CHARS).length(v, 'tags', 0, MAX_TAG_VALUE_CHARS);
    tags[k] = typeof v === 'string' ? v : String(v ?? '');
  }
  check.throwIfAny();
  if (Object.entries(tags).some(([k, v]) => !TAG_CHARACTERS.test(k) || !TAG_CHARACTERS.test(v))) throw errors.invalidTagCharacters();
  if (existing + entries.length > MAX_TAGS_PER_STREAM) throw errors.tooManyTags(key.name, key.accountId);
  return tags;
}

function tagKeys(value: unknown): string[] {
  new ConstraintCheck().required(value, 'tagKeys').listLength(value, 'tagKeys', 1, MAX_TAG_KEYS_PER_CALL).throwIfAny();
  return (value as unknown[]).map(String);
}

function tagList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key]! }));
}

type TagEdit = (tags: Record<string, string>) => Record<string, string>;

/**
 * The row holding a tagged resource's tags: a stream or one of its consumers. `change` reads its
 * tags, edits them and writes them back in one transaction: from an earlier read, tags added at
 * once each wrote back the resource's tags without the others' (on PostgreSQL). `edit` may run
 * again (a transaction the store retries) and may throw to refuse.
 */
async function taggedResource(db: Store, arn: unknown, caller: { accountId: string; region: string }) {
  new ConstraintCheck().required(arn, 'resourceARN').throwIfAny();
  const text = String(arn);
  const consumer = parseConsumerArn(text);
  const streamKey = consumer ?? parseStreamArn(text);
  if (!streamKey) throw errors.invalidResourceArn(text);
  if (streamKey.accountId !== caller.accountId || streamKey.region !== caller.region) throw errors.streamNotFound(streamKey.name, caller.accountId);
  const stream = await requireStream(db, streamKey);
  if (!consumer) {
    return {
      tags: tagsOf(stream),
      key: streamKey,
      change: (edit: TagEdit) =>
        db.transaction().execute(async (trx) => {
          const row = await trx.selectFrom('kinesis_streams').select('tags').where('id', '=', stream.id).executeTakeFirst();
          if (!row) throw errors.streamNotFound(streamKey.name, caller.accountId);
          await trx.updateTable('kinesis_streams').set({ tags: JSON.stringify(edit(tagsOf(row))) }).where('id', '=', stream.id).execute();
        }),
    };
  }
  const row = await findConsumer(db, stream.id, consumer.consumerName);
  if (!row || Math.floor(row.created_at / 1000) !== consumer.createdAtSeconds) throw errors.consumerNotFound(consumer.consumerName, stream.name, stream.account_id);
  return {
    tags: tagsOf(row),
    key: streamKey,
    change: (edit: TagEdit) =>
      db.transaction().execute(async (trx) => {
        const current = await trx.selectFrom('kinesis_consumers').select('tags').where('stream_id', '=', stream.id).where('name', '=', row.name).executeTakeFirst();
        if (!current) throw errors.consumerNotFound(consumer.consumerName, stream.name, stream.account_id);
        await trx.updateTable('kinesis_consumers').set({ tags: JSON.stringify(edit(tagsOf(current))) }).where('stream_id', '=', stream.id).where('name', '=', row.name).execute();
      }),
  };
}

export function tagOperations(deps: KinesisDeps): Record<string, KinesisOperation> {
  const { db } = deps;
  const addTags = async (tagsValue: unknown, resource: Awaited<ReturnType<typeof taggedResource>>) => {
    new ConstraintCheck().required(tagsValue, 'tags').throwIfAny();
    const adding = checkTags(tagsValue, 0, resource.key);
    await resource.change((current) => {
      const merged = { ...current, ...adding };
      if (Object.keys(merged).length > MAX_TAGS_PER_STREAM) throw errors.tooManyTags(resource.key.name, resource.key.accountId);
      return merged;
    });
  };
  const removeTags = async (keysValue: unknown, resource: Awaited<ReturnType<typeof taggedResource>>) => {
    const keys = tagKeys(keysValue);
    if (keys.some((k) => !TAG_CHARACTERS.test(k))) throw errors.invalidTagCharacters();
    await resource.change((current) => {
      const remaining = { ...current };
      for (const k of keys) delete remaining[k];
      return remaining;
    });
  };
  const streamResource = async (input: Record<string, unknown>, caller: { accountId: string; region: string }) =>
    taggedResource(db, input.StreamARN ?? `arn:aws:kinesis:${caller.region}:${caller.accountId}:stream/${str(input.StreamName) ?? ''}`, caller);

  return {
    async AddTagsToStream(input, ctx) {
      streamKeyOf(input, ctx);
      await addTags(input.Tags, await streamResource(input, ctx));
    },
    async RemoveTagsFromStream(input, ctx) {
      streamKeyOf(input, ctx);
      await removeTags(input.TagKeys, await streamResource(input, ctx));
    },
    async ListTagsForStream(input, ctx) {
      new ConstraintCheck().range(input.Limit, 'limit', 1, DEFAULT_LIST_TAGS_LIMIT).length(input.ExclusiveStartTagKey, 'exclusiveStartTagKey', 1, MAX_TAG_KEY_CHARS).throwIfAny();
      const stream = await requireStream(db, streamKeyOf(input, ctx));
      const after = str(input.ExclusiveStartTagKey);
      const all = tagList(tagsOf(stream)).filter((t) => after === undefined || t.Key > after);
      const limit = int(input.Limit) ?? DEFAULT_LIST_TAGS_LIMIT;
      return { Tags: all.slice(0, limit), HasMoreTags: all.length > limit };
    },
    async TagResource(input, ctx) {
      await addTags(input.Tags, await taggedResource(db, input.ResourceARN, ctx));
    },
    async UntagResource(input, ctx) {
      await removeTags(input.TagKeys, await taggedResource(db, input.ResourceARN, ctx));
    },
    async ListTagsForResource(input, ctx) {
      return { Tags: tagList((await taggedResource(db, input.ResourceARN, ctx)).tags) };
    },
  };
}
