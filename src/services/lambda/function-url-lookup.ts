import type { Store } from '../../store/database.js';
import type { FunctionRef, UrlCors } from './model.js';
import { QualifiedConfigsTable } from './tables/qualified-configs-table.js';

/** What the function URL door needs of a stored URL config (written by `operations/url-configs.ts`). */
export interface FunctionUrlTarget {
  ref: FunctionRef;
  config: FunctionUrlConfig;
}

export interface FunctionUrlConfig {
  AuthType: string;
  Cors?: UrlCors;
  InvokeMode?: string;
}

/** Finds the function a URL id (`<url-id>.lambda-url.<region>…`) belongs to. */
export class FunctionUrlLookup {
  private readonly configs: QualifiedConfigsTable<FunctionUrlConfig>;

  constructor(db: Store) {
    this.configs = new QualifiedConfigsTable<FunctionUrlConfig>(db, 'url-config');
  }

  async find(urlId: string): Promise<FunctionUrlTarget | undefined> {
    const row = await this.configs.findByLookupKey(urlId);
    if (!row) return undefined;
    const ref = { scope: { accountId: row.accountId, region: row.region }, name: row.functionName, qualifier: row.qualifier || null };
    return { ref, config: row.config };
  }
}
