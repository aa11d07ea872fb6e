import { randomInt } from 'node:crypto';
import type { Store } from '../../store/database.js';
import type { ApigwKind } from './model.js';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** API Gateway ids: 10 (apis) or 7 (routes, integrations, deployments) lowercase letters and digits. */
export function newId(length: number): string {
  let id = '';
  for (let i = 0; i < length; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export interface ApigwScope {
  accountId: string;
  region: string;
}

/**
 * Rows of `apigw_resources`: HTTP APIs (apigatewayv2) and REST APIs (kinds `restapi`, `rest-*`; the two
 * share one id space, as on AWS). Every write bumps `generation` so the doors re-read their routes.
 */
export class ApigwStore {
  generation = 0;

  constructor(readonly db: Store) {}

  async put<T>(scope: ApigwScope, apiId: string, kind: ApigwKind, id: string, doc: T, createdAt: number): Promise<void> {
    const text = JSON.stringify(doc);
    await this.db
      .insertInto('apigw_resources')
      .values({ api_id: apiId, kind, id, account_id: scope.accountId, region: scope.region, created_at: createdAt, doc: text })
      .onConflict((oc) => oc.columns(['api_id', 'kind', 'id']).doUpdateSet({ doc: text }))
      .execute();
    this.generation++;
  }

  /**
   * Stores a new document; false, writing nothing, if one of that kind and id exists. The primary
   * key decides, not a read before the write: CreateStage calls at once for one name each found
   * none and each stored its stage (on PostgreSQL), where all but one must be refused.
   */
  async create<T>(scope: ApigwScope, apiId: string, kind: ApigwKind, id: string, doc: T, createdAt: number): Promise<boolean> {
    const result = await this.db
      .insertInto('apigw_resources')
      .values({ api_id: apiId, kind, id, account_id: scope.accountId, region: scope.region, created_at: createdAt, doc: JSON.stringify(doc) })
      .onConflict((oc) => oc.columns(['api_id', 'kind', 'id']).doNothing())
      .executeTakeFirst();
    this.generation++;
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /**
   * Reads a document and writes back what `change` makes of it, with `alongside` (documents the
   * change needs stored too) put in the same transaction, so calls at once all take effect and none
   * writes back a document deleted meanwhile (two UpdateRoute calls kept only one's change, and a
   * CreateDeployment brought back a stage DeleteStage had just removed, on PostgreSQL). `change`
   * may run again (a transaction the store retries): it only computes. Undefined, writing
   * nothing, if the document is gone.
   */
  async change<T>(
    scope: ApigwScope,
    apiId: string,
    kind: ApigwKind,
    id: string,
    change: (current: T) => T,
    alongside: Array<{ kind: ApigwKind; id: string; doc: unknown; createdAt: number }> = [],
  ): Promise<T | undefined> {
    const next = await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('apigw_resources').select('doc').where('api_id', '=', apiId).where('kind', '=', kind).where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      const doc = change(JSON.parse(row.doc) as T);
      await trx.updateTable('apigw_resources').set({ doc: JSON.stringify(doc) }).where('api_id', '=', apiId).where('kind', '=', kind).where('id', '=', id).execute();
      for (const other of alongside) {
        const text = JSON.stringify(other.doc);
        await trx
          .insertInto('apigw_resources')
          .values({ api_id: apiId, kind: other.kind, id: other.id, account_id: scope.accountId, region: scope.region, created_at: other.createdAt, doc: text })
          .onConflict((oc) => oc.columns(['api_id', 'kind', 'id']).doUpdateSet({ doc: text }))
          .execute();
      }
      return doc;
    });
    this.generation++;
    return next;
  }

  async get<T>(apiId: string, kind: ApigwKind, id: string): Promise<T | undefined> {
    const row = await this.db.selectFrom('apigw_resources').select('doc').where('api_id', '=', apiId).where('kind', '=', kind).where('id', '=', id).executeTakeFirst();
    return row && (JSON.parse(row.doc) as T);
  }

  /** The API (an HTTP API, or a REST API with kind `restapi`) in the caller's account and region only. */
  async getApi<T>(scope: ApigwScope, apiId: string, kind: 'api' | 'restapi' = 'api'): Promise<T | undefined> {
    const row = await this.db
      .selectFrom('apigw_resources').select('doc')
      .where('api_id', '=', apiId).where('kind', '=', kind).where('account_id', '=', scope.accountId).where('region', '=', scope.region)
      .executeTakeFirst();
    return row && (JSON.parse(row.doc) as T);
  }

  /** Account and region an API lives in, for serving requests that carry no credentials. */
  async scopeOfApi(apiId: string, kind: 'api' | 'restapi' = 'api'): Promise<ApigwScope | undefined> {
    const row = await this.db.selectFrom('apigw_resources').select(['account_id', 'region']).where('api_id', '=', apiId).where('kind', '=', kind).executeTakeFirst();
    return row && { accountId: row.account_id, region: row.region };
  }

  async list<T>(apiId: string, kind: ApigwKind): Promise<T[]> {
    const rows = await this.db.selectFrom('apigw_resources').select('doc').where('api_id', '=', apiId).where('kind', '=', kind).orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => JSON.parse(r.doc) as T);
  }

  /** Documents of one kind in the caller's account and region, whatever API they belong to. */
  async listInScope<T>(scope: ApigwScope, apiId: string, kind: ApigwKind): Promise<T[]> {
    const rows = await this.db
      .selectFrom('apigw_resources').select('doc')
      .where('api_id', '=', apiId).where('kind', '=', kind).where('account_id', '=', scope.accountId).where('region', '=', scope.region)
      .orderBy('created_at').orderBy('id')
      .execute();
    return rows.map((r) => JSON.parse(r.doc) as T);
  }

  async listApis<T>(scope: ApigwScope, kind: 'api' | 'restapi' = 'api'): Promise<T[]> {
    const rows = await this.db
      .selectFrom('apigw_resources').select('doc')
      .where('kind', '=', kind).where('account_id', '=', scope.accountId).where('region', '=', scope.region)
      .orderBy('created_at').orderBy('id')
      .execute();
    return rows.map((r) => JSON.parse(r.doc) as T);
  }

  async delete(apiId: string, kind: ApigwKind, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('apigw_resources').where('api_id', '=', apiId).where('kind', '=', kind).where('id', '=', id).executeTakeFirst();
    this.generation++;
    return Number(result.numDeletedRows) > 0;
  }

  async deleteApi(apiId: string): Promise<void> {
    await this.db.deleteFrom('apigw_resources').where('api_id', '=', apiId).execute();
    this.generation++;
  }

  /** Every HTTP and REST API of every account (the state reset). */
  async deleteAll(): Promise<void> {
    await this.db.deleteFrom('apigw_resources').execute();
    this.generation++;
  }
}
