import type { RequestContext } from '../../../contracts/request-context.js';
import { parseGroupArn, type GroupKey } from '../arns.js';
import type { LogsDeps, LogsOperation } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_TAGS_PER_GROUP } from '../limits.js';
import { requireGroup, tagsOf } from '../tables.js';
import { checkGroupName, ConstraintCheck } from '../validation.js';
import { groupKey } from '../named-group.js';

const TAG_KEY = { regex: /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, shown: '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$' };
const TAG_VALUE = { regex: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, shown: '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$' };

/** A tags map checked against the model; `required` for the Tag* calls, optional on CreateLogGroup. */
export function checkTags(value: unknown, existing: number, required: boolean): Record<string, string> {
  const check = new ConstraintCheck();
  if (required) check.required(value, 'tags');
  check.throwIfAny();
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw errors.serialization('Start of list found where not expected');
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    check.length(k, 'tags', 1, 128).pattern(k, 'tags', TAG_KEY).length(v, 'tags', 0, 256).pattern(v, 'tags', TAG_VALUE);
    tags[k] = typeof v === 'string' ? v : String(v ?? '');
  }
  const n = Object.keys(tags).length;
  if (required && n === 0) check.listLength([], 'tags', 1, MAX_TAGS_PER_GROUP);
  check.throwIfAny();
  if (existing + n > MAX_TAGS_PER_GROUP) throw errors.tooManyTags();
  return tags;
}

function resourceGroup(arn: unknown, ctx: RequestContext): GroupKey {
  new ConstraintCheck().required(arn, 'resourceArn').length(arn, 'resourceArn', 1, 1011).throwIfAny();
  const parsed = parseGroupArn(String(arn));
  if (!parsed) throw errors.invalidResourceArn(String(arn));
  if (parsed.accountId !== ctx.accountId || parsed.region !== ctx.region) throw errors.groupNotFound();
  return parsed;
}

export function tagOperations(deps: LogsDeps): Record<string, LogsOperation> {
  const { db } = deps;
  // The group's tags are read, changed and written back in one transaction, the tag limit checked
  // on what it read: from an earlier read, tags added at once each wrote back the group's tags
  // without the others' (on PostgreSQL). `edit` may run again (a transaction the store retries).
  const change = (g: GroupKey, edit: (tags: Record<string, string>) => Record<string, string>) =>
    db.transaction().execute(async (trx) => {
      const tags = edit(tagsOf(await requireGroup(trx, g)));
      await trx.updateTable('logs_groups').set({ tags: JSON.stringify(tags) }).where('account_id', '=', g.accountId).where('region', '=', g.region).where('name', '=', g.name).execute();
    });
  const add = async (g: GroupKey, value: unknown) => {
    await requireGroup(db, g);
    const adding = checkTags(value, 0, true);
    await change(g, (current) => {
      const merged = { ...current, ...adding };
      if (Object.keys(merged).length > MAX_TAGS_PER_GROUP) throw errors.tooManyTags();
      return merged;
    });
  };
  const remove = async (g: GroupKey, keys: unknown, member: string) => {
    new ConstraintCheck().required(keys, member).listLength(keys, member, member === 'tags' ? 1 : 0, 50).throwIfAny();
    await change(g, (current) => {
      for (const k of keys as unknown[]) delete current[String(k)];
      return current;
    });
  };
  return {
    async TagLogGroup(input, ctx) {
      await add(groupKey(ctx, checkGroupName(input.logGroupName)!), input.tags);
    },
    async UntagLogGroup(input, ctx) {
      await remove(groupKey(ctx, checkGroupName(input.logGroupName)!), input.tags, 'tags');
    },
    async ListTagsLogGroup(input, ctx) {
      return { tags: tagsOf(await requireGroup(db, groupKey(ctx, checkGroupName(input.logGroupName)!))) };
    },
    async TagResource(input, ctx) {
      await add(resourceGroup(input.resourceArn, ctx), input.tags);
    },
    async UntagResource(input, ctx) {
      await remove(resourceGroup(input.resourceArn, ctx), input.tagKeys, 'tagKeys');
    },
    async ListTagsForResource(input, ctx) {
      return { tags: tagsOf(await requireGroup(db, resourceGroup(input.resourceArn, ctx))) };
    },
  };
}
