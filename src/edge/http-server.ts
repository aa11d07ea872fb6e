import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { callerAddress } from '../contracts/function-traffic.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Logger } from '../logger.js';
import { AwsError } from '../contracts/aws-error.js';
import { edgeErrors } from './edge-errors.js';
import { acceptH2c } from './h2c.js';
import { identifyService, serviceOwningHost } from './identify-service.js';
import { isBrowserPostForm } from './post-form.js';
import { readBody } from '../protocols/read-body.js';
import { isCorsPreflight, mayBeQueryForm, queryActionOf, unsignedRequestOwner, UNSIGNED_FORM_BYTES_MAX } from './unsigned-requests.js';
import type { InternalRoute } from '../contracts/internal-route.js';
import type { ChunkSigningContext, RequestContext, ServiceResponse } from '../contracts/request-context.js';
import type { Service } from '../contracts/service.js';
import type { SigV4Verifier } from '../auth/sigv4-verify.js';
import { principalOf } from '../auth/credentials.js';
import type { PolicySource } from '../contracts/authorization.js';
import type { Principal } from '../contracts/principal.js';
import { authorizationFor } from './authorize-request.js';
import type { ConsoleCaller, ConsoleDoor } from '../contracts/console-session.js';
import type { ManagementEventSink } from '../contracts/management-events.js';
import { NODE_AUTH_HEADER, NODE_REQUEST_ID_HEADER } from '../store/cluster/node-calls.js';


export interface EdgeOptions {
  services: Service[];
  verifier: SigV4Verifier;
  internalRoutes: InternalRoute[];
  logger: Logger;
  /** Policies of callers held to IAM (role sessions, IAM users); none held when absent. */
  policies?: PolicySource;
  /** Time for policy conditions (`aws:CurrentTime`). */
  now?: () => number;
  /** Told of every API request once answered: service, operation, HTTP status, seconds taken (Prometheus). */
  observeRequest?: (service: string, operation: string, status: number, seconds: number) => void;
  /** HTTP front doors (function URLs, HTTP APIs) that take a request by its host or path first; undefined = not theirs. */
  frontDoor?: (req: IncomingMessage, res: ServerResponse) => Promise<void> | undefined;
  /** The web console: its pages and session endpoints, and API calls made from them with a session. */
  console?: ConsoleDoor;
  /** Told of each successful write call a service names as a management event (CloudTrail events on the default bus). */
  managementEvents?: ManagementEventSink;
  /** Checks the secret of requests another cluster node relays (store/cluster/node-calls.ts); none is taken when absent. */
  nodeSecret?: (presented: string | string[] | undefined) => boolean;
}

const GENERIC_MAX_BODY_BYTES = 1024 * 1024;

export interface EdgeServer {
  /** Listens on the one port, for HTTP/1.1 and for HTTP/2 with prior knowledge (h2c). */
  server: Server;
  /** Ends every open connection, HTTP/1.1 and HTTP/2, so `server.close()` can finish. */
  closeAllConnections(): void;
}

/** The single HTTP listener: identify the service, verify SigV4, dispatch, serialize AWS errors. */
export function createEdgeServer(options: EdgeOptions): EdgeServer {
  const server = createServer((req, res) => {
    handleRequest(options, req, res).catch((err: unknown) => failed(options, res, err));
  });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;
  const h2c = acceptH2c(server, (req, res) => {
    // The HTTP/2 compatibility API offers what the dispatch reads and writes (url, method,
    // headers, socket addresses, a readable body; writeHead/write/end, drain and close); an HTTP/2
    // request names its host in `:authority`.
    req.headers.host ??= req.authority;
    const request = req as unknown as IncomingMessage;
    const response = res as unknown as ServerResponse;
    handleRequest(options, request, response).catch((err: unknown) => failed(options, response, err));
  });
  return {
    server,
    closeAllConnections() {
      server.closeAllConnections();
      h2c.closeAllSessions();
    },
  };
}

function failed(options: EdgeOptions, res: ServerResponse, err: unknown): void {
  options.logger.error({ err }, 'edge failure');
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
  res.end('{"message":"An internal error occurred."}');
}

