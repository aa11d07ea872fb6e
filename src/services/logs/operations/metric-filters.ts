import type { LogsDeps, LogsOperation } from '../deps.js';
import { errors } from '../errors.js';
import type { MetricTransformationInput } from '../filter-sets.js';
import { DEFAULT_DESCRIBE_LIMIT, MAX_METRIC_FILTERS_PER_GROUP } from '../limits.js';
import { page } from '../paging.js';
import { checkGroupFilterLimit, deleteGroupFilter } from '../group-filters.js';
import { requireGroup } from '../tables.js';
import { checkGroupName, ConstraintCheck, int, STREAM_NAME, str } from '../validation.js';
import { groupKey } from '../named-group.js';
import { compilePattern } from '../pattern-input.js';

const METRIC_NAME = { regex: /^[^:*$]*$/, shown: '[^:*$]*' };

function checkTransformations(value: unknown): MetricTransformationInput[] {
  const check = new ConstraintCheck().required(value, 'metricTransformations');
  check.throwIfAny();
  const list = value as Array<Record<string, unknown>>;
  if (Array.isArray(list) && list.length > 1) {
    const shown = list.map(
      (t) =>
        `MetricTransformation(metricName=${String(t.metricName)}, metricNamespace=${String(t.metricNamespace)}, metricValue=${String(t.metricValue)}, defaultValue=${t.defaultValue ?? null}, unit=${t.unit ?? null}, dimensions=${t.dimensions ? JSON.stringify(t.dimensions) : null})`,
    );
    throw errors.constraint([`Value '[${shown.join(', ')}]' at 'metricTransformations' failed to satisfy constraint: Member must have length less than or equal to 1`]);
  }
  check.listLength(list, 'metricTransformations', 1, 1);
  list.forEach((t, i) => {
    const at = (m: string) => `metricTransformations.${i + 1}.member.${m}`;
    check
      .required(t.metricName, at('metricName'))
      .length(t.metricName, 'metricName', 0, 255)
      .pattern(t.metricName, at('metricName'), METRIC_NAME)
      .required(t.metricNamespace, at('metricNamespace'))
      .length(t.metricNamespace, 'metricNamespace', 0, 255)
      .pattern(t.metricNamespace, at('metricNamespace'), METRIC_NAME)
      .required(t.metricValue, at('metricValue'))
      .length(t.metricValue, at('metricValue'), 0, 100);
  });
  check.throwIfAny();
  return list.map((t) => {
    const metricValue = String(t.metricValue);
    // A number, or a selector into the event: `$.a.b` (JSON) or `$field` (space-delimited).
    if (!/^-?\d+(\.\d+)?$/.test(metricValue) && !/^\$[\w.[\]]+$/.test(metricValue)) throw errors.invalidMetricValue();
    return {
      metricName: String(t.metricName),
      metricNamespace: String(t.metricNamespace),
      metricValue,
      ...(typeof t.defaultValue === 'number' ? { defaultValue: t.defaultValue } : {}),
      ...(t.dimensions && typeof t.dimensions === 'object' ? { dimensions: t.dimensions as Record<string, string> } : {}),
      ...(str(t.unit) ? { unit: str(t.unit)! } : {}),
    };
  });
}

