import type { Store } from '../../store/database.js';
import type { GroupKey } from './arns.js';
import { compileFilterPattern, type CompiledPattern } from './filter-pattern/index.js';

export interface ActiveSubscription {
  name: string;
  destinationArn: string;
  match: CompiledPattern;
}

export interface MetricTransformationInput {
  metricName: string;
  metricNamespace: string;
  metricValue: string;
  defaultValue?: number;
  dimensions?: Record<string, string>;
  unit?: string;
}

export interface ActiveMetricFilter {
  name: string;
  transformations: MetricTransformationInput[];
  match: CompiledPattern;
}

interface GroupFilters {
  subscriptions: ActiveSubscription[];
  metrics: ActiveMetricFilter[];
}

const keyOf = (g: GroupKey) => `${g.accountId}\u0000${g.region}\u0000${g.name}`;

/**
 * Subscription and metric filters of every group that has any, compiled and held in memory: the
 * write path asks for a group's filters on every stored batch, so it never reads the store.
 * Operations that change a group's filters call `refresh` after their write.
 */
export class LogFilterSets {
  private readonly groups = new Map<string, GroupFilters>();

  constructor(private readonly db: Store) {}

  async load(): Promise<void> {
    const subs = await this.db.selectFrom('logs_subscription_filters').select(['account_id', 'region', 'group_name']).distinct().execute();
    const metrics = await this.db.selectFrom('logs_metric_filters').select(['account_id', 'region', 'group_name']).distinct().execute();
    for (const r of [...subs, ...metrics]) await this.refresh({ accountId: r.account_id, region: r.region, name: r.group_name });
  }

  async refresh(g: GroupKey): Promise<void> {
    const subs = await this.db
      .selectFrom('logs_subscription_filters')
      .selectAll()
      .where('account_id', '=', g.accountId)
      .where('region', '=', g.region)
      .where('group_name', '=', g.name)
      .orderBy('name')
      .execute();
    const metrics = await this.db
      .selectFrom('logs_metric_filters')
      .selectAll()
      .where('account_id', '=', g.accountId)
      .where('region', '=', g.region)
      .where('group_name', '=', g.name)
      .orderBy('name')
      .execute();
    if (subs.length === 0 && metrics.length === 0) {
      this.groups.delete(keyOf(g));
      return;
    }
    this.groups.set(keyOf(g), {
      subscriptions: subs.map((s) => ({ name: s.name, destinationArn: s.destination_arn, match: compileFilterPattern(s.pattern) })),
      metrics: metrics.map((m) => ({ name: m.name, transformations: JSON.parse(m.transformations) as MetricTransformationInput[], match: compileFilterPattern(m.pattern) })),
    });
  }

  forgetGroup(g: GroupKey): void {
    this.groups.delete(keyOf(g));
  }

  of(g: GroupKey): GroupFilters | undefined {
    return this.groups.get(keyOf(g));
  }
}
