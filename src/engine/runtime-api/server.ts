import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ConnectionSource } from '../sandbox/sandbox.js';
import { handleInvocationError } from './error.js';
import type { RuntimeApiHost } from './host.js';
import { handleInitError } from './init-error.js';
import { handleNext } from './next.js';
import { replyError, replyJson } from './replies.js';
import { handleResponse } from './response.js';
import { handleExtensionExitError } from './extension-exit-error.js';
import { handleExtensionInitError } from './extension-init-error.js';
import { handleExtensionNext } from './extension-next.js';
import { handleExtensionRegister } from './extension-register.js';
import { handleTelemetrySubscribe } from './telemetry-subscribe.js';

const INVOCATION_PATH = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;

export interface RuntimeApiServer {
  /** `127.0.0.1:<port>`, the value of `AWS_LAMBDA_RUNTIME_API`. */
  address: string;
  /** Serves the connections another listener accepts too (the environment's own 127.0.0.1:9001). */
  acceptFrom(listener: ConnectionSource): void;
  close(): Promise<void>;
}

/** One Runtime API 2018-06-01 endpoint per environment, on a random loopback port. */
export async function startRuntimeApi(host: RuntimeApiHost): Promise<RuntimeApiServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = (): Promise<void> | void => {
      if (req.method === 'GET' && path === '/2018-06-01/runtime/invocation/next') return handleNext(host, req, res);
      if (req.method === 'POST' && path === '/2018-06-01/runtime/init/error') return handleInitError(host, req, res);
      const m = INVOCATION_PATH.exec(path);
      if (req.method === 'POST' && m) {
        const id = decodeURIComponent(m[1] ?? '');
        return m[2] === 'response' ? handleResponse(host, id, req, res) : handleInvocationError(host, id, req, res);
      }
      if (req.method === 'GET' && path === '/2018-06-01/ping') return replyJson(res, 200, 'pong');
      if (req.method === 'GET' && path === '/2018-06-01/runtime/lambkin/assignment') {
        // A spare environment's runtime asks once which function it now runs (spare-environments.ts).
        const variables = host.takeAssignment?.();
        if (variables) return replyJson(res, 200, variables);
      }
      if (path.startsWith('/2020-01-01/extension/')) {
        if (req.method === 'POST' && path === '/2020-01-01/extension/register') return handleExtensionRegister(host, req, res);
        if (req.method === 'GET' && path === '/2020-01-01/extension/event/next') return handleExtensionNext(host, req, res);
        if (req.method === 'POST' && path === '/2020-01-01/extension/init/error') return handleExtensionInitError(host, req, res);
        if (req.method === 'POST' && path === '/2020-01-01/extension/exit/error') return handleExtensionExitError(host, req, res);
      }
      if (req.method === 'PUT' && path === '/2022-07-01/telemetry') return handleTelemetrySubscribe(host, 'telemetry', req, res);
      if (req.method === 'PUT' && path === '/2020-08-15/logs') return handleTelemetrySubscribe(host, 'logs', req, res);
      req.resume();
      replyError(res, 404, 'InvalidRequest', `No such Runtime API endpoint: ${req.method ?? ''} ${path}`);
    };
    Promise.resolve()
      .then(route)
      .catch(() => {
        if (!res.headersSent) replyError(res, 500, 'Runtime.Unknown', 'Internal error in the Runtime API');
        else res.destroy();
      });
  });
  // `next` long-polls for as long as the environment stays idle.
  server.requestTimeout = 0;
  server.timeout = 0;
  // Never close an idle connection: a runtime holds one open while its handler runs, however long.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    acceptFrom(listener) {
      listener.on('connection', (socket: Socket) => {
        // The listener was made in the namespace without the HTTP server's noDelay: without it a
        // reply's second write waits for the runtime's delayed ACK (~40 ms) on every invoke.
        socket.setNoDelay(true);
        server.emit('connection', socket);
        // Accepted paused (pauseOnConnect in the namespace): the HTTP parser is attached now.
        socket.resume();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
