import type { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext } from '../../contracts/request-context.js';
import type { Store } from '../../store/database.js';
import type { GroupKey } from './arns.js';
import type { LogsDeps } from './deps.js';
import { errors } from './errors.js';
import { groupKey } from './named-group.js';
import { requireGroup } from './tables.js';
import { checkGroupName, ConstraintCheck } from './validation.js';

/** The two kinds of filter a log group holds, each a table keyed by group and filter name. */
export type GroupFilterTable = 'logs_metric_filters' | 'logs_subscription_filters';

/**
 * Delete{Metric,Subscription}Filter: the group must exist, then the named filter (else the kind's
 * own not-found error), and the write path's filters are refreshed.
 */
export async function deleteGroupFilter(
  deps: Pick<LogsDeps, 'db' | 'filters'>,
  ctx: RequestContext,
  input: Record<string, unknown>,
  table: GroupFilterTable,
  notFound: () => AwsError,
): Promise<void> {
  const group = checkGroupName(input.logGroupName)!;
  new ConstraintCheck().required(input.filterName, 'filterName').throwIfAny();
  const key = groupKey(ctx, group);
  await requireGroup(deps.db, key);
  const deleted = await deps.db
    .deleteFrom(table)
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('group_name', '=', key.name)
    .where('name', '=', String(input.filterName))
    .executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) throw notFound();
  await deps.filters.refresh(key);
}

/** Put{Metric,Subscription}Filter: a new name beyond the group's `max` filters of the kind is refused; replacing one is not. */
export async function checkGroupFilterLimit(db: Store, table: GroupFilterTable, key: GroupKey, name: string, max: number): Promise<void> {
  const existing = await db.selectFrom(table).select('name').where('account_id', '=', key.accountId).where('region', '=', key.region).where('group_name', '=', key.name).execute();
  if (!existing.some((e) => e.name === name) && existing.length >= max) throw errors.limitExceeded();
}