async function handleRequest(options: EdgeOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // A request claiming to be relayed by another node is refused unless it holds the cluster's secret.
  const relayed = req.headers[NODE_AUTH_HEADER] !== undefined;
  if (relayed && !options.nodeSecret?.(req.headers[NODE_AUTH_HEADER])) {
    await drain(req);
    return send(res, randomUUID(), { status: 403, headers: { 'content-type': 'application/json' }, body: '{"message":"Node-to-node calls need the cluster\'s node secret."}' });
  }
  const door = options.frontDoor?.(req, res);
  if (door) return door;
  const relayedId = relayed ? req.headers[NODE_REQUEST_ID_HEADER] : undefined;
  const requestId = typeof relayedId === 'string' && relayedId.length <= 64 ? relayedId : randomUUID();
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q >= 0 ? url.slice(0, q) : url;
  const query = new URLSearchParams(q >= 0 ? url.slice(q + 1) : '');
  const method = req.method ?? 'GET';

  // A host a service owns outright (an S3 website endpoint) goes to it before the console or any path.
  const hostOwner = serviceOwningHost(options.services, req.headers.host);
  if (hostOwner) observeRequest(options, hostOwner, req, res, rawPath, query);
  if (hostOwner) return handleStreamingRequest(options, hostOwner, { requestId, method, rawPath, query, consoleCaller: null, anonymous: true }, req, res);

  if (options.console) {
    const page = await options.console.serve(req, method, rawPath, query);
    if (page) return send(res, requestId, page);
  }

  const internal = options.internalRoutes.find((r) => r.method === method && routeMatches(r.path, rawPath));
  if (internal) {
    let body: Buffer | undefined;
    if (internal.maxBodyBytes !== undefined) {
      const read = await readBody(req, internal.maxBodyBytes);
      if (!read.ok) return send(res, requestId, { status: 413, headers: { 'content-type': 'application/json' }, body: '{"message":"Request entity too large."}' });
      body = read.body;
    } else {
      await drain(req);
    }
    const signer = async () => {
      if (!isSigned(req.headers, query)) return null;
      const verified = await options.verifier.verify({ method, rawPath, query, headers: req.headers, body: EMPTY_BODY });
      return principalOf(verified.credential);
    };
    return send(res, requestId, await internal.handle(rawPath, query, { sourceIp: callerAddress(req.socket), headers: req.headers, signer, ...(body ? { body } : {}) }));
  }

  // A console request names its service and region in a header where a signed one has its scope.
  let consoleCaller: ConsoleCaller | null = null;
  try {
    const pending = options.console?.callers.callerOf(req.headers);
    if (pending) consoleCaller = await pending;
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    await drain(req);
    return send(res, requestId, genericError(err));
  }
  const identified = identifyService(options.services, method, rawPath, req.headers, query, consoleCaller?.service);
  if (!identified) {
    // Anonymous requests (no signature, no query Action) are S3's to judge: public objects, CORS preflights.
    const anonymous = options.services.find((s) => s.answersAnonymousRequests && s.streamsBody);
    if (anonymous && !consoleCaller && !query.has('Action') && !mayBeQueryForm(method, req.headers)) {
      observeRequest(options, anonymous, req, res, rawPath, query);
      return handleStreamingRequest(options, anonymous, { requestId, method, rawPath, query, consoleCaller, anonymous: true }, req, res);
    }
    return answerUnsigned(options, { requestId, method, query }, req, res);
  }
  if ('unknown' in identified) {
    await drain(req);
    return send(res, requestId, genericError(edgeErrors.unknownService(identified.unknown)));
  }
  const service = identified.service;
  let formAction: string | undefined;
  observeRequest(options, service, req, res, rawPath, query, () => formAction);
  if (service.streamsBody) return handleStreamingRequest(options, service, { requestId, method, rawPath, query, consoleCaller }, req, res);
  const bodyResult = await readBody(req, service.maxBodyBytes);
  if (options.observeRequest && bodyResult.ok) formAction = formActionOf(req, bodyResult.body);
  if (!bodyResult.ok) return send(res, requestId, service.serializeError(service.tooLarge(service.maxBodyBytes, method, rawPath), req.headers));

  try {
    const caller = consoleCaller ?? (await options.verifier.verify({ method, rawPath, query, headers: req.headers, body: bodyResult.body }));
    const host = req.headers.host ?? '127.0.0.1';
    const sourceIp = callerAddress(req.socket);
    const principal = principalOf(caller.credential);
    const authorize = await authorizationFor(options.policies, { principal, service, region: caller.region, sourceIp, now: options.now?.() ?? Date.now() });
    const ctx: RequestContext = {
      requestId,
      method,
      rawPath,
      query,
      headers: req.headers,
      body: bodyResult.body,
      accountId: caller.credential.accountId,
      region: caller.region,
      accessKeyId: caller.credential.accessKeyId,
      principal,
      ...(authorize ? { authorize } : {}),
      ...(relayed ? { relayedByNode: true as const } : {}),
      endpoint: endpointOf(host, req.socket.localPort ?? 0),
      sourceIp,
    };
    const response = await service.handle(ctx);
    await recordManagementCall(options, service, ctx, response);
    send(res, requestId, response);
  } catch (err) {
    if (err instanceof AwsError) return send(res, requestId, service.serializeError(err, req.headers));
    options.logger.error({ err, requestId, service: service.name }, 'unhandled service error');
    send(res, requestId, service.serializeError(edgeErrors.internal(), req.headers));
  }
}

