import type { IncomingHttpHeaders } from 'node:http';

/** What the edge knows about a request once it has been read and authenticated. */
export interface RequestContext {
  requestId: string;
  method: string;
  /** Raw (still percent-encoded) path, without the query string. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  accountId: string;
  region: string;
  accessKeyId: string | null;
  /** Scheme, host and port clients used to reach us, for URLs we hand back. */
  endpoint: { protocol: 'http' | 'https'; hostname: string; port: number };
  sourceIp: string;
}

export interface ServiceResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** A body written as it is produced (chunked); `body` is ignored when set. */
  stream?: AsyncIterable<Uint8Array>;
}
