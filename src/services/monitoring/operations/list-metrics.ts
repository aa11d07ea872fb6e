import { dimensionsOfKey } from '../../../observability/metrics/metric-series.js';
import type { MonitoringDeps, MonitoringOperation } from '../deps.js';
import { errors } from '../errors.js';
import { optionalString, requiredString, structures } from '../input.js';
import { LIST_METRICS_PAGE, LIST_METRICS_WINDOW_MS, RECENTLY_ACTIVE_MS } from '../limits.js';
import { dimensionList } from '../metric-input.js';
import { offsetOfToken, pageToken } from '../paging.js';

/** ListMetrics: metrics with data in the last two weeks (or 3 hours with `RecentlyActive=PT3H`), 500 a page. */
export function listMetrics(deps: MonitoringDeps): MonitoringOperation {
  return async (input, ctx) => {
    const namespace = optionalString(input, 'Namespace');
    const metricName = optionalString(input, 'MetricName');
    const recentlyActive = optionalString(input, 'RecentlyActive');
    if (recentlyActive !== undefined && recentlyActive !== 'PT3H') throw errors.invalidValue(recentlyActive, 'RecentlyActive');
    const filters = structures(input, 'Dimensions').map((f) => ({ name: requiredString(f, 'Name'), value: optionalString(f, 'Value') }));
    if (filters.length > 10) throw errors.invalidParameter('The collection Dimensions must not have a size greater than 10.');
    const offset = offsetOfToken(optionalString(input, 'NextToken'));
    const window = recentlyActive ? RECENTLY_ACTIVE_MS : LIST_METRICS_WINDOW_MS;
    const all = await deps.metrics.metrics({ accountId: ctx.accountId, region: ctx.region, namespace, metricName, sinceMs: deps.clock.now() - window });
    const matching = all
      .map((m) => ({ ...m, dims: dimensionsOfKey(m.dimensions) }))
      .filter((m) => filters.every((f) => Object.hasOwn(m.dims, f.name) && (f.value === undefined || m.dims[f.name] === f.value)));
    const page = matching.slice(offset, offset + LIST_METRICS_PAGE);
    return {
      Metrics: page.map((m) => ({ Namespace: m.namespace, MetricName: m.metricName, Dimensions: dimensionList(m.dims) })),
      NextToken: offset + LIST_METRICS_PAGE < matching.length ? pageToken(offset + LIST_METRICS_PAGE) : undefined,
    };
  };
}
