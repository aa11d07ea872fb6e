import { randomBytes } from 'node:crypto';
import { accountPrincipal, type Principal } from '../contracts/principal.js';
import type { Store } from '../store/database.js';
import { ReadCache } from '../store/read-cache.js';
import type { Credential, CredentialSource } from './credential.js';
import { SessionCredentials } from './session-credentials.js';

export const DEFAULT_ACCOUNT_ID = '000000000000';

export type { Credential, CredentialSource } from './credential.js';

/**
 * Credentials from the store and the config file. On loopback the well-known local pair is also
 * accepted (as local-AWS tooling expects); `allowLocalDefaults` is false on any other address.
 */
export class CredentialStore implements CredentialSource {
  private readonly cache = new ReadCache<Credential | null>();

  constructor(
    private readonly store: Store,
    private readonly configured: Credential[],
    private readonly allowLocalDefaults: boolean,
    private readonly sessions?: SessionCredentials,
  ) {}

  async lookup(accessKeyId: string): Promise<Credential | null> {
    // Temporary credentials are checked on every address: they are what functions sign with.
    if (this.sessions && SessionCredentials.isSessionKey(accessKeyId)) return this.sessions.lookup(accessKeyId);
    const fromConfig = this.configured.find((c) => c.accessKeyId === accessKeyId);
    if (fromConfig) return fromConfig;
    // Stored keys all start with LKIA, so the local pair never shadows one and needs no query.
    const local = this.allowLocalDefaults ? localDefault(accessKeyId) : null;
    if (local) return local;
    // Only stored keys are cached: caching misses would let callers grow the cache without bound,
    // and would hide a key created (by the CLI) while the server runs.
    return this.cache.read(accessKeyId, () => this.readStored(accessKeyId), (found) => found !== null);
  }

  private async readStored(accessKeyId: string): Promise<Credential | null> {
    const row = await this.store
      .selectFrom('credentials')
      .leftJoin('iam_users', (join) =>
        join.onRef('iam_users.account_id', '=', 'credentials.account_id').onRef('iam_users.name_key', '=', 'credentials.user_name'),
      )
      .select(['access_key_id', 'secret_access_key', 'credentials.account_id', 'credentials.user_name', 'status', 'iam_users.arn', 'iam_users.user_id', 'iam_users.user_name as display_name'])
      .where('access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    if (!row || row.status !== 'Active') return null;
    // A user's key whose user is gone is refused, as AWS deletes keys with their user.
    if (row.user_name !== null && !row.arn) return null;
    const found: Credential = { accessKeyId: row.access_key_id, secretAccessKey: row.secret_access_key, accountId: row.account_id };
    if (row.user_name !== null && row.arn && row.user_id && row.display_name) {
      found.principal = { kind: 'user', accountId: row.account_id, arn: row.arn, userId: row.user_id, userName: row.display_name };
    }
    return found;
  }

  private forgetListener: ((accessKeyId: string) => void) | undefined;

  /** Drops a key from the cache (DeleteAccessKey, UpdateAccessKey, DeleteUser). */
  forget(accessKeyId: string): void {
    this.cache.delete(accessKeyId);
    this.forgetListener?.(accessKeyId);
  }

  /** Called after each `forget` (the cluster's other nodes drop the key too: `forgetLocal`). */
  onForget(listener: (accessKeyId: string) => void): void {
    this.forgetListener = listener;
  }

  /** Drops a key (or, without one, every key) from the cache without telling anyone. */
  forgetLocal(accessKeyId?: string): void {
    if (accessKeyId === undefined) this.cache.clear();
    else this.cache.delete(accessKeyId);
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
    .values({ access_key_id: accessKeyId, secret_access_key: secretAccessKey, account_id: accountId, created_at: Date.now(), user_name: null })
    .execute();
  return { accessKeyId, secretAccessKey, accountId };
}

/** An IAM user's access key (CreateAccessKey): `AKIA…`, as AWS spells long-term user keys. */
export async function createUserAccessKey(store: Store, accountId: string, userNameKey: string, now: number): Promise<Credential> {
  const accessKeyId = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(30).toString('base64').replace(/[+/]/g, 'A');
  await store
    .insertInto('credentials')
    .values({ access_key_id: accessKeyId, secret_access_key: secretAccessKey, account_id: accountId, created_at: now, user_name: userNameKey })
    .execute();
  return { accessKeyId, secretAccessKey, accountId };
}

/** The principal a credential speaks for. */
export function principalOf(credential: Credential): Principal {
  // Kept on the (cached) credential: the edge asks on every request.
  return (credential.principal ??= accountPrincipal(credential.accountId));
}
