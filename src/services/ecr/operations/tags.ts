import type { EcrDeps, EcrOperation } from '../deps.js';
import { errors } from '../errors.js';
import { requiredString } from '../input.js';
import { MAX_TAGS_PER_REPOSITORY } from '../limits.js';
import { parseRepositoryArn, type RepositoryKey } from '../names.js';
import { findRepository, tagsOf, updateRepository } from '../tables/repositories.js';

type Tag = { Key: string; Value: string };

/** A `tags` list checked as ECR checks it; `existing` tags count towards the 50-tag limit. */
export function checkTags(value: unknown, existing: number): Tag[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw errors.serialization('tags must be a list');
  const tags = value.map((t) => {
    const tag = (t ?? {}) as { Key?: unknown; Value?: unknown };
    if (typeof tag.Key !== 'string' || tag.Key.length < 1 || tag.Key.length > 128) throw errors.invalidTagParameter('Tag key must be between 1 and 128 characters.');
    if (typeof tag.Value !== 'string' || tag.Value.length > 256) throw errors.invalidTagParameter('Tag value must be between 0 and 256 characters.');
    if (tag.Key.startsWith('aws:')) throw errors.invalidTagParameter("Tag keys cannot start with 'aws:'.");
    return { Key: tag.Key, Value: tag.Value };
  });
  if (existing + tags.length > MAX_TAGS_PER_REPOSITORY) throw errors.tooManyTags(existing + tags.length, MAX_TAGS_PER_REPOSITORY);
  return tags;
}

export function tagOperations(deps: EcrDeps): Record<string, EcrOperation> {
  const { db } = deps;
  async function tagged(input: Record<string, unknown>, ctx: { accountId: string; region: string }) {
    const arn = requiredString(input, 'resourceArn');
    const key = parseRepositoryArn(arn);
    if (!key) throw errors.invalidArn(arn);
    if (key.accountId !== ctx.accountId || key.region !== ctx.region) throw errors.repositoryNotFound(key.name, key.accountId);
    const row = await findRepository(db, key);
    if (!row) throw errors.repositoryNotFound(key.name, key.accountId);
    return { key, tags: tagsOf(row) };
  }
  /**
   * Reads the repository's tags, edits them and writes them back in one transaction: from an
   * earlier read, tags added at once each wrote back the tags without the others' (on
   * PostgreSQL). `edit` may run again (a transaction the store retries) and may throw to refuse.
   */
  function changeTags(key: RepositoryKey, edit: (tags: Tag[]) => Tag[]): Promise<void> {
    return db.transaction().execute(async (trx) => {
      const row = await findRepository(trx, key);
      if (!row) throw errors.repositoryNotFound(key.name, key.accountId);
      await updateRepository(trx, key, { tags: JSON.stringify(edit(tagsOf(row))) });
    });
  }
  return {
    async ListTagsForResource(input, ctx) {
      return { tags: (await tagged(input, ctx)).tags };
    },
    async TagResource(input, ctx) {
      const { key } = await tagged(input, ctx);
      const added = checkTags(input.tags, 0);
      await changeTags(key, (tags) => {
        const merged = new Map(tags.map((t) => [t.Key, t.Value]));
        for (const t of added) merged.set(t.Key, t.Value);
        if (merged.size > MAX_TAGS_PER_REPOSITORY) throw errors.tooManyTags(merged.size, MAX_TAGS_PER_REPOSITORY);
        return [...merged].map(([Key, Value]) => ({ Key, Value }));
      });
      return {};
    },
    async UntagResource(input, ctx) {
      const { key } = await tagged(input, ctx);
      if (!Array.isArray(input.tagKeys)) throw errors.validation(["Value null at 'tagKeys' failed to satisfy constraint: Member must not be null"]);
      const drop = new Set(input.tagKeys.map(String));
      await changeTags(key, (tags) => tags.filter((t) => !drop.has(t.Key)));
      return {};
    },
  };
}
