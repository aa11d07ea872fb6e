import type { RequestContext } from '../../../contracts/request-context.js';
import type { SsmDeps, SsmOperation } from '../deps.js';
import { errors } from '../errors.js';
import { optionalBoolean, optionalString, requiredString, stringList } from '../input.js';
import { MAX_DELETE_PARAMETERS_NAMES, MAX_GET_PARAMETERS_NAMES } from '../limits.js';
import { nameFromIdentifier } from '../names.js';
import { parameterView } from '../views.js';

const scopeOf = (ctx: RequestContext) => ({ accountId: ctx.accountId, region: ctx.region });

/** Who LastModifiedUser names: the signing principal's ARN, or the account root. */
export function callerArn(ctx: RequestContext): string {
  const principal = ctx.principal as { arn?: string } | undefined;
  return principal?.arn ?? `arn:aws:iam::${ctx.accountId}:root`;
}

function tagList(value: unknown): Array<{ Key: string; Value: string }> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw errors.serialization('Unexpected value for Tags');
  return value.map((tag) => {
    const { Key, Value } = (tag ?? {}) as { Key?: unknown; Value?: unknown };
    if (typeof Key !== 'string' || typeof Value !== 'string') throw errors.validation('1 validation error detected: Value null at \'tags.1.member.key\' failed to satisfy constraint: Member must not be null');
    return { Key, Value };
  });
}

/** PutParameter, GetParameter, GetParameters, DeleteParameter, DeleteParameters. */
export function parameterOperations({ parameters }: SsmDeps): Record<string, SsmOperation> {
  return {
    async PutParameter(input, ctx) {
      const result = await parameters.put(scopeOf(ctx), {
        name: nameFromIdentifier(requiredString(input, 'Name')),
        value: requiredString(input, 'Value'),
        type: optionalString(input, 'Type'),
        description: optionalString(input, 'Description'),
        keyId: optionalString(input, 'KeyId'),
        overwrite: optionalBoolean(input, 'Overwrite'),
        allowedPattern: optionalString(input, 'AllowedPattern'),
        tags: tagList(input.Tags),
        tier: optionalString(input, 'Tier'),
        policies: optionalString(input, 'Policies'),
        dataType: optionalString(input, 'DataType'),
        modifiedBy: callerArn(ctx),
      });
      return { Version: result.version, Tier: result.tier };
    },

    // WithDecryption is accepted either way: SecureString values are kept as given.
    async GetParameter(input, ctx) {
      const identifier = requiredString(input, 'Name');
      const selected = await parameters.select(scopeOf(ctx), identifier);
      if (!selected) throw errors.parameterNotFound();
      return { Parameter: parameterView(scopeOf(ctx), selected.row, selected.selector) };
    },

    async GetParameters(input, ctx) {
      const identifiers = stringList(input, 'Names', 1, MAX_GET_PARAMETERS_NAMES);
      const found: Record<string, unknown>[] = [];
      const invalid: string[] = [];
      const seen = new Set<string>();
      for (const identifier of identifiers) {
        if (seen.has(identifier)) continue;
        seen.add(identifier);
        let selected;
        try {
          selected = await parameters.select(scopeOf(ctx), identifier);
        } catch (error) {
          // A missing version or label is an invalid name here, not an error.
          if ((error as { code?: string }).code === 'ParameterVersionNotFound') selected = undefined;
          else throw error;
        }
        if (selected) found.push(parameterView(scopeOf(ctx), selected.row, selected.selector));
        else invalid.push(identifier);
      }
      return { Parameters: found, InvalidParameters: invalid };
    },

    async DeleteParameter(input, ctx) {
      const name = nameFromIdentifier(requiredString(input, 'Name'));
      if (!(await parameters.delete(scopeOf(ctx), name))) throw errors.parameterNotFound();
      return {};
    },

    async DeleteParameters(input, ctx) {
      const names = stringList(input, 'Names', 1, MAX_DELETE_PARAMETERS_NAMES);
      const deleted: string[] = [];
      const invalid: string[] = [];
      for (const identifier of names) {
        const name = nameFromIdentifier(identifier);
        if (await parameters.delete(scopeOf(ctx), name)) deleted.push(identifier);
        else invalid.push(identifier);
      }
      return { DeletedParameters: deleted, InvalidParameters: invalid };
    },
  };
}

