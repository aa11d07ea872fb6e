import { randomBytes } from 'node:crypto';
import type { Store } from '../store/database.js';

export const DEFAULT_ACCOUNT_ID = '000000000000';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

export interface CredentialSource {
  lookup(accessKeyId: string): Promise<Credential | null>;
}

/**
 * Credentials from the store and the config file. On loopback the well-known local pair is also
 * accepted (as local-AWS tooling expects); `allowLocalDefaults` is false on any other address.
 */
export class CredentialStore implements CredentialSource {
  private readonly cache = new Map<string, Credential>();

  constructor(
    private readonly store: Store,
    private readonly configured: Credential[],
    private readonly allowLocalDefaults: boolean,
  ) {}

  async lookup(accessKeyId: string): Promise<Credential | null> {
    const fromConfig = this.configured.find((c) => c.accessKeyId === accessKeyId);
    if (fromConfig) return fromConfig;
    const cached = this.cache.get(accessKeyId);
    if (cached) return cached;
    // Stored keys all start with LKIA, so the local pair never shadows one and needs no query.
    const local = this.allowLocalDefaults ? localDefault(accessKeyId) : null;
    if (local) return local;
    const row = await this.store
      .selectFrom('credentials')
      .selectAll()
      .where('access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    if (row) {
      // Only stored keys are cached: caching misses would let callers grow the cache without bound,
      // and would hide a key created (by the CLI) while the server runs.
      const found = { accessKeyId: row.access_key_id, secretAccessKey: row.secret_access_key, accountId: row.account_id };
      this.cache.set(accessKeyId, found);
      return found;
    }
    return null;
  }

  async hasAny(): Promise<boolean> {
    if (this.configured.length > 0) return true;
    const row = await this.store.selectFrom('credentials').select('access_key_id').limit(1).executeTakeFirst();
    return row !== undefined;
  }
}

function localDefault(accessKeyId: string): Credential | null {
  if (accessKeyId === 'test') return { accessKeyId, secretAccessKey: 'test', accountId: DEFAULT_ACCOUNT_ID };
  // A 12-digit key id selects that account, with the same well-known secret.
  if (/^\d{12}$/.test(accessKeyId)) return { accessKeyId, secretAccessKey: 'test', accountId: accessKeyId };
  return null;
}

export async function createCredential(store: Store, accountId: string): Promise<Credential> {
  const accessKeyId = `LKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(30).toString('base64url');
  await store
    .insertInto('credentials')
    .values({ access_key_id: accessKeyId, secret_access_key: secretAccessKey, account_id: accountId, created_at: Date.now() })
    .execute();
  return { accessKeyId, secretAccessKey, accountId };
}
