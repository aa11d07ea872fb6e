import { groupArnWildcard, logsPrincipals } from '../arns.js';
import type { LogsDeps, LogsOperation } from '../deps.js';
import { errors } from '../errors.js';
import { DEFAULT_DESCRIBE_LIMIT, MAX_SUBSCRIPTION_FILTERS_PER_GROUP } from '../limits.js';
import { page } from '../paging.js';
import { checkGroupFilterLimit, deleteGroupFilter } from '../group-filters.js';
import { requireGroup } from '../tables.js';
import { checkGroupName, ConstraintCheck, int, STREAM_NAME, str } from '../validation.js';
import { groupKey } from '../named-group.js';
import { compilePattern } from '../pattern-input.js';

const DISTRIBUTIONS = ['Random', 'ByLogStream'] as const;

export function subscriptionFilterOperations(deps: LogsDeps): Record<string, LogsOperation> {
  const { db, clock, filters, functions } = deps;
  return {
    async PutSubscriptionFilter(input, ctx) {
      const group = checkGroupName(input.logGroupName)!;
      new ConstraintCheck()
        .required(input.filterName, 'filterName')
        .length(input.filterName, 'filterName', 1, 512)
        .pattern(input.filterName, 'filterName', STREAM_NAME)
        .required(input.filterPattern, 'filterPattern')
        .required(input.destinationArn, 'destinationArn')
        .length(input.destinationArn, 'destinationArn', 1, Number.MAX_SAFE_INTEGER)
        .oneOf(input.distribution, 'distribution', DISTRIBUTIONS)
        .throwIfAny();
      compilePattern(input.filterPattern);
      const key = groupKey(ctx, group);
      await requireGroup(db, key);
      const destination = String(input.destinationArn);
      const lambda = /^arn:aws[\w-]*:lambda:([a-z0-9-]+):(\d{12}):function:/.exec(destination);
      if (!lambda) {
        if (/^arn:aws[\w-]*:(kinesis|firehose):/.test(destination) && !str(input.roleArn)) {
          throw errors.constraintText(`destinationArn for vendor ${destination.split(':')[2]} cannot be used without roleArn`);
        }
        throw errors.unsupportedDestination(destination);
      }
      if (lambda[2] !== ctx.accountId || lambda[1] !== ctx.region) throw errors.crossAccountLambda();
      const sourceArn = groupArnWildcard(key);
      let allowed = false;
      for (const principalService of logsPrincipals(ctx.region)) {
        if ((await functions.check(destination, { principalService, sourceArn, sourceAccount: ctx.accountId })) === 'allowed') allowed = true;
      }
      if (!allowed) throw errors.lambdaNotInvokable();
      const name = String(input.filterName);
      await checkGroupFilterLimit(db, 'logs_subscription_filters', key, name, MAX_SUBSCRIPTION_FILTERS_PER_GROUP);
      const row = {
        pattern: String(input.filterPattern), destination_arn: destination, role_arn: str(input.roleArn) ?? null,
        distribution: str(input.distribution) ?? 'ByLogStream',
      };
      await db
        .insertInto('logs_subscription_filters')
        .values({ account_id: key.accountId, region: key.region, group_name: group, name, created_at: clock.now(), ...row })
        .onConflict((oc) => oc.columns(['account_id', 'region', 'group_name', 'name']).doUpdateSet(row))
        .execute();
      await filters.refresh(key);
    },

    async DescribeSubscriptionFilters(input, ctx) {
      const group = checkGroupName(input.logGroupName)!;
      new ConstraintCheck().range(input.limit, 'limit', 1, DEFAULT_DESCRIBE_LIMIT).length(input.filterNamePrefix, 'filterNamePrefix', 1, 512).throwIfAny();
      const key = groupKey(ctx, group);
      await requireGroup(db, key);
      const prefix = str(input.filterNamePrefix) ?? '';
      const rows = (
        await db.selectFrom('logs_subscription_filters').selectAll().where('account_id', '=', key.accountId).where('region', '=', key.region).where('group_name', '=', group).orderBy('name').execute()
      ).filter((r) => r.name.startsWith(prefix));
      const { items, nextToken } = page(rows, (r) => r.name, input.nextToken, int(input.limit) ?? DEFAULT_DESCRIBE_LIMIT);
      return {
        subscriptionFilters: items.map((r) => ({
          filterName: r.name,
          logGroupName: r.group_name,
          filterPattern: r.pattern,
          destinationArn: r.destination_arn,
          ...(r.role_arn ? { roleArn: r.role_arn } : {}),
          distribution: r.distribution,
          applyOnTransformedLogs: false,
          creationTime: Number(r.created_at),
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    },

    DeleteSubscriptionFilter: (input, ctx) => deleteGroupFilter(deps, ctx, input, 'logs_subscription_filters', errors.subscriptionNotFound),
  };
}
