import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from './principal.js';
import type { ServiceResponse } from './request-context.js';

/** Who is asking an internal route, as the edge sees it. */
export interface InternalCaller {
  sourceIp: string;
  headers: IncomingHttpHeaders;
  /**
   * The principal whose SigV4 signature the request carries (verified only when asked), null when
   * it carries none; rejects with the AWS error a service would answer when the signature is bad.
   */
  signer(): Promise<Principal | null>;
  /** The request body, for routes that declare `maxBodyBytes` (others' bodies are discarded). */
  body?: Buffer;
}

/** A route the edge answers itself, before any service (health, code downloads, subscription links). */
export interface InternalRoute {
  method: string;
  path: string;
  /** Reads bodies up to this size into `caller.body` (413 beyond); unset: the body is discarded. */
  maxBodyBytes?: number;
  /** Exact path, or a prefix when it ends with `*`. */
  handle(rawPath: string, query: URLSearchParams, caller: InternalCaller): ServiceResponse | Promise<ServiceResponse>;
}
