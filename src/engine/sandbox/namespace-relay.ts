/**
 * Runs in an environment's network namespace (started by namespace-connector.ts through nsenter)
 * and opens TCP connections to the namespace's own loopback for the server, handing each connected
 * socket back over the IPC channel: the server then talks to an extension's Telemetry API listener
 * directly, and this process carries no traffic. Exits with the IPC channel (the server or the
 * environment gone).
 */
import { connect } from 'node:net';

interface ConnectRequest {
  id: number;
  port: number;
}

process.on('message', (message: ConnectRequest) => {
  const socket = connect({ host: '127.0.0.1', port: message.port });
  socket.once('connect', () => {
    socket.pause();
    process.send?.({ id: message.id }, socket);
  });
  socket.once('error', (err: NodeJS.ErrnoException) => process.send?.({ id: message.id, error: err.code ?? err.message }));
});
process.on('disconnect', () => process.exit(0));