/** Whether a request carries a signature (SigV4 in a header or the query, or SigV2 in the query). */
function isSigned(headers: IncomingMessage['headers'], query: URLSearchParams): boolean {
  const authorization = headers.authorization;
  return (typeof authorization === 'string' && authorization.startsWith('AWS4-HMAC-SHA256 ')) || query.has('X-Amz-Signature') || query.has('Signature');
}

/** A request that names no service: unsigned, so a 403 in the words of the service it is for. */
/**
 * Counts the request in the request metrics once its answer is sent. `action` is read then: a
 * query-protocol form names its Action in a body read after this is called.
 */
function observeRequest(
  options: EdgeOptions, service: Service, req: IncomingMessage, res: ServerResponse, rawPath: string, query: URLSearchParams,
  action: () => string | undefined = () => undefined,
): void {
  const observe = options.observeRequest;
  if (!observe) return;
  const startedAt = performance.now();
  res.once('finish', () => observe(service.name, operationOf(req, rawPath, query, action()), res.statusCode, (performance.now() - startedAt) / 1000));
}

/**
 * The operation a request names, for metrics: `X-Amz-Target`'s, Smithy RPC v2's path, the query
 * protocol's `Action`; REST APIs (Lambda, S3 …) by method, which keeps the label set small.
 */
function operationOf(req: IncomingMessage, rawPath: string, query: URLSearchParams, formAction: string | undefined): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.indexOf('.') + 1);
  const rpc = /^\/service\/[^/]+\/operation\/([A-Za-z0-9]+)$/.exec(rawPath);
  if (rpc) return rpc[1]!;
  return query.get('Action') ?? formAction ?? req.method ?? 'GET';
}

function formActionOf(req: IncomingMessage, body: Buffer): string | undefined {
  if (!String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) return undefined;
  const match = /(?:^|&)Action=([A-Za-z0-9]+)/.exec(body.subarray(0, 4096).toString('latin1'));
  return match?.[1];
}

async function answerUnsigned(
  options: EdgeOptions,
  request: { requestId: string; method: string; query: URLSearchParams },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let form: Buffer | null = null;
  if (mayBeQueryForm(request.method, req.headers)) {
    const read = await readBody(req, UNSIGNED_FORM_BYTES_MAX);
    if (read.ok) form = read.body;
  } else {
    await drain(req);
  }
  const owner = unsignedRequestOwner(options.services, queryActionOf(request.query, form));
  if (!owner) return send(res, request.requestId, genericError(edgeErrors.unknownOperation()));
  send(res, request.requestId, owner.service.serializeError(owner.error, req.headers));
}

/**
 * For services that stream bodies: the signature covers the declared payload hash, the body stays
 * unread for the service, and whatever it leaves unread is drained after the answer.
 */