export function metricFilterOperations(deps: LogsDeps): Record<string, LogsOperation> {
  const { db, clock, filters } = deps;
  return {
    async PutMetricFilter(input, ctx) {
      const group = checkGroupName(input.logGroupName)!;
      new ConstraintCheck()
        .required(input.filterName, 'filterName')
        .length(input.filterName, 'filterName', 1, 512)
        .pattern(input.filterName, 'filterName', STREAM_NAME)
        .required(input.filterPattern, 'filterPattern')
        .throwIfAny();
      compilePattern(input.filterPattern);
      const transformations = checkTransformations(input.metricTransformations);
      const key = groupKey(ctx, group);
      await requireGroup(db, key);
      const name = String(input.filterName);
      await checkGroupFilterLimit(db, 'logs_metric_filters', key, name, MAX_METRIC_FILTERS_PER_GROUP);
      const row = { pattern: String(input.filterPattern), transformations: JSON.stringify(transformations) };
      await db
        .insertInto('logs_metric_filters')
        .values({ account_id: key.accountId, region: key.region, group_name: group, name, created_at: clock.now(), ...row })
        .onConflict((oc) => oc.columns(['account_id', 'region', 'group_name', 'name']).doUpdateSet(row))
        .execute();
      await filters.refresh(key);
    },

    async DescribeMetricFilters(input, ctx) {
      const group = checkGroupName(input.logGroupName, 'logGroupName', false);
      new ConstraintCheck()
        .range(input.limit, 'limit', 1, DEFAULT_DESCRIBE_LIMIT)
        .length(input.filterNamePrefix, 'filterNamePrefix', 1, 512)
        .length(input.metricName, 'metricName', 0, 255)
        .length(input.metricNamespace, 'metricNamespace', 0, 255)
        .throwIfAny();
      if (group !== undefined) await requireGroup(db, groupKey(ctx, group));
      let q = db.selectFrom('logs_metric_filters').selectAll().where('account_id', '=', ctx.accountId).where('region', '=', ctx.region);
      if (group !== undefined) q = q.where('group_name', '=', group);
      const prefix = str(input.filterNamePrefix) ?? '';
      const metricName = str(input.metricName);
      const metricNamespace = str(input.metricNamespace);
      const rows = (await q.orderBy('group_name').orderBy('name').execute())
        .map((r) => ({ row: r, transformations: JSON.parse(r.transformations) as MetricTransformationInput[] }))
        .filter(({ row, transformations }) => row.name.startsWith(prefix) && transformations.some((t) => (metricName === undefined || t.metricName === metricName) && (metricNamespace === undefined || t.metricNamespace === metricNamespace)));
      const { items, nextToken } = page(rows, ({ row }) => `${row.group_name}\u0000${row.name}`, input.nextToken, int(input.limit) ?? DEFAULT_DESCRIBE_LIMIT);
      return {
        metricFilters: items.map(({ row, transformations }) => ({
          filterName: row.name,
          filterPattern: row.pattern,
          metricTransformations: transformations,
          creationTime: Number(row.created_at),
          logGroupName: row.group_name,
          applyOnTransformedLogs: false,
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    },

    DeleteMetricFilter: (input, ctx) => deleteGroupFilter(deps, ctx, input, 'logs_metric_filters', errors.filterNotFound),

    async TestMetricFilter(input) {
      new ConstraintCheck().required(input.filterPattern, 'filterPattern').required(input.logEventMessages, 'logEventMessages').listLength(input.logEventMessages, 'logEventMessages', 1, 50).throwIfAny();
      const match = compilePattern(input.filterPattern);
      const messages = (input.logEventMessages as unknown[]).map(String);
      const matches: Array<{ eventNumber: number; eventMessage: string; extractedValues: Record<string, string> }> = [];
      messages.forEach((message, i) => {
        const m = match(message);
        if (!m) return;
        const extractedValues: Record<string, string> = {};
        // A space-delimited pattern reports the fields it bound, as `$name`.
        if (String(input.filterPattern).trim().startsWith('[')) {
          for (const name of positionNames(String(input.filterPattern))) {
            const bound = m.value(`$${name}`);
            if (bound !== undefined) extractedValues[`$${name}`] = String(bound);
          }
        }
        matches.push({ eventNumber: i + 1, eventMessage: message, extractedValues });
      });
      return { matches };
    },
  };
}

/** The field names of a space-delimited pattern's positions (`...` has none). */
function positionNames(pattern: string): string[] {
  return pattern
    .trim()
    .slice(1, -1)
    .split(',')
    .flatMap((p) => /^\s*([A-Za-z_][\w.-]*)/.exec(p)?.[1] ?? []);
}
