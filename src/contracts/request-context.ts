import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Authorize } from './authorization.js';
import type { Principal } from './principal.js';

/** What the edge knows about a request once it has been read and authenticated. */
export interface RequestContext {
  requestId: string;
  method: string;
  /** Raw (still percent-encoded) path, without the query string. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Only for services with `streamsBody`: the request body, not yet read (`body` is then empty). */
  bodyStream?: Readable;
  /** Only for services with `streamsBody` and header-signed requests: what chunk signatures chain from. */
  signing?: ChunkSigningContext;
  /**
   * Set when the edge verified no signature: a browser-based POST form the service authenticates
   * itself. `accountId`, `region` and `accessKeyId` are then empty until it does.
   */
  unauthenticated?: true;
  accountId: string;
  region: string;
  accessKeyId: string | null;
  /** Who signed the request; absent for unauthenticated requests and in-process calls. */
  principal?: Principal;
  /** Set when the caller is held to IAM policies: services call it with each request's action and resource. */
  authorize?: Authorize;
  /**
   * For a service that authenticates its own requests (the container registry): the `authorize`
   * of the principal it found, undefined when that principal is unrestricted.
   */
  authorizeAs?: (principal: Principal, region: string) => Promise<Authorize | undefined>;
  /**
   * Set when another node of the cluster relayed the client's request here (its secret checked by
   * the edge): the service serves it itself and never relays it on.
   */
  relayedByNode?: true;
  /** Scheme, host and port clients used to reach us, for URLs we hand back. */
  endpoint: { protocol: 'http' | 'https'; hostname: string; port: number };
  sourceIp: string;
}

export interface ServiceResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /**
   * A body written as it is produced; `body` is ignored when set. With a `content-length` header
   * it is sent as is (S3 objects), without one chunked (streamed function responses).
   */
  stream?: AsyncIterable<Uint8Array> | Readable;
}

/** The seed of an `aws-chunked` signature chain (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`). */
export interface ChunkSigningContext {
  seedSignature: string;
  amzDate: string;
  /** `yyyymmdd/region/service/aws4_request` */
  scope: string;
  signingKey: Buffer;
}
