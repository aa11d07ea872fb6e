import type { Store } from '../../../store/database.js';
import type { Scope } from '../model.js';

const KIND = 'provisioned-concurrency';

/** The Get/PutProvisionedConcurrencyConfig response document; stored per qualifier exactly so. */
export interface ProvisionedConcurrencyConfig {
  RequestedProvisionedConcurrentExecutions: number;
  AvailableProvisionedConcurrentExecutions: number;
  AllocatedProvisionedConcurrentExecutions: number;
  Status: 'IN_PROGRESS' | 'READY' | 'FAILED';
  StatusReason?: string;
  LastModified: string;
}

export interface ProvisionedConcurrencyRow {
  functionName: string;
  /** The alias name or version number the config was put on. */
  qualifier: string;
  config: ProvisionedConcurrencyConfig;
}

/**
 * Provisioned-concurrency configs in `lambda_qualified_configs`. Rows whose alias or version has
 * since been deleted are left behind by those operations, so every read filters them out.
 */
export class ProvisionedConcurrencyTable {
  constructor(private readonly db: Store) {}

  async get(scope: Scope, functionName: string, qualifier: string): Promise<ProvisionedConcurrencyConfig | undefined> {
    const row = await this.db
      .selectFrom('lambda_qualified_configs')
      .select('config')
      .where('kind', '=', KIND)
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('function_name', '=', functionName)
      .where('qualifier', '=', qualifier)
      .executeTakeFirst();
    if (!row || !(await this.qualifierExists(scope, functionName, qualifier))) return undefined;
    return JSON.parse(row.config) as ProvisionedConcurrencyConfig;
  }

  /** Live configs of one function, or of the whole account/region when `functionName` is omitted. */
  async list(scope: Scope, functionName?: string): Promise<ProvisionedConcurrencyRow[]> {
    let query = this.db
      .selectFrom('lambda_qualified_configs')
      .select(['function_name', 'qualifier', 'config'])
      .where('kind', '=', KIND)
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region);
    if (functionName !== undefined) query = query.where('function_name', '=', functionName);
    const rows = await query.orderBy('function_name').orderBy('qualifier').execute();
    const live: ProvisionedConcurrencyRow[] = [];
    for (const r of rows) {
      if (!(await this.qualifierExists(scope, r.function_name, r.qualifier))) continue;
      live.push({ functionName: r.function_name, qualifier: r.qualifier, config: JSON.parse(r.config) as ProvisionedConcurrencyConfig });
    }
    return live;
  }

  async put(scope: Scope, functionName: string, qualifier: string, config: ProvisionedConcurrencyConfig): Promise<void> {
    const json = JSON.stringify(config);
    await this.db
      .insertInto('lambda_qualified_configs')
      .values({ kind: KIND, account_id: scope.accountId, region: scope.region, function_name: functionName, qualifier, config: json, lookup_key: null })
      .onConflict((oc) => oc.columns(['kind', 'account_id', 'region', 'function_name', 'qualifier']).doUpdateSet({ config: json }))
      .execute();
  }

  async delete(scope: Scope, functionName: string, qualifier: string): Promise<void> {
    await this.db
      .deleteFrom('lambda_qualified_configs')
      .where('kind', '=', KIND)
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('function_name', '=', functionName)
      .where('qualifier', '=', qualifier)
      .execute();
  }

  private async qualifierExists(scope: Scope, functionName: string, qualifier: string): Promise<boolean> {
    const table = /^\d+$/.test(qualifier) ? 'lambda_function_versions' : 'lambda_aliases';
    const column = table === 'lambda_function_versions' ? 'version' : 'name';
    const row = await this.db
      .selectFrom(table)
      .select('function_name')
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('function_name', '=', functionName)
      .where(column, '=', qualifier)
      .executeTakeFirst();
    return row !== undefined;
  }
}
