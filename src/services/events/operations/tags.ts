import type { JsonRpcHandler } from '../../../protocols/json-rpc.js';
import { parseResourceArn } from '../arns.js';
import type { EventsDeps } from '../deps.js';
import { errors } from '../errors.js';
import { findBus } from '../tables/buses.js';
import { findRule } from '../tables/rules.js';
import { ConstraintCheck } from '../validation.js';

export function tagsFromList(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(list)) for (const t of list as Array<{ Key?: unknown; Value?: unknown }>) if (typeof t?.Key === 'string') out[t.Key] = String(t.Value ?? '');
  return out;
}

export function tagsToList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** Tags live on the bus or rule row; the ARN says which. */
export function tagOperations(deps: EventsDeps): Record<string, JsonRpcHandler> {
  const { db, clock } = deps;

  async function locate(arn: unknown, caller: { accountId: string }) {
    new ConstraintCheck().required(arn, 'resourceARN').throwIfAny();
    const parsed = parseResourceArn(String(arn));
    // Another account's resources are not the caller's to see or tag.
    if (!parsed || parsed.accountId !== caller.accountId) throw errors.resourceArnNotFound(String(arn));
    const scope = { accountId: parsed.accountId, region: parsed.region };
    if (parsed.kind === 'bus') {
      const bus = await findBus(db, scope, parsed.busName, clock.now());
      if (!bus) throw errors.busNotFound(parsed.busName);
      return {
        tags: JSON.parse(bus.tags) as Record<string, string>,
        save: (tags: Record<string, string>) =>
          db.updateTable('events_buses').set({ tags: JSON.stringify(tags) }).where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', parsed.busName).execute(),
      };
    }
    const rule = await findRule(db, scope, parsed.busName, parsed.ruleName);
    if (!rule) throw errors.ruleNotFound(parsed.ruleName, parsed.busName);
    return {
      tags: JSON.parse(rule.tags) as Record<string, string>,
      save: (tags: Record<string, string>) =>
        db
          .updateTable('events_rules')
          .set({ tags: JSON.stringify(tags) })
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('bus_name', '=', parsed.busName)
          .where('name', '=', parsed.ruleName)
          .execute(),
    };
  }

  return {
    async TagResource(input, ctx) {
      new ConstraintCheck().required(input.Tags, 'tags').throwIfAny();
      const target = await locate(input.ResourceARN, ctx);
      await target.save({ ...target.tags, ...tagsFromList(input.Tags) });
      return {};
    },
    async UntagResource(input, ctx) {
      new ConstraintCheck().required(input.TagKeys, 'tagKeys').throwIfAny();
      const target = await locate(input.ResourceARN, ctx);
      const tags = { ...target.tags };
      for (const key of Array.isArray(input.TagKeys) ? input.TagKeys : []) delete tags[String(key)];
      await target.save(tags);
      return {};
    },
    async ListTagsForResource(input, ctx) {
      const target = await locate(input.ResourceARN, ctx);
      return { Tags: tagsToList(target.tags) };
    },
  };
}
