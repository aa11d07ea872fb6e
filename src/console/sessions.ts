import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../clock.js';
import type { Credential, CredentialSource } from '../auth/credential.js';
import { AwsError } from '../contracts/aws-error.js';
import { CONSOLE_CSRF_HEADER, CONSOLE_SCOPE_HEADER, type ConsoleCaller, type ConsoleCallers } from '../contracts/console-session.js';
import { headerValue } from '../protocols/header-value.js';
import type { Store } from '../store/database.js';

export const SESSION_COOKIE = 'lambkin_console';
/** Idle time after which a session ends; each request moves it on, up to the absolute limit. */
export const SESSION_IDLE_MS = 60 * 60 * 1000;
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** Bounds the table when someone logs in in a loop; the oldest session goes first. */
const MAX_SESSIONS = 1000;

export interface ConsoleSession {
  credential: Credential;
  /** Sent back by the pages in a header: a cross-site form or image cannot, and cannot read it. */
  csrf: string;
  createdAt: number;
  lastUsedAt: number;
}

export const consoleErrors = {
  sessionInvalid: () =>
    new AwsError('UnrecognizedClientException', 403, 'The console session is missing, expired or does not match its token. Sign in again.', {
      messageKey: 'message',
    }),
  badScope: () => new AwsError('IncompleteSignatureException', 400, `The ${CONSOLE_SCOPE_HEADER} header must be <region>/<service>.`, { messageKey: 'message' }),
};

/**
 * A session's last use is written at most this often: each console request would otherwise be a
 * write, and an hour's idle limit does not need the minute.
 */
const LAST_USE_STEP_MS = 60 * 1000;

/**
 * Console sessions, in the store (`console_sessions`), so that every node of a cluster serves a
 * signed-in user and a restart signs nobody out. The cookie holds only a random token, the store
 * only its SHA-256 and the access key it signed in with; the credential stays on the server and is
 * looked up on each use (a deleted key ends its sessions).
 */
export class ConsoleSessions implements ConsoleCallers {
  constructor(
    private readonly db: Store,
    private readonly credentials: CredentialSource,
    private readonly clock: Clock,
  ) {}

  /** Checks an access key pair; a new session's token, or null for a wrong or unknown pair. */
  async login(accessKeyId: string, secretAccessKey: string): Promise<{ token: string; session: ConsoleSession } | null> {
    const credential = await this.credentials.lookup(accessKeyId);
    // Temporary keys need their session token, which a login form does not take.
    if (!credential || credential.sessionTokenSha256 !== undefined) return null;
    const a = Buffer.from(credential.secretAccessKey);
    const b = Buffer.from(secretAccessKey);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
    return this.open(credential);
  }

  async open(credential: Credential): Promise<{ token: string; session: ConsoleSession }> {
    const now = this.clock.now();
    const token = randomBytes(32).toString('base64url');
    const session: ConsoleSession = { credential, csrf: randomBytes(24).toString('base64url'), createdAt: now, lastUsedAt: now };
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('console_sessions').where((eb) => eb.or([eb('last_used_at', '<', now - SESSION_IDLE_MS), eb('created_at', '<', now - SESSION_MAX_MS)])).execute();
      const { count } = await trx.selectFrom('console_sessions').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
      const excess = Number(count) - MAX_SESSIONS + 1;
      if (excess > 0) {
        const oldest = await trx.selectFrom('console_sessions').select('token_sha256').orderBy('created_at').limit(excess).execute();
        await trx.deleteFrom('console_sessions').where('token_sha256', 'in', oldest.map((r) => r.token_sha256)).execute();
      }
      await trx
        .insertInto('console_sessions')
        .values({ token_sha256: sha256(token), access_key_id: credential.accessKeyId, csrf: session.csrf, created_at: now, last_used_at: now })
        .execute();
    });
    return { token, session };
  }

  /** The live session a request's cookie names, moved on; undefined when none. */
  async sessionOf(headers: IncomingHttpHeaders): Promise<{ token: string; session: ConsoleSession } | undefined> {
    const token = cookieValue(headerValue(headers.cookie), SESSION_COOKIE);
    if (!token) return undefined;
    const key = sha256(token);
    const row = await this.db.selectFrom('console_sessions').selectAll().where('token_sha256', '=', key).executeTakeFirst();
    if (!row) return undefined;
    const now = this.clock.now();
    const createdAt = Number(row.created_at);
    const lastUsedAt = Number(row.last_used_at);
    const credential = await this.credentials.lookup(row.access_key_id);
    if (now - lastUsedAt > SESSION_IDLE_MS || now - createdAt > SESSION_MAX_MS || !credential) {
      await this.end(token);
      return undefined;
    }
    if (now - lastUsedAt >= LAST_USE_STEP_MS) {
      await this.db.updateTable('console_sessions').set({ last_used_at: now }).where('token_sha256', '=', key).execute();
    }
    return { token, session: { credential, csrf: row.csrf, createdAt, lastUsedAt: now } };
  }

  async end(token: string): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('token_sha256', '=', sha256(token)).execute();
  }

  /** null at once for a request without the console's header (every SigV4 request): no store read. */
  callerOf(headers: IncomingHttpHeaders): Promise<ConsoleCaller | null> | null {
    const csrf = headerValue(headers[CONSOLE_CSRF_HEADER]);
    if (csrf === undefined) return null;
    return this.consoleCallerOf(headers, csrf);
  }

  private async consoleCallerOf(headers: IncomingHttpHeaders, csrf: string): Promise<ConsoleCaller> {
    const found = await this.sessionOf(headers);
    if (!found || !sameToken(found.session.csrf, csrf)) throw consoleErrors.sessionInvalid();
    const scope = /^([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(headerValue(headers[CONSOLE_SCOPE_HEADER]) ?? '');
    if (!scope) throw consoleErrors.badScope();
    return { credential: found.session.credential, region: scope[1]!, service: scope[2]! };
  }
}

function sha256(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function sameToken(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
