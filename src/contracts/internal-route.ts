import type { ServiceResponse } from './request-context.js';

/** A route the edge answers itself, before any service (health, code downloads, subscription links). */
export interface InternalRoute {
  method: string;
  path: string;
  /** Exact path, or a prefix when it ends with `*`. */
  handle(rawPath: string, query: URLSearchParams, caller: { sourceIp: string }): ServiceResponse | Promise<ServiceResponse>;
}
