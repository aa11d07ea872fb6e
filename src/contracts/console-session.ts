import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Principal } from './principal.js';
import type { ServiceResponse } from './request-context.js';

/** The header the console's pages send with every API call: the session's CSRF token. */
export const CONSOLE_CSRF_HEADER = 'x-lambkin-console';
/** `<region>/<signing name>`: what a SigV4 credential scope would have said, for routing only. */
export const CONSOLE_SCOPE_HEADER = 'x-lambkin-scope';

/** Who a console request speaks for, found from its session cookie and CSRF header. */
export interface ConsoleCaller {
  /** The access key the session signed in with (the account's own key on loopback). */
  credential: { accessKeyId: string; secretAccessKey: string; accountId: string; principal?: Principal };
  region: string;
  service: string;
}

/**
 * Lets the edge take an API request from the console's pages as the signed-in principal. A
 * request is the console's only when it carries the CSRF header; without it the request goes
 * through SigV4 as before, cookie or not.
 */
export interface ConsoleCallers {
  /**
   * null (at once, without a store read): not a console request. Otherwise the caller, or a
   * rejection with an AwsError when it claims to be one and is not valid.
   */
  callerOf(headers: IncomingHttpHeaders): Promise<ConsoleCaller | null> | null;
}

/** What the edge asks of the web console. */
export interface ConsoleDoor {
  /** The console's own pages and endpoints (and `/` for a browser); undefined for anything else. */
  serve(req: IncomingMessage, method: string, rawPath: string, query: URLSearchParams): Promise<ServiceResponse | undefined>;
  callers: ConsoleCallers;
}
