import type { Store } from '../../../store/database.js';
import { PreparedQuery } from '../../../store/prepared-query.js';
import type { Scope } from '../model.js';

export type QualifiedConfigKind = 'event-invoke-config' | 'url-config';

export interface QualifiedConfigRow<T> {
  qualifier: string;
  config: T;
  lookupKey: string | null;
}

/** Read on every asynchronous attempt (its event-invoke config): built and compiled once. */
const selectOne = new PreparedQuery<
  { kind: QualifiedConfigKind; accountId: string; region: string; functionName: string; qualifier: string },
  { qualifier: string; config: string; lookup_key: string | null }
>((db, arg) =>
  db
    .selectFrom('lambda_qualified_configs')
    .select(['qualifier', 'config', 'lookup_key'])
    .where('kind', '=', arg('kind'))
    .where('account_id', '=', arg('accountId'))
    .where('region', '=', arg('region'))
    .where('function_name', '=', arg('functionName'))
    .where('qualifier', '=', arg('qualifier')),
);

/** One kind of per-qualifier document in `lambda_qualified_configs`, keyed by function and qualifier. */
export class QualifiedConfigsTable<T> {
  constructor(
    private readonly db: Store,
    private readonly kind: QualifiedConfigKind,
  ) {}

  async get(scope: Scope, functionName: string, qualifier: string): Promise<QualifiedConfigRow<T> | undefined> {
    const [row] = (await selectOne.execute(this.db, { kind: this.kind, accountId: scope.accountId, region: scope.region, functionName, qualifier })).rows;
    return row && { qualifier: row.qualifier, config: JSON.parse(row.config) as T, lookupKey: row.lookup_key };
  }

  async list(scope: Scope, functionName: string): Promise<Array<QualifiedConfigRow<T>>> {
    const rows = await this.db
      .selectFrom('lambda_qualified_configs')
      .select(['qualifier', 'config', 'lookup_key'])
      .where('kind', '=', this.kind)
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('function_name', '=', functionName)
      .orderBy('qualifier')
      .execute();
    return rows.map((r) => ({ qualifier: r.qualifier, config: JSON.parse(r.config) as T, lookupKey: r.lookup_key }));
  }

  async put(scope: Scope, functionName: string, qualifier: string, config: T, lookupKey: string | null = null): Promise<void> {
    const text = JSON.stringify(config);
    await this.db
      .insertInto('lambda_qualified_configs')
      .values({
        kind: this.kind, account_id: scope.accountId, region: scope.region, function_name: functionName, qualifier, config: text, lookup_key: lookupKey,
      })
      .onConflict((oc) => oc.columns(['kind', 'account_id', 'region', 'function_name', 'qualifier']).doUpdateSet({ config: text, lookup_key: lookupKey }))
      .execute();
  }

  /** The row whose lookup key (a function URL's id) is `lookupKey`, in any account and region. */
  async findByLookupKey(lookupKey: string): Promise<(QualifiedConfigRow<T> & { accountId: string; region: string; functionName: string }) | undefined> {
    const row = await this.db
      .selectFrom('lambda_qualified_configs')
      .select(['account_id', 'region', 'function_name', 'qualifier', 'config', 'lookup_key'])
      .where('kind', '=', this.kind)
      .where('lookup_key', '=', lookupKey)
      .executeTakeFirst();
    return row && {
      accountId: row.account_id, region: row.region, functionName: row.function_name,
      qualifier: row.qualifier, config: JSON.parse(row.config) as T, lookupKey: row.lookup_key,
    };
  }

  /** True when a row was removed. */
  async delete(scope: Scope, functionName: string, qualifier: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('lambda_qualified_configs')
      .where('kind', '=', this.kind)
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('function_name', '=', functionName)
      .where('qualifier', '=', qualifier)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
