import type { RequestContext } from '../../../contracts/request-context.js';
import type { SsmDeps, SsmOperation } from '../deps.js';
import { errors } from '../errors.js';
import { requiredString } from '../input.js';
import { nameFromIdentifier } from '../names.js';

const scopeOf = (ctx: RequestContext) => ({ accountId: ctx.accountId, region: ctx.region });

/** Only parameters can be tagged here; other SSM resource types do not exist in Lambkin. */
function parameterName(input: Record<string, unknown>): string {
  const type = requiredString(input, 'ResourceType');
  if (type !== 'Parameter') throw errors.invalidResourceType();
  return nameFromIdentifier(requiredString(input, 'ResourceId'));
}

/** AddTagsToResource, RemoveTagsFromResource, ListTagsForResource on parameters. */
export function tagOperations({ parameters }: SsmDeps): Record<string, SsmOperation> {
  return {
    async AddTagsToResource(input, ctx) {
      const name = parameterName(input);
      const tags = Array.isArray(input.Tags) ? (input.Tags as Array<{ Key?: unknown; Value?: unknown }>) : [];
      const ok = await parameters.changeTags(scopeOf(ctx), name, (current) => {
        for (const tag of tags) if (typeof tag.Key === 'string') current[tag.Key] = typeof tag.Value === 'string' ? tag.Value : '';
      });
      if (!ok) throw errors.invalidResourceId();
      return {};
    },
    async RemoveTagsFromResource(input, ctx) {
      const name = parameterName(input);
      const keys = Array.isArray(input.TagKeys) ? input.TagKeys : [];
      const ok = await parameters.changeTags(scopeOf(ctx), name, (current) => {
        for (const key of keys) if (typeof key === 'string') delete current[key];
      });
      if (!ok) throw errors.invalidResourceId();
      return {};
    },
    async ListTagsForResource(input, ctx) {
      const name = parameterName(input);
      const tags = await parameters.tags(scopeOf(ctx), name);
      if (!tags) throw errors.invalidResourceId();
      return { TagList: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
    },
  };
}
