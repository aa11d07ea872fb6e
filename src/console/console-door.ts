import { isFromFunction } from '../contracts/function-traffic.js';
import type { IncomingMessage } from 'node:http';
import { CONSOLE_CSRF_HEADER, type ConsoleDoor } from '../contracts/console-session.js';
import type { ServiceResponse } from '../contracts/request-context.js';
import { headerValue } from '../protocols/header-value.js';
import { readBody } from '../protocols/read-body.js';
import type { Credential } from '../auth/credential.js';
import { ConsoleAssets } from './assets.js';
import { SESSION_COOKIE, type ConsoleSession, type ConsoleSessions } from './sessions.js';

export const CONSOLE_PATH = '/_lambkin/console/';
const LOGIN_BODY_BYTES_MAX = 4096;

/**
 * The pages keep to their own origin: scripts and styles from the bundle only, no framing (a
 * console that can be framed can be clicked through by another site).
 */
const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export interface ConsoleDoorOptions {
  sessions: ConsoleSessions;
  /**
   * Whether the console opens without signing in: when Lambkin listens on loopback, where the
   * well-known local key pair is accepted anyway. Its session speaks for that account.
   */
  openAs: Credential | null;
  assets?: ConsoleAssets;
}

/** Serves the console's pages under /_lambkin/console/ and sends a browser asking for `/` there. */
export function consoleDoor(options: ConsoleDoorOptions): ConsoleDoor {
  const assets = options.assets ?? new ConsoleAssets();
  const { sessions } = options;
  return {
    callers: sessions,
    async serve(req, method, rawPath, query) {
      if (rawPath === '/' && method === 'GET' && isBrowserPageRequest(req, query)) return redirect(CONSOLE_PATH);
      if (!rawPath.startsWith('/_lambkin/console')) return undefined;
      if (rawPath === '/_lambkin/console') return redirect(CONSOLE_PATH);
      if (!rawPath.startsWith(CONSOLE_PATH)) return undefined;
      const rest = rawPath.slice(CONSOLE_PATH.length);
      if (rest.startsWith('api/')) return api(rest.slice(4), method, req);
      drain(req);
      if (method !== 'GET' && method !== 'HEAD') return json(405, { message: 'Method not allowed' });
      // The pages route by the fragment (#/functions/x), so any other path here is the app itself.
      const name = /^[a-z0-9-]+\.(js|css|svg|png)$/.test(rest) ? rest : 'index.html';
      const asset = assets.get(name);
      if (!asset) {
        if (name !== 'index.html') return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not found' };
        return {
          status: 503,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: 'The web console is not built in this installation: run `npm run build` in the package.',
        };
      }
      const gzip = /\bgzip\b/.test(headerValue(req.headers['accept-encoding']) ?? '');
      return {
        status: 200,
        headers: {
          'content-type': asset.contentType,
          // The bundle's names do not change between builds; revalidate rather than keep a stale one.
          'cache-control': 'no-cache',
          vary: 'accept-encoding',
          ...(gzip ? { 'content-encoding': 'gzip' } : {}),
          ...(name === 'index.html' ? PAGE_HEADERS : { 'x-content-type-options': 'nosniff' }),
        },
        body: method === 'HEAD' ? '' : gzip ? asset.gzipped : asset.body,
      };
    },
  };

  async function api(endpoint: string, method: string, req: IncomingMessage): Promise<ServiceResponse> {
    if (endpoint === 'session' && method === 'GET') {
      drain(req);
      const found = await sessions.sessionOf(req.headers);
      if (found) return json(200, describe(found.session));
      // A function's own calls reach us from loopback too (through pasta): they must sign in.
      if (options.openAs && !isFromFunction(req.socket)) {
        const opened = await sessions.open(options.openAs);
        return json(200, describe(opened.session), cookie(opened.token));
      }
      return json(401, { message: 'Sign in with an access key pair.', signInRequired: true });
    }
    if (endpoint === 'login' && method === 'POST') {
      // A JSON body cannot come from a plain cross-site form, and needs a preflight we never grant.
      if (!/^application\/json\b/.test(headerValue(req.headers['content-type']) ?? '')) {
        drain(req);
        return json(415, { message: 'Send the key pair as application/json.' });
      }
      const read = await readBody(req, LOGIN_BODY_BYTES_MAX);
      if (!read.ok) return json(413, { message: 'Request too large' });
      let input: { accessKeyId?: unknown; secretAccessKey?: unknown };
      try {
        input = JSON.parse(read.body.toString('utf8')) as typeof input;
      } catch {
        return json(400, { message: 'The body is not valid JSON.' });
      }
      if (typeof input.accessKeyId !== 'string' || typeof input.secretAccessKey !== 'string') {
        return json(400, { message: 'accessKeyId and secretAccessKey are required.' });
      }
      const opened = await sessions.login(input.accessKeyId.trim(), input.secretAccessKey);
      if (!opened) return json(403, { message: 'The access key ID or secret access key is not valid.' });
      return json(200, describe(opened.session), cookie(opened.token));
    }
    if (endpoint === 'logout' && method === 'POST') {
      drain(req);
      const found = await sessions.sessionOf(req.headers);
      // The CSRF header as on any other call: another site must not sign people out either.
      if (found && headerValue(req.headers[CONSOLE_CSRF_HEADER]) === found.session.csrf) await sessions.end(found.token);
      return json(200, { signedOut: true }, `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
    }
    drain(req);
    return json(404, { message: 'No such console endpoint.' });
  }
}

function describe(session: ConsoleSession): Record<string, unknown> {
  return {
    accountId: session.credential.accountId,
    accessKeyId: session.credential.accessKeyId,
    arn: session.credential.principal?.arn ?? `arn:aws:iam::${session.credential.accountId}:root`,
    csrf: session.csrf,
  };
}

/** The session cookie: script cannot read it, other sites' requests do not carry it. */
function cookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

function json(status: number, value: unknown, setCookie?: string): ServiceResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...(setCookie ? { 'set-cookie': setCookie } : {}) },
    body: JSON.stringify(value),
  };
}

function redirect(location: string): ServiceResponse {
  return { status: 302, headers: { location, 'content-type': 'text/plain' }, body: `Found: ${location}` };
}

/** A browser's page load: it asks for HTML and carries no signature (API clients never ask for HTML). */
function isBrowserPageRequest(req: IncomingMessage, query: URLSearchParams): boolean {
  const accept = headerValue(req.headers.accept) ?? '';
  return accept.includes('text/html') && req.headers.authorization === undefined && [...query.keys()].length === 0;
}

function drain(req: IncomingMessage): void {
  if (!req.readableEnded) req.resume();
}
