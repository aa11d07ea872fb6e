import { parseTableArn } from '../arns.js';
import { MAX_TAGS_PER_RESOURCE } from '../api-limits.js';
import type { DynamodbDeps, DynamodbOperation } from '../deps.js';
import { errors } from '../errors.js';
import { findTable, setTags } from '../tables/tables.js';
import type { Table } from '../table-model.js';
import { ConstraintCheck, list, record, str } from '../validation.js';
import type { Store } from '../../../store/database.js';

type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

export interface Tag {
  Key: string;
  Value: string;
}

/** A `Tags` list, checked against the model (key 1–128, value 0–256 characters). */
export function checkTagList(value: unknown, member = 'tags'): Tag[] {
  const tags = (list(value) ?? []).map((t) => record(t) ?? {});
  const check = new ConstraintCheck();
  tags.forEach((t, i) => {
    check.required(t.Key, `${member}.${i + 1}.member.key`).required(t.Value, `${member}.${i + 1}.member.value`);
    if (typeof t.Key === 'string' && (t.Key.length < 1 || t.Key.length > 128)) {
      check.add(`Value '${t.Key}' at '${member}.${i + 1}.member.key' failed to satisfy constraint: Member must have length ${t.Key.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 128'}`);
    }
    if (typeof t.Value === 'string' && t.Value.length > 256) check.add(`Value '${t.Value}' at '${member}.${i + 1}.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`);
  });
  check.throwIfAny();
  return tags.map((t) => ({ Key: t.Key as string, Value: t.Value as string }));
}

export function tagOperations(deps: DynamodbDeps): Record<string, DynamodbOperation> {
  const { db } = deps;
  /** The table an ARN names; another account's or region's is not found (no resource policies). */
  const tableOfArn = async (db: Db, value: unknown, caller: { accountId: string; region: string }): Promise<Table> => {
    new ConstraintCheck().required(value, 'resourceArn').throwIfAny();
    const arn = str(value)!;
    const parsed = parseTableArn(arn);
    if (!parsed) throw errors.invalidTableArn(arn);
    const table = parsed.accountId === caller.accountId && parsed.region === caller.region ? await findTable(db, parsed) : undefined;
    if (!table) throw errors.resourceArnNotFound(arn);
    return table;
  };
  return {
    async TagResource(input, ctx) {
      const tags = checkTagList(input.Tags);
      new ConstraintCheck().required(input.Tags, 'tags').throwIfAny();
      await deps.tables.writing(db, async (tx) => {
        const table = await tableOfArn(tx, input.ResourceArn, ctx);
        const merged = { ...table.tags, ...Object.fromEntries(tags.map((t) => [t.Key, t.Value])) };
        if (Object.keys(merged).length > MAX_TAGS_PER_RESOURCE) throw errors.tooManyTags();
        await setTags(tx, table.id, merged);
      });
    },

    async UntagResource(input, ctx) {
      new ConstraintCheck().required(input.TagKeys, 'tagKeys').throwIfAny();
      await deps.tables.writing(db, async (tx) => {
        const table = await tableOfArn(tx, input.ResourceArn, ctx);
        const remaining = { ...table.tags };
        for (const key of list(input.TagKeys) ?? []) if (typeof key === 'string') delete remaining[key];
        await setTags(tx, table.id, remaining);
      });
    },

    async ListTagsOfResource(input, ctx) {
      const table = await tableOfArn(db, input.ResourceArn, ctx);
      return { Tags: Object.entries(table.tags).map(([Key, Value]) => ({ Key, Value })) };
    },
  };
}
