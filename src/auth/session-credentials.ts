import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Principal } from '../contracts/principal.js';
import type { Store } from '../store/database.js';
import type { Credential } from './credential.js';
import { SecretSealer } from './sealed-secret.js';

export interface IssuedSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
}

export interface SessionRequest {
  principal: Principal;
  /** `role` sessions are revoked with their role; `user` sessions with their user. */
  kind: 'role' | 'user' | 'account';
  /** The lower-cased role or user name (empty for an account's own sessions). */
  principalKey: string;
  durationSeconds: number;
}

/** Bound on remembered lookups: enough for every warm environment's key, cleared beyond it. */
const MAX_CACHED_SESSIONS = 10_000;
/** Base32 alphabet of AWS access key ids. */
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Temporary credentials (STS and function environments): `ASIA…` keys, a secret sealed in the
 * store, a session token kept only as its SHA-256. Valid until they expire or their role or user
 * is deleted; every address accepts them, loopback or not.
 */
export class SessionCredentials {
  private readonly sealer: SecretSealer;
  private readonly cache = new Map<string, Credential & { expiresAt: number; kind: string; principalKey: string }>();

  constructor(
    private readonly store: Store,
    installationSecret: Buffer,
    private readonly clock: Clock,
  ) {
    this.sealer = new SecretSealer(installationSecret);
  }

  static isSessionKey(accessKeyId: string): boolean {
    return accessKeyId.startsWith('ASIA');
  }

  async issue(request: SessionRequest): Promise<IssuedSession> {
    const accessKeyId = `ASIA${randomKeyChars(16)}`;
    const secretAccessKey = randomBytes(30).toString('base64').replace(/[+/]/g, 'A');
    // Like AWS's, a long opaque token; SDKs only pass it through.
    const sessionToken = `IQoJb3JpZ2luX2VjE${randomBytes(180).toString('base64')}`;
    const now = this.clock.now();
    const expiresAt = now + request.durationSeconds * 1000;
    await this.store
      .insertInto('sts_sessions')
      .values({
        access_key_id: accessKeyId,
        secret_sealed: this.sealer.seal(secretAccessKey),
        token_sha256: sha256(sessionToken),
        account_id: request.principal.accountId,
        kind: request.kind,
        principal_key: request.principalKey,
        principal: JSON.stringify(request.principal),
        expires_at: expiresAt,
        revoked_at: null,
        created_at: now,
      })
      .execute();
    return { accessKeyId, secretAccessKey, sessionToken, expiresAt };
  }

  async lookup(accessKeyId: string): Promise<Credential | null> {
    const now = this.clock.now();
    const cached = this.cache.get(accessKeyId);
    if (cached) {
      if (cached.expiresAt > now) return cached;
      this.cache.delete(accessKeyId);
      return null;
    }
    const row = await this.store.selectFrom('sts_sessions').selectAll().where('access_key_id', '=', accessKeyId).executeTakeFirst();
    if (!row || row.revoked_at !== null || row.expires_at <= now) return null;
    const secret = this.sealer.open(row.secret_sealed);
    if (secret === null) return null;
    const credential = {
      accessKeyId,
      secretAccessKey: secret,
      accountId: row.account_id,
      principal: JSON.parse(row.principal) as Principal,
      sessionTokenSha256: row.token_sha256,
      expiresAt: row.expires_at,
      kind: row.kind,
      principalKey: row.principal_key,
    };
    if (this.cache.size >= MAX_CACHED_SESSIONS) this.cache.clear();
    this.cache.set(accessKeyId, credential);
    return credential;
  }

  /** Ends every session of a role or user (DeleteRole, DeleteUser): the edge refuses their keys at once. */
  async revoke(accountId: string, kind: 'role' | 'user', principalKey: string): Promise<void> {
    await this.store
      .updateTable('sts_sessions')
      .set({ revoked_at: this.clock.now() })
      .where('account_id', '=', accountId)
      .where('kind', '=', kind)
      .where('principal_key', '=', principalKey)
      .where('revoked_at', 'is', null)
      .execute();
    for (const [key, entry] of this.cache) {
      if (entry.accountId === accountId && entry.kind === kind && entry.principalKey === principalKey) this.cache.delete(key);
    }
  }

  /** Deletes sessions expired for a day or more (kept that long for inspection). */
  async sweep(): Promise<void> {
    await this.store.deleteFrom('sts_sessions').where('expires_at', '<', this.clock.now() - 24 * 3600 * 1000).execute();
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function randomKeyChars(count: number): string {
  const bytes = randomBytes(count);
  let out = '';
  for (const b of bytes) out += KEY_ALPHABET[b & 31];
  return out;
}
