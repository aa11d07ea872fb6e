import type { Store } from '../../../store/database.js';
import { ReadCache } from '../../../store/read-cache.js';
import type { FunctionConfiguration, Scope } from '../model.js';
import { deleteQualifierAttachments } from './qualifier-attachments.js';

export interface FunctionRow {
  name: string;
  createdAt: number;
  tags: Record<string, string>;
  reservedConcurrency: number | null;
  lastVersion: number;
}

export interface VersionRow {
  version: string;
  config: FunctionConfiguration;
  codeHex: string | null;
}

/**
 * Functions and their versions (`$LATEST` is a version row too).
 * Reads of one function and one version are cached in memory because Invoke needs them on every
 * call; every write goes through this class and drops the function's entries, and tells the
 * `onForget` listener (the cluster's other nodes drop theirs: `forgetKey`).
 */
export class FunctionsTable {
  private readonly functionCache = new ReadCache<FunctionRow | undefined>();
  private readonly versionCache = new ReadCache<VersionRow | undefined>();
  /** Other reads about one function kept beside its rows and dropped with them (`readAttached`). */
  private readonly attachedCache = new ReadCache<unknown>();
  private forgetListener: ((key: string) => void) | undefined;

  constructor(private readonly db: Store) {}

  /** Called with `account/region/name` each time a write drops a function's entries (before and after it). */
  onForget(listener: (key: string) => void): void {
    this.forgetListener = listener;
  }

  private forget(scope: Scope, name: string): void {
    const prefix = `${scope.accountId}/${scope.region}/${name}`;
    this.forgetKey(prefix);
    this.forgetListener?.(prefix);
  }

  /**
   * A write of something `readAttached` keeps (an event-invoke config), made outside this class:
   * drops the function's entries here and on the cluster's other nodes. Call it after the write.
   */
  attachedChanged(scope: Scope, name: string): void {
    this.forget(scope, name);
  }

  /** Drops the cached rows of `account/region/name` (another node wrote them). */
  forgetKey(prefix: string): void {
    this.functionCache.delete(prefix);
    this.versionCache.deleteWhere((key) => key.startsWith(`${prefix}/`));
    this.attachedCache.deleteWhere((key) => key.startsWith(`${prefix}/`));
  }

  /** Drops every cached row (news from other nodes may have been missed). */
  forgetAll(): void {
    this.functionCache.clear();
    this.versionCache.clear();
    this.attachedCache.clear();
  }

  /**
   * A read about one function (`what` names it, e.g. `event-invoke-config/$LATEST`) cached as its
   * rows are: dropped by every write of the function here, by `attachedChanged`, and by the
   * cluster's news of either. An asynchronous attempt reads its event-invoke config this way
   * instead of from the store on every attempt.
   */
  readAttached<T>(scope: Scope, name: string, what: string, load: () => Promise<T>): Promise<T> {
    return this.attachedCache.read(`${scope.accountId}/${scope.region}/${name}/${what}`, load) as Promise<T>;
  }

  async getFunction(scope: Scope, name: string): Promise<FunctionRow | undefined> {
    return this.functionCache.read(`${scope.accountId}/${scope.region}/${name}`, () => this.readFunction(scope, name));
  }

  private async readFunction(scope: Scope, name: string): Promise<FunctionRow | undefined> {
    const row = await this.db
      .selectFrom('lambda_functions')
      .selectAll()
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toFunctionRow(row);
  }

  async listFunctionNames(scope: Scope): Promise<string[]> {
    const rows = await this.db
      .selectFrom('lambda_functions')
      .select('name')
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .orderBy('name')
      .execute();
    return rows.map((r) => r.name);
  }