async function handleStreamingRequest(
  options: EdgeOptions,
  service: Service,
  request: { requestId: string; method: string; rawPath: string; query: URLSearchParams; consoleCaller: ConsoleCaller | null; anonymous?: boolean },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { requestId, method, rawPath, query, consoleCaller } = request;
  let response: ServiceResponse;
  try {
    // A browser upload form is signed inside its body; the service checks that signature. The
    // container registry checks its clients' Basic credentials itself.
    const selfAuthenticated =
      !consoleCaller &&
      (request.anonymous === true ||
        (service.answersAnonymousRequests === true && isCorsPreflight(method, req.headers)) ||
        service.authenticatesRequests === true || (service.authenticatesPostForms === true && isBrowserPostForm(method, req.headers, query)));
    const caller = consoleCaller ?? (selfAuthenticated ? null : await options.verifier.verify({ method, rawPath, query, headers: req.headers, body: EMPTY_BODY }));
    const sourceIp = callerAddress(req.socket);
    const principal = caller ? principalOf(caller.credential) : undefined;
    const authorize = principal && caller
      ? await authorizationFor(options.policies, { principal, service, region: caller.region, sourceIp, now: options.now?.() ?? Date.now() })
      : undefined;
    const ctx: RequestContext = {
      requestId,
      method,
      rawPath,
      query,
      headers: req.headers,
      body: EMPTY_BODY,
      bodyStream: req,
      ...(caller && 'chunkSigning' in caller && caller.chunkSigning ? { signing: caller.chunkSigning as ChunkSigningContext } : {}),
      ...(caller ? {} : { unauthenticated: true as const }),
      accountId: caller?.credential.accountId ?? '',
      region: caller?.region ?? '',
      accessKeyId: caller?.credential.accessKeyId ?? null,
      ...(principal ? { principal } : {}),
      ...(authorize ? { authorize } : {}),
      ...(service.authenticatesRequests === true
        ? { authorizeAs: (who: Principal, region: string) => authorizationFor(options.policies, { principal: who, service, region, sourceIp, now: options.now?.() ?? Date.now() }) }
        : {}),
      endpoint: endpointOf(req.headers.host ?? '127.0.0.1', req.socket.localPort ?? 0),
      sourceIp,
    };
    response = await service.handle(ctx);
    await recordManagementCall(options, service, ctx, response);
  } catch (err) {
    if (!(err instanceof AwsError)) options.logger.error({ err, requestId, service: service.name }, 'unhandled service error');
    response = service.serializeError(err instanceof AwsError ? err : edgeErrors.internal());
  }
  if (!req.readableEnded) req.resume();
  send(res, requestId, response);
}

const EMPTY_BODY = Buffer.alloc(0);

/**
 * The one place write calls become CloudTrail management events: after a 2xx answer, before it is
 * sent (a rule matching the call sees it by the time the caller does). A failure to record never
 * fails the call, which has already happened.
 */
async function recordManagementCall(options: EdgeOptions, service: Service, ctx: RequestContext, response: ServiceResponse): Promise<void> {
  if (!options.managementEvents || !service.managementCall || response.status >= 300) return;
  try {
    const call = service.managementCall(ctx, response);
    if (call) await options.managementEvents(call, ctx);
  } catch (err) {
    options.logger.warn({ err, requestId: ctx.requestId, service: service.name }, 'management event not recorded');
  }
}

function routeMatches(pattern: string, rawPath: string): boolean {
  return pattern.endsWith('*') ? rawPath.startsWith(pattern.slice(0, -1)) : pattern === rawPath;
}

function endpointOf(host: string, localPort: number): RequestContext['endpoint'] {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  return { protocol: 'http', hostname: m?.[1] ?? '127.0.0.1', port: m?.[2] ? Number(m[2]) : localPort };
}

function genericError(error: AwsError): ServiceResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': error.code },
    body: JSON.stringify({ __type: error.code, [error.messageKey]: error.message }),
  };
}

function send(res: ServerResponse, requestId: string, response: ServiceResponse): void {
  if (response.stream) return sendStream(res, requestId, response, response.stream);
  const body = response.body ?? '';
  const headers: Record<string, string | number> = {
    ...response.headers,
    'x-amzn-RequestId': requestId,
    // A HEAD answer declares the length of the body a GET would send.
    'content-length': body === '' && response.headers?.['content-length'] !== undefined ? response.headers['content-length'] : Buffer.byteLength(body),
  };
  res.writeHead(response.status, headers);
  res.end(body);
}

/** A streamed body: headers now, each chunk as it comes; a failure mid-stream cuts the connection. */
/** Resolves when the response can take more, or is gone. */
function writable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    req.resume();
    req.on('end', resolve);
    req.on('error', () => resolve());
  });
}

function sendStream(res: ServerResponse, requestId: string, response: ServiceResponse, stream: AsyncIterable<Uint8Array> | Readable): void {
  res.writeHead(response.status, { ...response.headers, 'x-amzn-RequestId': requestId });
  if (stream instanceof Readable) {
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
    return;
  }
  // Headers go out at once: a streamed function response may take long to produce its first chunk.
  res.flushHeaders();
  void (async () => {
    try {
      for await (const chunk of stream) {
        if (!res.write(chunk)) await writable(res);
        if (res.destroyed) return;
      }
      res.end();
    } catch {
      res.destroy();
    }
  })();
}
