/**
 * Runs in an environment's network namespace (started by namespace-connector.ts through nsenter)
 * and opens TCP connections to the namespace's own loopback for the server, handing each connected
 * socket back over the IPC channel: the server then talks to an extension's Telemetry API listener
 * directly, and this process carries no traffic. It also binds listening sockets there (the Runtime
 * API's 127.0.0.1:9001) and hands them over, so the server accepts the runtime's connections itself. Exits with the IPC channel (the server or the
 * environment gone).
 */
import { connect, createServer } from 'node:net';

interface ConnectRequest {
  id: number;
  port: number;
  /** Listen on the namespace's loopback at `port` and hand the listening socket over instead. */
  listen?: boolean;
}

process.on('message', (message: ConnectRequest) => {
  if (message.listen) {
    const server = createServer({ pauseOnConnect: true });
    server.once('error', (err: NodeJS.ErrnoException) => process.send?.({ id: message.id, error: err.code ?? err.message }));
    // Once handed over, the server's copy accepts; this one must not.
    server.listen({ host: '127.0.0.1', port: message.port }, () => process.send?.({ id: message.id }, server, () => server.close()));
    return;
  }
  const socket = connect({ host: '127.0.0.1', port: message.port });
  socket.once('connect', () => {
    socket.pause();
    process.send?.({ id: message.id }, socket);
  });
  socket.once('error', (err: NodeJS.ErrnoException) => process.send?.({ id: message.id, error: err.code ?? err.message }));
});
process.on('disconnect', () => process.exit(0));