  async countFunctions(scope: Scope): Promise<number> {
    const row = await this.db
      .selectFrom('lambda_functions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async insertFunction(scope: Scope, name: string, createdAt: number, tags: Record<string, string>): Promise<void> {
    this.forget(scope, name);
    await this.db
      .insertInto('lambda_functions')
      .values({
        account_id: scope.accountId,
        region: scope.region,
        name,
        created_at: createdAt,
        tags: JSON.stringify(tags),
        reserved_concurrency: null,
        last_version: 0,
      })
      .execute();
    // Again after the write: a read that ran meanwhile may have cached the old row.
    this.forget(scope, name);
  }

  async updateFunction(scope: Scope, name: string, patch: Partial<Pick<FunctionRow, 'tags' | 'reservedConcurrency' | 'lastVersion'>>): Promise<void> {
    this.forget(scope, name);
    const values: { tags?: string; reserved_concurrency?: number | null; last_version?: number } = {};
    if (patch.tags !== undefined) values.tags = JSON.stringify(patch.tags);
    if (patch.reservedConcurrency !== undefined) values.reserved_concurrency = patch.reservedConcurrency;
    if (patch.lastVersion !== undefined) values.last_version = patch.lastVersion;
    await this.db
      .updateTable('lambda_functions')
      .set(values)
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('name', '=', name)
      .execute();
    // Again after the write: a read that ran meanwhile may have cached the old row.
    this.forget(scope, name);
  }

  async getVersion(scope: Scope, name: string, version: string): Promise<VersionRow | undefined> {
    return this.versionCache.read(`${scope.accountId}/${scope.region}/${name}/${version}`, () => this.readVersion(scope, name, version));
  }

  private async readVersion(scope: Scope, name: string, version: string): Promise<VersionRow | undefined> {
    const row = await this.db
      .selectFrom('lambda_function_versions')
      .select(['version', 'config', 'code_sha256_hex'])
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('function_name', '=', name)
      .where('version', '=', version)
      .executeTakeFirst();
    return row && toVersionRow(row);
  }

  /** `$LATEST` first, then published versions in numeric order. */
  async listVersions(scope: Scope, name: string): Promise<VersionRow[]> {
    const rows = await this.db
      .selectFrom('lambda_function_versions')
      .select(['version', 'config', 'code_sha256_hex'])
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('function_name', '=', name)
      .execute();
    return rows.map(toVersionRow).sort((a, b) => versionOrder(a.version) - versionOrder(b.version));
  }

  async listAllVersions(scope: Scope): Promise<Array<VersionRow & { functionName: string }>> {
    const rows = await this.db
      .selectFrom('lambda_function_versions')
      .select(['function_name', 'version', 'config', 'code_sha256_hex'])
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .execute();
    return rows.map((r) => ({ ...toVersionRow(r), functionName: r.function_name }));
  }

  async putVersion(scope: Scope, name: string, version: string, config: FunctionConfiguration, codeHex: string | null, now: number): Promise<void> {
    this.forget(scope, name);
    await this.db
      .insertInto('lambda_function_versions')
      .values({
        account_id: scope.accountId,
        region: scope.region,
        function_name: name,
        version,
        config: JSON.stringify(config),
        code_sha256_hex: codeHex,
        created_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['account_id', 'region', 'function_name', 'version']).doUpdateSet({
          config: JSON.stringify(config),
          code_sha256_hex: codeHex,
        }),
      )
      .execute();
    // Again after the write: a read that ran meanwhile may have cached the old row.
    this.forget(scope, name);
  }

  /** Removes one published version and what is configured on its qualified ARN, in one transaction. */
  async deleteVersion(scope: Scope, name: string, version: string): Promise<void> {
    this.forget(scope, name);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('lambda_function_versions')
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('function_name', '=', name)
        .where('version', '=', version)
        .execute();
      await deleteQualifierAttachments(trx, scope, name, version);
    });
    // Again after the write: a read that ran meanwhile may have cached the old row.
    this.forget(scope, name);
  }

  /** Removes the function and everything attached to it, in one transaction. */
  async deleteFunction(scope: Scope, name: string): Promise<void> {
    this.forget(scope, name);
    await this.db.transaction().execute(async (trx) => {
      for (const table of ['lambda_function_versions', 'lambda_aliases', 'lambda_policies', 'lambda_qualified_configs', 'lambda_function_code_signing'] as const) {
        await trx
          .deleteFrom(table)
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('function_name', '=', name)
          .execute();
      }
      await trx
        .deleteFrom('lambda_functions')
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', name)
        .execute();
    });
    // Again after the write: a read that ran meanwhile may have cached the old row.
    this.forget(scope, name);
  }

  /** Every function with a version whose stored code reference starts with `prefix` (code from a host folder). */
  async listByCodePrefix(prefix: string): Promise<Array<{ scope: Scope; name: string }>> {
    const rows = await this.db
      .selectFrom('lambda_function_versions')
      .select(['account_id', 'region', 'function_name'])
      .distinct()
      .where('code_sha256_hex', 'like', `${prefix}%`)
      .execute();
    return rows.map((r) => ({ scope: { accountId: r.account_id, region: r.region }, name: r.function_name }));
  }

  /** Every version row still Pending or InProgress: work a crash interrupted. */
  async listUnsettled(): Promise<Array<{ scope: Scope; name: string; version: string }>> {
    const rows = await this.db
      .selectFrom('lambda_function_versions')
      .select(['account_id', 'region', 'function_name', 'version', 'config'])
      .where((eb) => eb.or([eb('config', 'like', '%"State":"Pending"%'), eb('config', 'like', '%"LastUpdateStatus":"InProgress"%')]))
      .execute();
    return rows.map((r) => ({ scope: { accountId: r.account_id, region: r.region }, name: r.function_name, version: r.version }));
  }
}

function versionOrder(version: string): number {
  return version === '$LATEST' ? -1 : Number(version);
}

function toFunctionRow(row: { name: string; created_at: number; tags: string; reserved_concurrency: number | null; last_version: number }): FunctionRow {
  return {
    name: row.name,
    createdAt: Number(row.created_at),
    tags: JSON.parse(row.tags) as Record<string, string>,
    reservedConcurrency: row.reserved_concurrency,
    lastVersion: Number(row.last_version),
  };
}

function toVersionRow(row: { version: string; config: string; code_sha256_hex: string | null }): VersionRow {
  return { version: row.version, config: JSON.parse(row.config) as FunctionConfiguration, codeHex: row.code_sha256_hex };
}
